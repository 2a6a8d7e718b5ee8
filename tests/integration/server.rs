//! A running `calfeed serve` for tests, and a plain-socket HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{Workspace, calfeed, workspace};

/// The input the serve tests start from.
pub const FIXTURE: &str = "serve/events.toml";

/// A running `calfeed serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    pub ws: Workspace,
}

fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
            into.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
}

impl Server {
    /// Starts `calfeed serve --port 0` on a copy of the serve fixture.
    pub fn start() -> Server {
        Server::start_in(workspace(FIXTURE), &[])
    }

    /// Starts `calfeed serve --port 0` on a workspace, with extra arguments.
    pub fn start_in(ws: Workspace, extra: &[&str]) -> Server {
        let mut child = calfeed()
            .args(["serve", "--port", "0", "--bind", "127.0.0.1", "--input"])
            .arg(&ws.input)
            .arg("--out")
            .arg(&ws.out)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("calfeed serve starts");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        collect(child.stdout.take().unwrap(), Arc::clone(&stdout));
        collect(child.stderr.take().unwrap(), Arc::clone(&stderr));
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
            ws,
        };
        let marker = "at http://127.0.0.1:";
        server.wait_stdout(marker, 1);
        let out = server.stdout();
        let at = out.find(marker).unwrap() + marker.len();
        let digits: String = out[at..].chars().take_while(char::is_ascii_digit).collect();
        server.port = digits.parse().expect("a port in the printed URL");
        server.wait_stdout("Watching", 1);
        server
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until standard output holds `text` at least `count` times.
    pub fn wait_stdout(&mut self, text: &str, count: usize) {
        self.wait(|s| s.stdout().matches(text).count() >= count, text);
    }

    /// Waits until standard error holds `text` at least `count` times.
    pub fn wait_stderr(&mut self, text: &str, count: usize) {
        self.wait(|s| s.stderr().matches(text).count() >= count, text);
    }

    fn wait(&mut self, done: impl Fn(&Server) -> bool, what: &str) {
        let start = Instant::now();
        while !done(self) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "calfeed serve exited ({status}) before printing {what:?}\nstdout:\n{}\nstderr:\n{}",
                    self.stdout(),
                    self.stderr()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no {what:?} after 30 s\nstdout:\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends a signal and waits for the process to end; returns whether it exited with 0.
    pub fn stop_with(&mut self, signal: &str) -> bool {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still running 10 s after SIG{signal}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn get(&self, target: &str) -> Reply {
        request(self.port, "GET", target, &[])
    }

    pub fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
        request(self.port, method, target, headers)
    }

    /// Writes the input as an editor saving in place would.
    pub fn save(&self, text: &str) {
        std::fs::write(&self.ws.input, text).unwrap();
    }

    pub fn input(&self) -> String {
        std::fs::read_to_string(&self.ws.input).unwrap()
    }

    pub fn out(&self) -> PathBuf {
        self.ws.out.clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP response, read from a connection the server closes.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request over a new connection (`Connection: close`) and reads the whole response.
pub fn request(port: u16, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    raw(port, head.as_bytes())
}

/// Sends raw bytes as a request and reads the whole response.
pub fn raw(port: u16, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("reads the response");
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
    let body = bytes[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    Reply {
        status,
        headers,
        body,
    }
}

/// Waits up to 30 s for `done`.
pub fn eventually(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "not after 30 s: {what}"
        );
        thread::sleep(Duration::from_millis(25));
    }
}
