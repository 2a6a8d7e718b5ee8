//! `calfeed serve`: build, serve the output folder over HTTP, and rebuild whenever the input is
//! saved.
//!
//! The server is axum on hyper. It serves only regular files inside the output folder (see
//! [`resolve`]), answers `GET` and `HEAD` with `ETag` and `Last-Modified` and honours
//! `If-None-Match` / `If-Modified-Since`, and never compresses anything (a compressed feed has
//! broken Outlook subscriptions). Builds replace files atomically, and each request reads one
//! opened file, so a client gets the old feed or the new one, never a mix.
//!
//! An edit that does not validate leaves the last good build online; the located error is
//! printed, and every HTML page gets a banner with it until the input is fixed.

use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::diag;
use crate::load::{self, LoadError};
use crate::output::{self, Written};

mod files;
pub mod resolve;

use files::{Cache, Resource};
use resolve::Rejected;

/// What `calfeed serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The events file to build and watch.
    pub input: PathBuf,
    /// The folder the feeds are built into and served from.
    pub out: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one (the URLs show which).
    pub port: u16,
}

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The input could not be read at all (a missing file is not watched).
    #[error(transparent)]
    Input(LoadError),
    /// The output folder could not be created or opened.
    #[error("cannot use `{}` as the output folder", path.display())]
    Out {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// Nothing can listen on the address.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The input file cannot be watched.
    #[error("cannot watch `{}` for changes", path.display())]
    Watch {
        /// The file.
        path: PathBuf,
        /// What the watcher said.
        #[source]
        source: notify::Error,
    },
    /// The server failed while running.
    #[error("the server stopped with an error")]
    Server(#[source] io::Error),
}

/// The last good build and the current error, if the last attempt failed.
#[derive(Debug)]
struct Status {
    /// Feeds of the last good build, `all.ics` first.
    feeds: Vec<Written>,
    /// The calendar's name in the last good build.
    title: String,
    /// When the last good build finished.
    built: SystemTime,
    /// The located error of the last attempt, when it failed, and when it happened.
    error: Option<(Arc<str>, SystemTime)>,
}

struct Shared {
    /// The served folder, canonical.
    root: PathBuf,
    status: RwLock<Status>,
    cache: Cache,
    /// `host:port` to put in links when a request carries no usable `Host`.
    host: String,
}

impl Shared {
    fn status(&self) -> std::sync::RwLockReadGuard<'_, Status> {
        self.status
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn status_mut(&self) -> std::sync::RwLockWriteGuard<'_, Status> {
        self.status
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Runs `calfeed serve` until SIGINT or SIGTERM.
pub fn run(options: &Options) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    runtime.block_on(serve(options))
}

async fn serve(options: &Options) -> Result<(), ServeError> {
    LazyLock::force(&STARTED);
    // A file that cannot be read (missing, wrong path) is an error; an invalid one is served with
    // the error shown, and fixed by saving it.
    if let Err(source) = std::fs::metadata(&options.input) {
        return Err(ServeError::Input(LoadError::Io {
            path: options.input.clone(),
            source,
        }));
    }
    std::fs::create_dir_all(&options.out).map_err(|source| ServeError::Out {
        path: options.out.clone(),
        source,
    })?;
    let root = options
        .out
        .canonicalize()
        .map_err(|source| ServeError::Out {
            path: options.out.clone(),
            source,
        })?;

    // Listen first: a busy port is reported before anything is written.
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;
    let hosts = hosts(local, &local_addresses());

    let mut status = Status {
        feeds: Vec::new(),
        title: "calfeed".to_owned(),
        built: SystemTime::now(),
        error: None,
    };
    match build_once(&options.input, &options.out) {
        Ok(built) => {
            say(&built.summary);
            status.feeds = built.feeds;
            status.title = built.title;
        }
        Err(error) => {
            shout(&format!(
                "{error}\nServing what `{}` already holds until the input is fixed.",
                options.out.display()
            ));
            status.error = Some((Arc::from(error.as_str()), SystemTime::now()));
        }
    }

    let shared = Arc::new(Shared {
        root,
        status: RwLock::new(status),
        cache: Cache::default(),
        host: hosts[0].clone(),
    });
    say(&urls(
        &options.out,
        &hosts,
        &shared.status().feeds,
        options.bind,
    ));

    let _watcher = watch(options, Arc::clone(&shared))?;
    say(&format!(
        "Watching {} for changes (every save rebuilds); press Ctrl-C to stop.",
        options.input.display()
    ));

    let app = Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&shared))
        .layer(middleware::from_fn(log_request));

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut stopped = stop_rx;
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let _ = stopped.wait_for(|&stop| stop).await;
    });
    let signal = async move {
        let name = stop_signal().await;
        say(&format!("Received {name}, stopping."));
        let _ = stop_tx.send(true);
        // Connections still busy after this long are dropped.
        tokio::time::sleep(Duration::from_secs(5)).await;
    };
    tokio::select! {
        result = server.into_future() => result.map_err(ServeError::Server)?,
        () = signal => {}
    }
    say("Stopped.");
    Ok(())
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM and names it.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut interrupt), Ok(mut terminate)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return "Ctrl-C";
        };
        tokio::select! {
            _ = interrupt.recv() => "Ctrl-C",
            _ = terminate.recv() => "SIGTERM",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// A good build.
struct Built {
    feeds: Vec<Written>,
    title: String,
    summary: String,
}

/// Builds the feeds once; on failure, the full located error as text.
fn build_once(input: &Path, out: &Path) -> Result<Built, String> {
    let stamp = crate::stamp::stamp(
        std::env::var(crate::stamp::VARIABLE).ok().as_deref(),
        chrono::Utc::now(),
    )
    .map_err(|e| format!("error: {e}"))?;
    // Like `build`: tentative events whose dates have passed are warned about.
    let today = crate::plans::Today::new(
        std::env::var(crate::plans::VARIABLE).ok().as_deref(),
        chrono::Utc::now(),
    )
    .map_err(|e| format!("error: {e}"))?;
    let options = load::Options { today: Some(today) };
    let (loaded, text) = load::from_file_with(input, options).map_err(|e| render_load_error(&e))?;
    let report = output::build(&loaded.calendar, out, stamp, |_| {})
        .map_err(|e| format!("error: {}", chain(&e)))?;
    let calendar = &loaded.calendar;
    let mut summary = String::new();
    if !loaded.warnings.is_empty() {
        let shown = diag::render(&loaded.warnings, &input.display().to_string(), &text);
        summary.push_str(&shown);
        summary.push('\n');
    }
    let events = calendar.events.len();
    summary.push_str(&format!(
        "Built {} ({} {}) into {}: {}",
        input.display(),
        events,
        if events == 1 { "event" } else { "events" },
        out.display(),
        report
            .written
            .iter()
            .map(|w| w.file.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for removed in &report.removed {
        summary.push_str(&format!("\n  {removed} removed (no longer in the input)"));
    }
    Ok(Built {
        feeds: report.written,
        title: calendar
            .name
            .get(&calendar.language, &calendar.language)
            .text
            .to_owned(),
        summary,
    })
}

fn render_load_error(error: &LoadError) -> String {
    match error {
        LoadError::Invalid {
            path,
            text,
            diagnostics,
        } => format!(
            "{}\nerror: {error}; the last good build stays online",
            diag::render(diagnostics, &path.display().to_string(), text)
        ),
        LoadError::Io { .. } => format!("error: {}", chain(error)),
    }
}

/// An error and its causes on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Watches the input's folder (editors often save by renaming a new file over the old one) and
/// rebuilds when the input changes. The watcher stops when the returned value is dropped.
fn watch(
    options: &Options,
    shared: Arc<Shared>,
) -> Result<notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>, ServeError> {
    let watch_error = |source| ServeError::Watch {
        path: options.input.clone(),
        source,
    };
    let input = options.input.clone();
    let out = options.out.clone();
    let folder = match input.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let folder = folder
        .canonicalize()
        .map_err(|e| watch_error(notify::Error::io(e)))?;
    let name = input.file_name().map(ToOwned::to_owned);
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(150), tx).map_err(watch_error)?;
    debouncer
        .watcher()
        .watch(&folder, RecursiveMode::NonRecursive)
        .map_err(watch_error)?;
    std::thread::spawn(move || {
        for result in rx {
            match result {
                Ok(events) => {
                    let touched = events.iter().any(|event| {
                        event.path.file_name() == name.as_deref()
                            && event.path.parent() == Some(folder.as_path())
                    });
                    if touched {
                        rebuild(&input, &out, &shared);
                    }
                }
                Err(error) => shout(&format!(
                    "warning: watching {} failed: {}",
                    input.display(),
                    chain(&error)
                )),
            }
        }
    });
    Ok(debouncer)
}

fn rebuild(input: &Path, out: &Path, shared: &Shared) {
    match build_once(input, out) {
        Ok(built) => {
            let mut status = shared.status_mut();
            let fixed = status.error.take().is_some();
            status.feeds = built.feeds;
            status.title = built.title;
            status.built = SystemTime::now();
            drop(status);
            let fixed = if fixed { " The error is fixed." } else { "" };
            say(&format!("{}{fixed}", built.summary));
        }
        Err(error) => {
            shout(&error);
            shared.status_mut().error = Some((Arc::from(error.as_str()), SystemTime::now()));
        }
    }
}

/// Prints a line for the user on standard output; a closed stdout is not worth stopping for.
fn say(text: &str) {
    let _ = writeln!(io::stdout().lock(), "{text}");
}

/// Prints an error on standard error.
fn shout(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// The addresses of this machine other than loopback, IPv4 first.
fn local_addresses() -> Vec<IpAddr> {
    let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|interface| interface.ip())
        .filter(|ip| !ip.is_loopback() && !is_link_local(ip))
        .collect();
    found.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    found.dedup();
    found
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => v6.is_unicast_link_local(),
    }
}

/// `host:port` forms to print for a server listening on `local`: the address itself, or for an
/// unspecified address (`0.0.0.0`, `::`) the machine's addresses that other devices can reach.
fn hosts(local: SocketAddr, machine: &[IpAddr]) -> Vec<String> {
    let port = local.port();
    let ips: Vec<IpAddr> = if local.ip().is_unspecified() {
        let reachable: Vec<IpAddr> = machine
            .iter()
            .copied()
            // `0.0.0.0` listens on IPv4 only; `::` usually on both.
            .filter(|ip| local.is_ipv6() || ip.is_ipv4())
            .collect();
        if reachable.is_empty() {
            vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]
        } else {
            reachable
        }
    } else {
        vec![local.ip()]
    };
    ips.iter()
        .map(|ip| SocketAddr::new(*ip, port).to_string())
        .collect()
}

/// The lines listing the page and each feed, with `webcal://` forms.
fn urls(out: &Path, hosts: &[String], feeds: &[Written], bind: IpAddr) -> String {
    let host = &hosts[0];
    let mut text = format!("Serving {} at http://{host}/\n", out.display());
    let width = feeds
        .iter()
        .map(|f| f.file.len())
        .chain([4])
        .max()
        .unwrap_or(4);
    text.push_str(&format!("  {:<width$}  http://{host}/\n", "page"));
    for feed in feeds {
        text.push_str(&format!(
            "  {:<width$}  http://{host}/{}\n  {:<width$}  webcal://{host}/{}\n",
            feed.file, feed.file, "", feed.file
        ));
    }
    for other in &hosts[1..] {
        text.push_str(&format!("Also reachable at http://{other}/\n"));
    }
    if bind.is_unspecified() {
        text.push_str("Other devices on your network can reach these addresses.\n");
    } else if bind.is_loopback() {
        text.push_str("Only this machine can reach them; `--bind 0.0.0.0` opens them to your network (e.g. a phone).\n");
    }
    text.pop();
    text
}

/// Logs one line per request: client, method, target, status, body size and time taken.
async fn log_request(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let target = printable(request.uri().path_and_query().map_or("/", |pq| pq.as_str()));
    let response = next.run(request).await;
    let size = response
        .body()
        .size_hint()
        .exact()
        .map_or_else(|| "-".to_owned(), |n| n.to_string());
    say(&format!(
        "{} {peer} {} {target} {} {size} {:.1}ms",
        chrono::Utc::now().format("%H:%M:%S"),
        printable(method.as_str()),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    response
}

/// Request text as it may be shown on a terminal: anything but printable ASCII escaped.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_ascii_graphic() {
                vec![c]
            } else {
                c.escape_default().collect()
            }
        })
        .collect()
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    request: Request,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are served here.\n",
        )
        .with_header(header::ALLOW, "GET, HEAD");
    }
    let names = match resolve::segments(request.uri().path()) {
        Ok(names) => names,
        Err(Rejected::BadRequest) => {
            return plain(StatusCode::BAD_REQUEST, "That path is not allowed.\n");
        }
        Err(Rejected::NotFound) => return not_found(),
    };
    let host = link_host(&headers).unwrap_or_else(|| shared.host.clone());
    let lookup = Arc::clone(&shared);
    let found = tokio::task::spawn_blocking(move || lookup.find(&names, &host)).await;
    let resource = match found {
        Ok(Some(resource)) => resource,
        Ok(None) => return not_found(),
        Err(_) => {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The file could not be read.\n",
            );
        }
    };
    let resource = match (&shared.status().error, resource.is_html()) {
        (Some((error, since)), true) => {
            let page = files::with_banner(&resource.bytes, error);
            Arc::new(Resource::new(
                Bytes::from(page),
                resource.modified.max(*since),
                resource.content_type,
            ))
        }
        _ => resource,
    };
    respond(&method, &headers, &resource)
}

