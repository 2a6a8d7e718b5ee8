//! The default dataset (`events.toml`): the facts it must hold, checked in the built feeds
//! through Python `icalendar` by `tests/dataset/check_dataset.py`, whose expectations are
//! written out by hand from the article and the later reports of what became of its plans.
//! The script also runs `calfeed check` with today's date from the clock: no plan in the
//! dataset may have dates that have passed.

use std::ffi::OsStr;

use crate::common::{build, root, run_checker};

#[test]
#[ignore = "needs Python icalendar: run scripts/test.sh"]
fn the_default_dataset_holds_the_articles_facts() {
    let out = tempfile::tempdir().unwrap();
    build(&root().join("events.toml"), out.path());
    let report = run_checker(
        "python3",
        &[
            OsStr::new("tests/dataset/check_dataset.py"),
            out.path().as_os_str(),
            OsStr::new("--toml"),
            root().join("events.toml").as_os_str(),
            OsStr::new("--calfeed"),
            OsStr::new(env!("CARGO_BIN_EXE_calfeed")),
        ],
    );
    println!("{report}");
}
