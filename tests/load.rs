//! Load test of `calfeed serve`: the `wrk` load generator at 50 connections against the real
//! binary on loopback while the input is rewritten in a loop, with every body checked to be one
//! complete feed, and the server's peak memory reported.
//!
//! Needs `wrk` (installed by `tests/load/setup.sh`, which `scripts/test.sh` runs), hence ignored
//! by plain `cargo test`; `scripts/test.sh` runs it with `--ignored`.

#[allow(dead_code, unused_imports)]
#[path = "integration/common.rs"]
mod common;
#[allow(dead_code)]
#[path = "integration/server.rs"]
mod server;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use server::{FIXTURE, Server, raw};

/// How long wrk runs.
const SECONDS: u64 = 15;
/// Connections wrk keeps open.
const CONNECTIONS: usize = 50;
/// Generated events, so the feed is a realistic size (about 100 KiB).
const EVENTS: usize = 300;

/// The input in one of two versions: every generated title names the version.
fn input(base: &str, version: char) -> String {
    let mut text = base.to_owned();
    for i in 0..EVENTS {
        let day = 1 + i % 28;
        let hour = i % 24;
        let _ = write!(
            text,
            "\n[[event]]\nid = \"generated-{i}\"\ntitle = \"Generated meeting {i} (version {version})\"\n\
             start = 2026-02-{day:02}T{hour:02}:00:00\nduration = \"PT1H\"\ntimezone = \"Europe/Berlin\"\n\
             description = \"A longer description so that the feed has some weight: {i}.\"\n\
             tags = [\"summit\"]\nupdated = 2026-01-03T09:00:00Z\n"
        );
    }
    text
}

/// Checks one body: a whole feed of one version, with the length announced.
fn complete_feed(body: &[u8], content_length: Option<&str>) -> Result<char, String> {
    let text = std::str::from_utf8(body).map_err(|e| e.to_string())?;
    if content_length != Some(body.len().to_string().as_str()) {
        return Err(format!(
            "length {} announced as {content_length:?}",
            body.len()
        ));
    }
    if !text.starts_with("BEGIN:VCALENDAR\r\n") || !text.ends_with("END:VCALENDAR\r\n") {
        return Err(format!("not a whole feed ({} bytes)", body.len()));
    }
    let a = text.matches("(version A)").count();
    let b = text.matches("(version B)").count();
    match (a, b) {
        (n, 0) if n == EVENTS => Ok('A'),
        (0, n) if n == EVENTS => Ok('B'),
        _ => Err(format!(
            "a mixed feed: {a} events of version A, {b} of version B"
        )),
    }
}

fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn field(report: &str, name: &str) -> u64 {
    report
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{name}` in the wrk report:\n{report}"))
}

#[test]
#[ignore = "needs wrk (tests/load/setup.sh); run by scripts/test.sh"]
fn serves_only_complete_feeds_under_load_while_the_input_changes() {
    let ws = common::workspace(FIXTURE);
    let base = std::fs::read_to_string(&ws.input).unwrap();
    let versions = [input(&base, 'A'), input(&base, 'B')];
    std::fs::write(&ws.input, &versions[0]).unwrap();
    let mut server = Server::start_in(ws, &[]);
    let port = server.port;
    let url = format!("http://127.0.0.1:{port}/all.ics");
    let first = server.get("/all.ics");
    complete_feed(&first.body, first.header("content-length")).unwrap();
    println!("feed size: {} bytes", first.body.len());

    let stop = Arc::new(AtomicBool::new(false));
    // The editor: saves the other version every 100 ms, in place or by renaming.
    let writes = Arc::new(AtomicUsize::new(0));
    let editor = {
        let stop = Arc::clone(&stop);
        let writes = Arc::clone(&writes);
        let path = server.ws.input.clone();
        thread::spawn(move || {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let text = &versions[n % 2];
                if n.is_multiple_of(3) {
                    let temp = path.with_extension("toml.new");
                    std::fs::write(&temp, text).unwrap();
                    std::fs::rename(&temp, &path).unwrap();
                } else {
                    std::fs::write(&path, text).unwrap();
                }
                writes.fetch_add(1, Ordering::Relaxed);
                thread::sleep(Duration::from_millis(100));
            }
        })
    };
    // A checking client beside wrk: every body whole and of one version.
    let checker = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            let mut seen = [0usize; 2];
            let mut checked = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let reply = raw(
                    port,
                    b"GET /all.ics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                );
                assert_eq!(reply.status, 200);
                match complete_feed(&reply.body, reply.header("content-length")) {
                    Ok(version) => seen[usize::from(version == 'B')] += 1,
                    Err(problem) => panic!("body {checked}: {problem}"),
                }
                checked += 1;
            }
            (checked, seen)
        })
    };

    let started = Instant::now();
    let wrk = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{SECONDS}s"),
            "--timeout",
            "10s",
        ])
        .arg("-s")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/load/verify.lua"))
        .arg(&url)
        .output()
        .expect("wrk runs (install it with tests/load/setup.sh)");
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    editor.join().unwrap();
    let (checked, seen) = checker
        .join()
        .expect("every body the checker read was whole");
    let report = String::from_utf8_lossy(&wrk.stdout).into_owned();
    assert!(
        wrk.status.success(),
        "wrk failed:\n{report}{}",
        String::from_utf8_lossy(&wrk.stderr)
    );
    println!("{report}");

    let requests = field(&report, "requests:");
    let bad = field(&report, "bad bodies:");
    let wrk_checked = field(&report, "checked bodies:");
    assert!(
        report.contains("errors: connect 0, read 0, write 0, status 0, timeout 0"),
        "{report}"
    );
    assert!(!report.contains("Non-2xx"), "{report}");
    assert_eq!(bad, 0, "{report}");
    assert_eq!(wrk_checked, requests, "{report}");
    assert!(
        requests >= 20_000,
        "only {requests} requests in {elapsed:?}"
    );
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "the checker saw only one version: {seen:?}"
    );

    let rebuilds = server.stdout().matches("Built ").count() - 1;
    let writes = writes.load(Ordering::Relaxed);
    assert!(
        rebuilds >= 10,
        "only {rebuilds} rebuilds for {writes} saves"
    );
    let peak = peak_memory_kib(server.pid()).expect("/proc/<pid>/status has VmHWM");
    println!(
        "load: {requests} requests by wrk at {CONNECTIONS} connections in {elapsed:.1?} \
         ({:.0}/s), 0 errors, 0 bad bodies; {checked} more bodies checked whole and of one \
         version ({} A, {} B); {writes} saves, {rebuilds} rebuilds; serve peak memory (VmHWM) \
         {:.1} MiB",
        requests as f64 / elapsed.as_secs_f64(),
        seen[0],
        seen[1],
        peak as f64 / 1024.0
    );
    assert!(peak < 256 * 1024, "serve peaked at {peak} KiB");
    assert!(server.stop_with("TERM"), "{}", server.stderr());
}
