//! Two builds into one folder: the second waits for the first, and the folder ends up holding
//! one input's feeds, never a mix.

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{Rng, build_command, feeds, inputs, inputs_in, snapshot, stderr, temp_files};

#[test]
fn two_builds_into_one_folder_leave_one_inputs_feeds() {
    // In memory where there is a tmpfs: this is about order, not durability, and flushing to a
    // slow disk would make the rounds too slow to run many.
    let shm = std::path::Path::new("/dev/shm");
    let inputs = if shm.is_dir() {
        inputs_in(300, shm)
    } else {
        inputs(300)
    };
    let mut rng = Rng::from_clock("concurrent builds");
    let rounds = 100;
    let mut waited = 0;
    let mut winners = [0; 2];
    for round in 0..rounds {
        let out = inputs.dir.path().join(format!("public-{round}"));
        // Either order, and sometimes the second starts a moment later.
        let first = rng.below(2) as usize;
        let a = build_command(&inputs.paths[first], &out)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if rng.below(2) == 0 {
            std::thread::sleep(Duration::from_micros(rng.below(20_000)));
        }
        let b = build_command(&inputs.paths[1 - first], &out)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let outputs = [a.wait_with_output(), b.wait_with_output()].map(Result::unwrap);
        for output in &outputs {
            assert!(
                output.status.success(),
                "round {round}: a build failed:\n{}",
                stderr(output)
            );
            if stderr(output).contains(&format!(
                "waiting for another build of {} to finish",
                out.display()
            )) {
                waited += 1;
            }
        }
        let left = feeds(&snapshot(&out));
        let winner = inputs
            .expected
            .iter()
            .position(|expected| *expected == left)
            .unwrap_or_else(|| {
                panic!(
                    "round {round}: the folder mixes the two inputs: {:?}",
                    left.keys().collect::<Vec<_>>()
                )
            });
        winners[winner] += 1;
        assert_eq!(temp_files(&out), Vec::<String>::new(), "round {round}");
    }
    println!(
        "{rounds} rounds: the folder held input a {} times and b {} times; {waited} builds waited",
        winners[0], winners[1]
    );
}

#[test]
fn a_build_waits_for_the_lock_and_says_so() {
    let inputs = inputs(3);
    let out = inputs.dir.path().join("public");
    fs::create_dir(&out).unwrap();
    let lock = fs::File::create(out.join(".calfeed-lock")).unwrap();
    fs4::FileExt::lock(&lock).unwrap();

    let mut child = build_command(&inputs.paths[0], &out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert_eq!(
        first,
        format!("waiting for another build of {} to finish", out.display())
    );
    // It really waits: nothing is written while the lock is held.
    let since = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none());
    assert!(!out.join("all.ics").exists());

    fs4::FileExt::unlock(&lock).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(since.elapsed() >= Duration::from_millis(300));
    assert_eq!(feeds(&snapshot(&out)), inputs.expected[0]);
}