impl Shared {
    /// The resource at `names` under the root, or `None` for 404.
    fn find(&self, names: &[String], host: &str) -> Option<Arc<Resource>> {
        let mut path = self.root.clone();
        path.extend(names);
        if path.is_dir() {
            path.push("index.html");
        }
        let top_index = path.parent() == Some(self.root.as_path())
            && path.file_name() == Some("index.html".as_ref());
        if top_index && !path.exists() {
            return Some(Arc::new(self.index_page(host)));
        }
        // Symbolic links are followed only to places inside the folder.
        let resolved = path.canonicalize().ok()?;
        if !resolve::inside(&self.root, &resolved) {
            return None;
        }
        self.cache.read(&resolved).ok().flatten()
    }

    /// The page served at `/` while the folder has no `index.html`: the feeds, with links.
    fn index_page(&self, host: &str) -> Resource {
        let status = self.status();
        let title = files::escape_html(&status.title);
        let host = files::escape_html(host);
        let mut page = format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
        );
        if status.feeds.is_empty() {
            page.push_str("<p>No feeds have been built yet.</p>\n");
        } else {
            page.push_str("<p>Subscribe to a feed in your calendar app:</p>\n<ul>\n");
            for feed in &status.feeds {
                let file = files::escape_html(&feed.file);
                let events = feed.events;
                let noun = if events == 1 { "event" } else { "events" };
                page.push_str(&format!(
                    "<li><a href=\"{file}\">{file}</a> ({events} {noun}) \
                     <a href=\"webcal://{host}/{file}\">subscribe</a></li>\n"
                ));
            }
            page.push_str("</ul>\n");
        }
        page.push_str("</body>\n</html>\n");
        Resource::new(Bytes::from(page), status.built, "text/html; charset=utf-8")
    }
}

