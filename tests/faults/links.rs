//! Symbolic links and a tampered `.calfeed-outputs` in the output folder: calfeed replaces
//! links instead of writing through them, and deletes nothing outside the folder.

use std::fs;
use std::os::unix::fs::symlink;

use crate::support::{build, build_command, feeds, inputs, manifest, snapshot, stderr};

#[test]
fn a_feed_name_that_links_outside_is_replaced_not_written_through() {
    let inputs = inputs(3);
    let outside = inputs.dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("precious.txt"), "keep me").unwrap();
    let out = inputs.dir.path().join("public");
    fs::create_dir(&out).unwrap();
    symlink(outside.join("precious.txt"), out.join("all.ics")).unwrap();
    symlink(outside.join("created.txt"), out.join("shared.ics")).unwrap();
    symlink(outside.join("lock"), out.join(".calfeed-lock")).unwrap();
    symlink(outside.join("list"), out.join(".calfeed-outputs")).unwrap();

    build(&inputs.paths[0], &out);
    assert_eq!(
        fs::read_to_string(outside.join("precious.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        snapshot(&outside).len(),
        1,
        "{:?}",
        snapshot(&outside).keys()
    );
    for name in ["all.ics", "shared.ics", ".calfeed-lock", ".calfeed-outputs"] {
        let kind = fs::symlink_metadata(out.join(name)).unwrap().file_type();
        assert!(kind.is_file(), "{name} is still a link");
    }
    assert_eq!(feeds(&snapshot(&out)), inputs.expected[0]);
}

#[test]
fn a_tampered_manifest_deletes_nothing_outside_the_folder() {
    let inputs = inputs(3);
    let dir = inputs.dir.path();
    let outside = dir.join("outside");
    fs::create_dir(&outside).unwrap();
    for name in ["victim.ics", "abs.ics", "linked.ics"] {
        fs::write(outside.join(name), name).unwrap();
    }
    let out = dir.join("public");
    build(&inputs.paths[0], &out);
    let before = feeds(&snapshot(&out));
    fs::create_dir(out.join("sub")).unwrap();
    fs::create_dir_all(out.join("a/b")).unwrap();
    fs::write(out.join("a/b/deep.ics"), "deep").unwrap();
    symlink(&outside, out.join("linked")).unwrap();
    let listed = [
        "../outside/victim.ics".to_owned(),
        outside.join("abs.ics").display().to_string(),
        "sub/../../outside/victim.ics".to_owned(),
        "linked/linked.ics".to_owned(),
        "a/b/deep.ics".to_owned(),
        "/".to_owned(),
        "..".to_owned(),
        "".to_owned(),
    ];
    let mut text = manifest(&out).join("\n");
    text.push('\n');
    text.push_str(&listed.join("\n"));
    fs::write(out.join(".calfeed-outputs"), text).unwrap();

    let output = build_command(&inputs.paths[0], &out).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    for name in ["victim.ics", "abs.ics", "linked.ics"] {
        assert_eq!(fs::read_to_string(outside.join(name)).unwrap(), name);
    }
    assert_eq!(
        fs::read_to_string(out.join("a/b/deep.ics")).unwrap(),
        "deep"
    );
    assert_eq!(feeds(&snapshot(&out)), before);
    // The list is rewritten with only what this build wrote.
    let mut now = manifest(&out);
    // (The subscribe page and the one-event files are listed too.)
    now.retain(|name| !name.contains('/') && name.ends_with(".ics"));
    now.sort();
    assert_eq!(now, before.keys().cloned().collect::<Vec<_>>());
}

#[test]
fn out_naming_a_file_or_a_broken_link_is_not_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.toml");
    fs::write(&input, crate::support::input("a", 1)).unwrap();
    let file = dir.path().join("file");
    fs::write(&file, "a file").unwrap();
    let broken = dir.path().join("broken");
    symlink(dir.path().join("nowhere"), &broken).unwrap();
    let under_file = file.join("public");

    for out in [&file, &broken, &under_file] {
        let output = build_command(&input, out).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let shown = if *out == under_file { &file } else { out };
        assert_eq!(
            stderr(&output),
            format!(
                "error: `{}` is not a folder; nothing was written\n",
                if *out == under_file { out } else { shown }.display()
            )
        );
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "a file");
    assert!(!dir.path().join("nowhere").exists());

    // A link to a folder is a folder.
    let real = dir.path().join("real");
    fs::create_dir(&real).unwrap();
    let link = dir.path().join("link");
    symlink(&real, &link).unwrap();
    build(&input, &link);
    assert!(real.join("all.ics").is_file());
}
