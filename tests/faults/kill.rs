//! SIGKILL at random points of a large build: every feed in the folder is always complete, old
//! or new, every published file is listed for removal, and the next build sweeps the leftovers.

use std::time::Instant;

use crate::support::{Rng, build, build_command, feeds, inputs, manifest, snapshot, temp_files};

#[test]
fn killed_builds_never_leave_a_truncated_or_untracked_feed() {
    let rounds: usize = std::env::var("CALFEED_KILL_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let events: usize = std::env::var("CALFEED_KILL_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let inputs = inputs(events);
    let out = inputs.dir.path().join("public");

    // How long a whole build takes here (the quicker of two), to spread the kills over it.
    let whole = inputs
        .paths
        .iter()
        .map(|input| {
            let since = Instant::now();
            build(input, &out);
            since.elapsed()
        })
        .min()
        .unwrap();

    let mut rng = Rng::from_clock("kill loop");
    let (mut killed, mut finished, mut with_leftovers, mut mixed) = (0, 0, 0, 0);
    for round in 0..rounds {
        let input = rng.below(2) as usize;
        let mut child = build_command(&inputs.paths[input], &out).spawn().unwrap();
        let wait = whole.mul_f64(rng.below(1_000) as f64 / 1_000.0);
        std::thread::sleep(wait);
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "round {round}: the build failed");
                finished += 1;
            }
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                killed += 1;
            }
        }

        let now = snapshot(&out);
        let listed = manifest(&out);
        let mut from = [false; 2];
        for (name, bytes) in feeds(&now) {
            assert!(
                bytes.ends_with(b"END:VCALENDAR\r\n"),
                "round {round}: {name} is truncated ({} bytes)",
                bytes.len()
            );
            let which = inputs
                .expected
                .iter()
                .position(|expected| expected.get(&name) == Some(&bytes))
                .unwrap_or_else(|| panic!("round {round}: {name} is neither input's"));
            from[which] = true;
            assert!(
                listed.contains(&name),
                "round {round}: {name} is published but not in .calfeed-outputs {listed:?}"
            );
        }
        if from == [true, true] {
            mixed += 1;
        }
        if !temp_files(&out).is_empty() {
            with_leftovers += 1;
        }
    }

    // The next build finishes the job: the folder is exactly its feeds, nothing left over.
    build(&inputs.paths[0], &out);
    assert_eq!(feeds(&snapshot(&out)), inputs.expected[0]);
    assert_eq!(temp_files(&out), Vec::<String>::new());
    let mut listed = manifest(&out);
    // (The subscribe page and the one-event files are listed too.)
    listed.retain(|name| !name.contains('/') && name.ends_with(".ics"));
    listed.sort();
    assert_eq!(
        listed,
        inputs.expected[0].keys().cloned().collect::<Vec<_>>()
    );
    println!(
        "{rounds} rounds of a {events}-event build ({whole:?} whole): {killed} killed, \
         {finished} finished; {with_leftovers} left temporary files, {mixed} left feeds of both \
         inputs (each one complete); no truncated or untracked feed",
    );
}
