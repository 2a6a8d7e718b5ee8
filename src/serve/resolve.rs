//! Turning a request path into names inside the served folder, refusing every way out of it.
//!
//! Each `/`-separated segment of the raw path is percent-decoded on its own, so an encoded slash
//! (`%2f`) stays inside one segment and is refused there instead of splitting it. A segment must
//! then be one plain file name: not `.` or `..` (in any encoding, also encoded twice), without
//! slashes, backslashes, NUL or other control characters, and valid UTF-8. Names starting with a
//! dot (the build's own `.calfeed-outputs`, temporary files, `.nojekyll`) are not served.
//!
//! Symbolic links are followed only when they end inside the folder; the caller checks that on
//! the resolved path (see [`inside`]).

use std::path::{Component, Path};

use percent_encoding::percent_decode_str;

/// Why a request path is not served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// The path is malformed or tries to leave the folder: 400.
    BadRequest,
    /// The path names nothing that is served: 404.
    NotFound,
}

/// The names of a request path, in order, without empty segments.
///
/// ```text
/// /            -> []
/// /all.ics     -> ["all.ics"]
/// /events/     -> ["events"]
/// /%2e%2e/x    -> BadRequest
/// ```
pub fn segments(path: &str) -> Result<Vec<String>, Rejected> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(Rejected::BadRequest);
    };
    let mut names = Vec::new();
    for raw in rest.split('/') {
        if raw.is_empty() {
            continue;
        }
        let name = decode(raw)?;
        check_name(&name)?;
        // `%252e%252e` decodes to `%2e%2e`: a literal name, unless a second decoding would make
        // it a way out, which some other layer might apply.
        if name.contains('%') {
            let twice = decode(&name)?;
            if twice != name {
                check_name(&twice)?;
            }
        }
        if name.starts_with('.') {
            return Err(Rejected::NotFound);
        }
        names.push(name);
    }
    Ok(names)
}

fn decode(raw: &str) -> Result<String, Rejected> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|name| name.into_owned())
        .map_err(|_| Rejected::BadRequest)
}

fn check_name(name: &str) -> Result<(), Rejected> {
    if name == "." || name == ".." {
        return Err(Rejected::BadRequest);
    }
    if name
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return Err(Rejected::BadRequest);
    }
    // One plain name on this platform (no drive letters, roots or prefixes).
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(_)), None) => Ok(()),
        _ => Err(Rejected::BadRequest),
    }
}

/// Whether `resolved` (a canonical path, symbolic links followed) lies inside `root` (canonical).
pub fn inside(root: &Path, resolved: &Path) -> bool {
    resolved.starts_with(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(path: &str) -> Vec<String> {
        segments(path).unwrap_or_else(|e| panic!("{path}: {e:?}"))
    }

    #[test]
    fn plain_paths_become_names() {
        assert!(ok("/").is_empty());
        assert_eq!(ok("/all.ics"), ["all.ics"]);
        assert_eq!(ok("/events/nara.ics"), ["events", "nara.ics"]);
        assert_eq!(ok("//all.ics"), ["all.ics"]);
        assert_eq!(ok("/events/"), ["events"]);
        assert_eq!(ok("/caf%C3%A9.ics"), ["café.ics"]);
        assert_eq!(ok("/a%20b.ics"), ["a b.ics"]);
        // A literal `%2e` in a name, encoded once more: harmless on its own.
        assert_eq!(ok("/100%25.ics"), ["100%.ics"]);
    }

    #[test]
    fn every_way_up_is_refused() {
        for path in [
            "/..",
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/%2e./etc/passwd",
            "/..%2fetc%2fpasswd",
            "/%2e%2e%2fetc%2fpasswd",
            "/%252e%252e/etc/passwd",
            "/%252e%252e%252fetc%252fpasswd",
            "/..%5cetc",
            "/a%5c..%5c..%5cetc",
            "/%2fetc%2fpasswd",
            "/all.ics%00",
            "/all%00.ics",
            "/%0a",
            "/%ff.ics",
            "/.",
            "/%2e",
            "all.ics",
            "",
        ] {
            assert_eq!(segments(path), Err(Rejected::BadRequest), "{path}");
        }
    }

    #[test]
    fn no_combination_of_pieces_gets_out() {
        let pieces = [
            "..", ".", "%2e", "%2E", "%2f", "%2F", "%5c", "%25", "2e", "a", "/", "%00", "\\",
        ];
        let n = pieces.len();
        for mut code in 0..n.pow(4) {
            let mut path = String::from("/");
            for _ in 0..4 {
                path.push_str(pieces[code % n]);
                code /= n;
            }
            let Ok(names) = segments(&path) else {
                continue;
            };
            for name in &names {
                let twice = decode(name).unwrap_or_default();
                for candidate in [name.as_str(), twice.as_str()] {
                    assert!(
                        candidate != ".."
                            && candidate != "."
                            && !candidate.contains(['/', '\\', '\0']),
                        "{path} gave {names:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn hidden_files_are_not_found() {
        for path in [
            "/.calfeed-outputs",
            "/.calfeed-abc123.tmp",
            "/.nojekyll",
            "/%2ecalfeed-outputs",
            "/.git/config",
        ] {
            assert_eq!(segments(path), Err(Rejected::NotFound), "{path}");
        }
    }

    #[test]
    fn inside_compares_whole_components() {
        let root = Path::new("/srv/public");
        assert!(inside(root, Path::new("/srv/public/all.ics")));
        assert!(inside(root, Path::new("/srv/public")));
        assert!(!inside(root, Path::new("/srv/public-old/all.ics")));
        assert!(!inside(root, Path::new("/etc/passwd")));
    }
}
