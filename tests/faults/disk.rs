//! A full disk and a read-only folder: the build fails saying what it could not write, and the
//! feeds of the previous build stay as they were.

use std::fs;

use crate::support::{
    Mount, build, build_command, input, is_root, skip, snapshot, stderr, temp_files,
};

#[test]
fn a_full_disk_leaves_the_old_feeds() {
    let mount = match Mount::tmpfs("256k") {
        Ok(mount) => mount,
        Err(why) => return skip("a_full_disk_leaves_the_old_feeds", &why),
    };
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.toml");
    let large = dir.path().join("large.toml");
    fs::write(&small, input("a", 5)).unwrap();
    fs::write(&large, input("b", 2_000)).unwrap();
    let out = mount.path.join("public");
    build(&small, &out);
    let before = snapshot(&out);

    let output = build_command(&large, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!("error: cannot write `{}/", out.display()))
            && message.ends_with(": No space left on device (os error 28); nothing was written\n"),
        "{message}"
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(temp_files(&out), Vec::<String>::new());

    // With the space back, the next build goes through.
    build(&small, &out);
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_read_only_folder_leaves_the_old_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.toml");
    let second = dir.path().join("second.toml");
    fs::write(&first, input("a", 5)).unwrap();
    fs::write(&second, input("b", 5)).unwrap();

    // Root writes through permissions, so it needs a read-only mount; others a read-only mode.
    let mount = if is_root() {
        match Mount::tmpfs("1m") {
            Ok(mount) => Some(mount),
            Err(why) => return skip("a_read_only_folder_leaves_the_old_feeds", &why),
        }
    } else {
        None
    };
    let out = match &mount {
        Some(mount) => mount.path.join("public"),
        None => dir.path().join("public"),
    };
    build(&first, &out);
    let before = snapshot(&out);
    match &mount {
        Some(mount) => mount.read_only(),
        None => set_mode(&out, 0o555),
    }

    let output = build_command(&second, &out).output().unwrap();
    if mount.is_none() {
        set_mode(&out, 0o755);
    }
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    let cause = if mount.is_some() {
        "Read-only file system (os error 30)"
    } else {
        "Permission denied (os error 13)"
    };
    assert!(
        message.starts_with("error: cannot ")
            && message.ends_with(&format!(": {cause}; nothing was written\n")),
        "{message}"
    );
    assert_eq!(snapshot(&out), before);
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}
