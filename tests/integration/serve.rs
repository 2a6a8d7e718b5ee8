//! `calfeed serve` over real HTTP on loopback: the real binary, a free port, plain sockets.

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{calfeed, workspace};
use crate::server::{FIXTURE, Reply, Server, eventually, raw};

fn assert_validators(reply: &Reply, what: &str) {
    assert!(
        reply.header("etag").is_some_and(|e| e.starts_with('"')),
        "{what}: {reply:?}"
    );
    let modified = reply
        .header("last-modified")
        .unwrap_or_else(|| panic!("{what}: {reply:?}"));
    assert!(httpdate_parses(modified), "{what}: {modified}");
}

fn httpdate_parses(value: &str) -> bool {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    value.len() == 29 && value.ends_with(" GMT") && value.as_bytes()[3] == b','
}

fn file(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn builds_first_then_serves_feeds_and_prints_their_addresses() {
    let server = Server::start();
    let out = server.stdout();
    let port = server.port;
    for feed in ["all.ics", "summits.ics", "calls.ics"] {
        assert!(
            out.contains(&format!("http://127.0.0.1:{port}/{feed}\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("webcal://127.0.0.1:{port}/{feed}\n")),
            "{out}"
        );
        let reply = server.get(&format!("/{feed}"));
        assert_eq!(reply.status, 200, "{feed}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/calendar; charset=utf-8")
        );
        assert_eq!(reply.body, file(&server.out(), feed), "{feed}");
        assert_eq!(
            reply.header("content-length"),
            Some(reply.body.len().to_string().as_str())
        );
        assert_validators(&reply, feed);
    }
    let page = format!("http://127.0.0.1:{port}/");
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("page ") && l.ends_with(&page)),
        "{out}"
    );
    assert!(
        server
            .get("/all.ics")
            .text()
            .contains("SUMMARY:Nara summit\r\n")
    );
}

