//! What a response carries: the bytes of a file, its type, validators, and the error banner.

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Bytes;

/// A representation ready to send.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The body.
    pub bytes: Bytes,
    /// A strong entity tag, quoted.
    pub etag: String,
    /// When it last changed.
    pub modified: SystemTime,
    /// The `Content-Type`.
    pub content_type: &'static str,
}

impl Resource {
    /// A resource of `bytes`, tagged by their content.
    pub fn new(bytes: Bytes, modified: SystemTime, content_type: &'static str) -> Self {
        let etag = etag(&bytes);
        Resource {
            bytes,
            etag,
            modified,
            content_type,
        }
    }

    /// Whether this is an HTML page (which gets the error banner).
    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// A strong entity tag of some bytes: their length and a 64-bit hash.
pub fn etag(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    format!("\"{:x}-{:016x}\"", bytes.len(), hasher.finish())
}

/// The `Content-Type` of a file name.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("ics") => "text/calendar; charset=utf-8",
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

/// What identifies one version of a file: a build replaces files by renaming new ones over
/// them, so a changed file is a new inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl Fingerprint {
    fn of(meta: &Metadata) -> Self {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Fingerprint {
            device,
            inode,
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// Files read so far, so that a file is hashed once per version rather than once per request.
#[derive(Debug, Default)]
pub struct Cache {
    entries: Mutex<HashMap<PathBuf, (Fingerprint, Arc<Resource>)>>,
}

/// At most this many files are remembered; past it the cache starts over.
const CACHE_ENTRIES: usize = 4096;

impl Cache {
    /// Reads the regular file at `path` (already checked to be inside the served folder).
    ///
    /// `Ok(None)` when it is not a regular file. The file is opened once and everything comes
    /// from that open file, so a rename during the request gives the old or the new version
    /// whole, never a mix.
    pub fn read(&self, path: &Path) -> io::Result<Option<Arc<Resource>>> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Ok(None);
        }
        let fingerprint = Fingerprint::of(&meta);
        if let Some((known, resource)) = self.lock().get(path)
            && *known == fingerprint
        {
            return Ok(Some(Arc::clone(resource)));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        let resource = Arc::new(Resource::new(
            Bytes::from(bytes),
            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            content_type(path),
        ));
        let mut entries = self.lock();
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        entries.insert(path.to_owned(), (fingerprint, Arc::clone(&resource)));
        Ok(Some(resource))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (Fingerprint, Arc<Resource>)>> {
        // A panic while holding the lock leaves a usable map.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The banner shown at the top of every page while the input has errors.
fn banner(error: &str) -> String {
    format!(
        "\n<div id=\"calfeed-error\" role=\"alert\" style=\"margin:0;padding:1em;\
         background:#fff0f0;color:#600;border-bottom:3px solid #c00;font:14px/1.4 sans-serif\">\
         <strong>The last edit was not published: the input has errors.</strong> \
         The feeds and this page are from the last good build. Fix the file and save; \
         then reload.\
         <pre style=\"white-space:pre-wrap;margin:.5em 0 0;font:13px/1.35 monospace\">{}</pre>\
         </div>\n",
        escape_html(error)
    )
}

/// `page` with the error banner inserted right after its `<body ...>` tag (or at the start when
/// it has none).
pub fn with_banner(page: &[u8], error: &str) -> Vec<u8> {
    let at = body_content_start(page).unwrap_or(0);
    let banner = banner(error);
    let mut out = Vec::with_capacity(page.len() + banner.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(banner.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// The byte offset just after the opening `<body>` tag, attributes included.
fn body_content_start(page: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = find_ascii_ci(&page[from..], b"<body") {
        let tag = from + found;
        let after = tag + b"<body".len();
        match page.get(after) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') => {
                // Attribute values may hold `>` when quoted.
                let mut quote = None;
                for (i, &b) in page[after..].iter().enumerate() {
                    match (quote, b) {
                        (None, b'"' | b'\'') => quote = Some(b),
                        (Some(q), b) if b == q => quote = None,
                        (None, b'>') => return Some(after + i + 1),
                        _ => {}
                    }
                }
                return None;
            }
            _ => from = after,
        }
    }
    None
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_goes_after_the_body_tag_and_is_escaped() {
        let page = b"<!doctype html><html><head><title>x</title></head>\
                     <BODY class=\"a>b\" data-x='y'><h1>Hi</h1></BODY></html>";
        let out =
            String::from_utf8(with_banner(page, "bad <script>alert(1)</script> & \"q\"")).unwrap();
        let body_end = out.find("data-x='y'>").unwrap() + "data-x='y'>".len();
        assert!(
            out[body_end..].starts_with("\n<div id=\"calfeed-error\""),
            "{out}"
        );
        assert!(out.contains("bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
        assert!(!out.contains("<script>"));
        assert!(out.ends_with("<h1>Hi</h1></BODY></html>"));
    }

    #[test]
    fn body_like_tags_are_skipped() {
        let page = b"<html><bodyx></bodyx><body>text</body></html>";
        let out = String::from_utf8(with_banner(page, "e")).unwrap();
        assert!(
            out.starts_with("<html><bodyx></bodyx><body>\n<div"),
            "{out}"
        );
    }

    #[test]
    fn a_page_without_body_gets_the_banner_first() {
        let out = String::from_utf8(with_banner(b"<p>hi</p>", "e")).unwrap();
        assert!(out.starts_with("\n<div id=\"calfeed-error\""));
        assert!(out.ends_with("<p>hi</p>"));
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(
            content_type(Path::new("all.ics")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("INDEX.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }

    #[test]
    fn etags_follow_content() {
        assert_eq!(etag(b"abc"), etag(b"abc"));
        assert_ne!(etag(b"abc"), etag(b"abd"));
        assert!(etag(b"abc").starts_with("\"3-"));
    }
}