/// The `Host` a request was sent to, when it is a plain host name or address with a port.
fn link_host(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    plain.then(|| host.to_owned())
}

/// The full response for a found resource: 200 or 304, body only for GET.
fn respond(method: &Method, headers: &HeaderMap, resource: &Resource) -> Response {
    let last_modified = httpdate::fmt_http_date(resource.modified);
    let status = if not_modified(headers, resource) {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    };
    let mut builder = Response::builder()
        .status(status)
        .header(header::ETAG, &resource.etag)
        .header(header::LAST_MODIFIED, last_modified)
        .header(header::CACHE_CONTROL, "no-cache");
    if status == StatusCode::OK {
        builder = builder
            .header(header::CONTENT_TYPE, resource.content_type)
            .header(header::CONTENT_LENGTH, resource.bytes.len())
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    }
    let body = if status == StatusCode::OK && method == Method::GET {
        Body::from(resource.bytes.clone())
    } else {
        Body::empty()
    };
    builder
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Whether the client's copy is current (RFC 9110, 13.1.2 and 13.1.3): `If-None-Match` wins
/// over `If-Modified-Since`, which is compared at whole seconds.
fn not_modified(headers: &HeaderMap, resource: &Resource) -> bool {
    if let Some(value) = headers.get(header::IF_NONE_MATCH) {
        let Ok(value) = value.to_str() else {
            return false;
        };
        return value.split(',').map(str::trim).any(|tag| {
            tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == resource.etag.as_str()
        });
    }
    let Some(since) = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
    else {
        return false;
    };
    let seconds = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    seconds(resource.modified) <= seconds(since)
}

/// When the server started: the `Last-Modified` of its own short answers (404, 405, ...).
static STARTED: LazyLock<SystemTime> = LazyLock::new(SystemTime::now);

/// A short text answer; it carries validators like every other response.
fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (header::ETAG, files::etag(text.as_bytes())),
            (header::LAST_MODIFIED, httpdate::fmt_http_date(*STARTED)),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        text,
    )
        .into_response()
}

fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "Not found.\n")
}

trait WithHeader {
    fn with_header(self, name: header::HeaderName, value: &'static str) -> Self;
}

impl WithHeader for Response {
    fn with_header(mut self, name: header::HeaderName, value: &'static str) -> Self {
        self.headers_mut()
            .insert(name, HeaderValue::from_static(value));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    #[test]
    fn loopback_prints_itself() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let machine = ["192.168.1.20".parse().unwrap()];
        assert_eq!(hosts(local, &machine), ["127.0.0.1:8080"]);
    }

    #[test]
    fn unspecified_prints_the_machine_addresses() {
        let machine: Vec<IpAddr> = vec![
            "192.168.1.20".parse().unwrap(),
            "10.0.0.5".parse().unwrap(),
            "2001:db8::5".parse().unwrap(),
        ];
        let any4 = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 8080);
        assert_eq!(
            hosts(any4, &machine),
            ["192.168.1.20:8080", "10.0.0.5:8080"]
        );
        let any6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 8080);
        assert_eq!(hosts(any6, &machine)[2], "[2001:db8::5]:8080");
        assert_eq!(hosts(any4, &[]), ["127.0.0.1:8080"]);
    }

    #[test]
    fn urls_list_the_page_and_each_feed_with_webcal() {
        let feeds = [Written {
            file: "all.ics".into(),
            events: 3,
        }];
        let text = urls(
            Path::new("public"),
            &["192.168.1.20:8080".into()],
            &feeds,
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        );
        assert!(text.contains("http://192.168.1.20:8080/all.ics"), "{text}");
        assert!(
            text.contains("webcal://192.168.1.20:8080/all.ics"),
            "{text}"
        );
        assert!(
            text.contains("page     http://192.168.1.20:8080/\n"),
            "{text}"
        );
    }

    #[test]
    fn hosts_from_requests_are_used_only_when_plain() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("[::1]:8080"));
        assert_eq!(link_host(&headers).as_deref(), Some("[::1]:8080"));
        headers.insert(header::HOST, HeaderValue::from_static("a\"><script>"));
        assert_eq!(link_host(&headers), None);
    }

    #[test]
    fn request_text_is_escaped_for_the_terminal() {
        assert_eq!(printable("/a b\u{1b}[31m"), "/a b\\u{1b}[31m");
    }
}