#[test]
fn without_an_index_page_the_root_lists_the_feeds() {
    let server = Server::start();
    for target in ["/", "/index.html"] {
        let reply = server.get(target);
        assert_eq!(reply.status, 200, "{target}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_validators(&reply, target);
        let page = reply.text();
        assert!(page.contains("<title>Served calendar</title>"), "{page}");
        for feed in ["all.ics", "summits.ics", "calls.ics"] {
            assert!(page.contains(&format!("<a href=\"{feed}\">")), "{page}");
            assert!(
                page.contains(&format!("webcal://127.0.0.1:{}/{feed}", server.port)),
                "{page}"
            );
        }
    }
    // A real index.html takes over as soon as it exists.
    std::fs::write(
        server.out().join("index.html"),
        "<html><body>mine</body></html>",
    )
    .unwrap();
    let reply = server.get("/");
    assert_eq!(reply.text(), "<html><body>mine</body></html>");
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn conditional_requests_get_304() {
    let server = Server::start();
    for target in ["/all.ics", "/"] {
        let first = server.get(target);
        let etag = first.header("etag").unwrap().to_owned();
        let modified = first.header("last-modified").unwrap().to_owned();
        let weak = format!("W/{etag}");
        let listed = format!("\"nope\", {etag}");
        for (name, value) in [
            ("If-None-Match", etag.as_str()),
            ("If-None-Match", weak.as_str()),
            ("If-None-Match", listed.as_str()),
            ("If-None-Match", "*"),
            ("If-Modified-Since", modified.as_str()),
            ("If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ] {
            let reply = server.request("GET", target, &[(name, value)]);
            assert_eq!(reply.status, 304, "{target} {name}: {value}");
            assert!(reply.body.is_empty());
            assert_eq!(reply.header("etag"), Some(etag.as_str()));
            assert_eq!(reply.header("last-modified"), Some(modified.as_str()));
            let head = server.request("HEAD", target, &[(name, value)]);
            assert_eq!(head.status, 304, "HEAD {target} {name}: {value}");
        }
        for (name, value) in [
            ("If-None-Match", "\"nope\""),
            ("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
            ("If-Modified-Since", "not a date"),
        ] {
            let reply = server.request("GET", target, &[(name, value)]);
            assert_eq!(reply.status, 200, "{target} {name}: {value}");
            assert_eq!(reply.body, first.body);
        }
        // If-None-Match decides when both are sent.
        let reply = server.request(
            "GET",
            target,
            &[
                ("If-None-Match", "\"nope\""),
                ("If-Modified-Since", modified.as_str()),
            ],
        );
        assert_eq!(reply.status, 200, "{target}");
    }
}

#[test]
fn head_works_and_other_methods_get_405_with_allow() {
    let server = Server::start();
    for target in ["/all.ics", "/"] {
        let get = server.get(target);
        let head = server.request("HEAD", target, &[]);
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty(), "{target}: {head:?}");
        for name in ["content-type", "content-length", "etag", "last-modified"] {
            assert_eq!(head.header(name), get.header(name), "{target} {name}");
        }
    }
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND",
    ] {
        let reply = server.request(method, "/all.ics", &[("Content-Length", "0")]);
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{method}");
        assert_validators(&reply, method);
    }
}

#[test]
fn feeds_are_never_compressed() {
    let server = Server::start();
    for encoding in ["gzip", "gzip, deflate, br, zstd", "*"] {
        let reply = server.request("GET", "/all.ics", &[("Accept-Encoding", encoding)]);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-encoding"), None, "{encoding}");
        assert_eq!(reply.body, file(&server.out(), "all.ics"));
    }
}

#[test]
fn nothing_outside_the_folder_is_served() {
    let server = Server::start();
    let out = server.out();
    let secret = std::fs::read_to_string(&server.ws.input).unwrap();
    // Links leading out of the folder, and one staying inside.
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(&server.ws.input, out.join("input.ics")).unwrap();
        symlink("../events.toml", out.join("relative.ics")).unwrap();
        symlink("..", out.join("up")).unwrap();
        symlink("/etc", out.join("etc")).unwrap();
        symlink("all.ics", out.join("alias.ics")).unwrap();
        // Links that end inside the folder are fine.
        for inside in ["/alias.ics", "/up/public/all.ics"] {
            let reply = server.get(inside);
            assert_eq!(reply.status, 200, "{inside}");
            assert_eq!(reply.body, file(&out, "all.ics"));
        }
    }
    let targets = [
        "/../events.toml",
        "/public/../events.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/events.toml",
        "/%2E%2E/events.toml",
        "/.%2e/events.toml",
        "/%2e%2e%2fevents.toml",
        "/..%2fevents.toml",
        "/..%2Fevents.toml",
        "/%252e%252e/events.toml",
        "/%252e%252e%252fevents.toml",
        "/..%5cevents.toml",
        "/..%255cevents.toml",
        "/%c0%ae%c0%ae/events.toml",
        "/etc/passwd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/all.ics%00",
        "/all.ics%00.html",
        "/%00",
        "/input.ics",
        "/relative.ics",
        "/up/events.toml",
        "/etc/passwd",
        "/etc/hostname",
        "/.calfeed-outputs",
        "/.nojekyll",
        "/missing.ics",
    ];
    for target in targets {
        let reply = server.get(target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: {} {}",
            reply.status,
            reply.text()
        );
        let text = reply.text();
        assert!(
            !text.contains("[calendar]") && !text.contains("root:"),
            "{target}: {text}"
        );
        assert_validators(&reply, target);
    }
    assert!(!secret.is_empty());
    // Requests a client library would refuse to send: absolute-form targets, raw NUL and
    // backslashes. hyper answers 400 to the malformed ones.
    let port = server.port;
    for request in [
        format!(
            "GET http://127.0.0.1:{port}/../events.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ),
        "GET /..\\events.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        "GET /all.ics\0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        "GET ../events.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        "GET /%2e%2e/events.toml HTTP/1.0\r\n\r\n".to_owned(),
    ] {
        let reply = raw(port, request.as_bytes());
        assert!(
            reply.status == 400 || reply.status == 404,
            "{request:?}: {reply:?}"
        );
        assert!(!reply.text().contains("[calendar]"), "{request:?}");
    }
}

#[test]
fn every_request_is_logged_on_one_line() {
    let mut server = Server::start();
    server.get("/all.ics");
    server.get("/nothing-here.ics");
    server.request("DELETE", "/all.ics", &[]);
    server.get("/%1b%5b31m");
    server.wait_stdout(" GET /%1b%5b31m 400 ", 1);
    let out = server.stdout();
    assert!(out.contains(" GET /all.ics 200 "), "{out}");
    assert!(out.contains(" GET /nothing-here.ics 404 "), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
    let logged = out
        .lines()
        .filter(|l| l.contains("127.0.0.1:") && l.ends_with("ms"))
        .count();
    assert_eq!(logged, 4, "{out}");
}

#[test]
fn a_save_rebuilds_and_the_next_request_sees_it() {
    let mut server = Server::start();
    let before = server.get("/all.ics");
    // Saved in place.
    server.save(
        &server
            .input()
            .replace("Nara summit", "Nara summit, day one"),
    );
    eventually("the edit is served", || {
        server
            .get("/all.ics")
            .text()
            .contains("SUMMARY:Nara summit\\, day one\r\n")
    });
    assert_ne!(server.get("/all.ics").header("etag"), before.header("etag"));
    // A subscribed client asking whether its copy is current gets the new feed.
    let refresh = server.request(
        "GET",
        "/all.ics",
        &[("If-None-Match", before.header("etag").unwrap())],
    );
    assert_eq!(refresh.status, 200);
    assert!(
        refresh
            .text()
            .contains("SUMMARY:Nara summit\\, day one\r\n")
    );
    server.wait_stdout("Built ", 2);
    // Saved by renaming a new file over the old one, as many editors do.
    let temp = server.ws.input.with_extension("toml.swp");
    std::fs::write(
        &temp,
        server
            .input()
            .replace("New Year call", "Lunar New Year call"),
    )
    .unwrap();
    std::fs::rename(&temp, &server.ws.input).unwrap();
    eventually("the renamed file is served", || {
        server
            .get("/calls.ics")
            .text()
            .contains("SUMMARY:Lunar New Year call\r\n")
    });
    // A feed removed from the input goes away, a new one appears.
    let renamed = server
        .input()
        .replace("[[feed]]\nname = \"calls\"", "[[feed]]\nname = \"talks\"");
    server.save(&renamed);
    eventually("the new feed is served", || {
        server.get("/talks.ics").status == 200
    });
    eventually("the old feed is gone", || {
        server.get("/calls.ics").status == 404
    });
}

#[test]
fn an_invalid_edit_keeps_the_last_good_build_and_shows_the_error() {
    let mut server = Server::start();
    std::fs::write(
        server.out().join("index.html"),
        "<!doctype html><html><head><title>p</title></head><body class=\"x\"><h1>Page</h1></body></html>",
    )
    .unwrap();
    let good_feed = server.get("/all.ics");
    let good_page = server.get("/");
    let good = server.input();
    let broken = good.replace("title = \"Nara summit\"", "titel = \"<b>Nara</b> & co\"");
    server.save(&broken);
    server.wait_stderr("the last good build stays online", 1);
    let err = server.stderr();
    assert!(err.contains("error: unknown key `titel`"), "{err}");
    let line = broken.lines().position(|l| l.starts_with("titel")).unwrap() + 1;
    assert!(
        err.contains(&format!("--> {}:{line}:1", server.ws.input.display())),
        "{err}"
    );
    assert!(err.contains("help: "), "{err}");

    // The feeds stay as they were.
    let feed = server.get("/all.ics");
    assert_eq!(feed.status, 200);
    assert_eq!(feed.body, good_feed.body);
    assert_eq!(feed.header("etag"), good_feed.header("etag"));
    // Pages carry the banner, escaped, right after <body ...>, under a new ETag.
    let page = server.get("/");
    let text = page.text();
    assert!(
        text.contains("<body class=\"x\">\n<div id=\"calfeed-error\" role=\"alert\""),
        "{text}"
    );
    assert!(
        text.contains("titel = &quot;&lt;b&gt;Nara&lt;/b&gt; &amp; co&quot;"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}:{line}:1", server.ws.input.display())),
        "{text}"
    );
    assert!(!text.contains("<b>Nara</b>"), "{text}");
    assert!(text.ends_with("<h1>Page</h1></body></html>"));
    assert_ne!(page.header("etag"), good_page.header("etag"));
    assert_eq!(
        server
            .request(
                "GET",
                "/",
                &[("If-None-Match", good_page.header("etag").unwrap())]
            )
            .status,
        200,
        "a cached page without the banner is not current"
    );
    std::fs::remove_file(server.out().join("index.html")).unwrap();
    assert!(server.get("/").text().contains("id=\"calfeed-error\""));

    // Fixed: the banner goes, the edit is built.
    server.save(&good.replace("Nara summit", "Nara summit (fixed)"));
    server.wait_stdout("The error is fixed.", 1);
    assert!(!server.get("/").text().contains("calfeed-error"));
    assert!(
        server
            .get("/all.ics")
            .text()
            .contains("SUMMARY:Nara summit (fixed)")
    );
}

#[test]
fn an_invalid_input_at_start_is_served_with_the_error() {
    let ws = workspace(FIXTURE);
    let text = std::fs::read_to_string(&ws.input).unwrap();
    std::fs::write(
        &ws.input,
        text.replace("duration = \"PT2H\"", "duration = \"2 hours\""),
    )
    .unwrap();
    let mut server = Server::start_in(ws, &[]);
    server.wait_stderr("the last good build stays online", 1);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("id=\"calfeed-error\""),
        "{}",
        page.text()
    );
    assert_eq!(server.get("/all.ics").status, 404);
    server.save(&text);
    server.wait_stdout("The error is fixed.", 1);
    assert_eq!(server.get("/all.ics").status, 200);
}

#[test]
fn sigterm_and_sigint_stop_cleanly() {
    for signal in ["TERM", "INT"] {
        let mut server = Server::start();
        // An idle keep-alive connection does not hold the stop up.
        let mut idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        idle.write_all(b"GET /all.ics HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        thread::sleep(Duration::from_millis(200));
        let started = Instant::now();
        assert!(server.stop_with(signal), "SIG{signal}: {}", server.stderr());
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "SIG{signal} took {:?}",
            started.elapsed()
        );
        assert!(server.stdout().contains("Stopped."), "{}", server.stdout());
        drop(idle);
    }
}

#[test]
fn a_missing_input_or_a_busy_port_is_an_error() {
    let ws = workspace(FIXTURE);
    let output = calfeed()
        .args(["serve", "--port", "0", "--input"])
        .arg(ws.input.with_file_name("nope.toml"))
        .arg("--out")
        .arg(&ws.out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("error: cannot read") && err.contains("nope.toml"),
        "{err}"
    );

    let server = Server::start();
    let output = calfeed()
        .args([
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            &server.port.to_string(),
            "--input",
        ])
        .arg(&ws.input)
        .arg("--out")
        .arg(&ws.out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(&format!(
            "error: cannot listen on 127.0.0.1:{}",
            server.port
        )),
        "{err}"
    );
    assert!(
        !ws.out.join("all.ics").exists(),
        "built although it cannot serve"
    );
}
