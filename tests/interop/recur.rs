//! calfeed's expansion of recurrence rules compared with python-dateutil's `rrule` on thousands
//! of generated rules (every FREQ, INTERVAL, COUNT and UNTIL, BYDAY with and without numbers,
//! negative BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYSETPOS, WKST, BYHOUR, BYMINUTE, BYSECOND).
//!
//! Needs python-dateutil (installed by `tests/interop/setup.sh`), so it is run by
//! `scripts/test.sh`, not by a plain `cargo test`.

use std::ffi::OsStr;

use calfeed::recur::Rule;

use crate::common::run_checker;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Occurrences compared per rule.
const LIMIT: usize = 40;
/// Occurrences after this year are not compared.
const LAST_YEAR: i32 = 2100;

/// A small deterministic generator (xorshift), so that a failure can be reproduced.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn signed(&mut self, max: i64, negative_percent: u64) -> i64 {
        let n = self.below(max as u64) as i64 + 1;
        if self.chance(negative_percent) { -n } else { n }
    }
    fn list(&mut self, most: u64, mut item: impl FnMut(&mut Self) -> String) -> String {
        let n = self.below(most) + 1;
        let mut items: Vec<String> = (0..n).map(|_| item(self)).collect();
        items.sort();
        items.dedup();
        items.join(",")
    }
}

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const FREQS: [&str; 7] = [
    "YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY",
];

fn generate(r: &mut Random) -> (String, NaiveDateTime) {
    let weights = [22, 26, 22, 18, 6, 4, 2];
    let mut pick = r.below(100);
    let mut f = 0;
    while pick >= weights[f] {
        pick -= weights[f];
        f += 1;
    }
    let freq = FREQS[f];
    let mut parts = vec![format!("FREQ={freq}")];
    if r.chance(35) {
        parts.push(format!("INTERVAL={}", r.below(4) + 1));
    }
    let coarse = f <= 3;
    // Mostly one or two of the day parts: more make rules that never happen.
    let month = r.chance(if freq == "YEARLY" { 40 } else { 10 });
    let week_no = freq == "YEARLY" && r.chance(15);
    let year_day = (freq == "YEARLY" || !coarse) && !week_no && r.chance(12);
    let month_day = freq != "WEEKLY" && !year_day && r.chance(30);
    let by_day = r.chance(if month_day || week_no { 25 } else { 55 });
    if month {
        parts.push(format!(
            "BYMONTH={}",
            r.list(3, |r| (r.below(12) + 1).to_string())
        ));
    }
    if week_no {
        parts.push(format!(
            "BYWEEKNO={}",
            r.list(3, |r| {
                if r.chance(20) {
                    (-(r.below(3) as i64) - 1).to_string()
                } else {
                    (r.below(53) + 1).to_string()
                }
            })
        ));
    }
    if year_day {
        parts.push(format!(
            "BYYEARDAY={}",
            r.list(3, |r| r.signed(366, 30).to_string())
        ));
    }
    if month_day {
        parts.push(format!(
            "BYMONTHDAY={}",
            r.list(3, |r| r.signed(31, 30).to_string())
        ));
    }
    if by_day {
        // A list mixes numbered and plain days only in rules calfeed refuses.
        let numbered = matches!(freq, "MONTHLY" | "YEARLY") && !week_no && r.chance(50);
        parts.push(format!(
            "BYDAY={}",
            r.list(3, |r| {
                let day = DAYS[r.below(7) as usize];
                if numbered {
                    let max = if freq == "YEARLY" && !month { 53 } else { 5 };
                    format!("{}{day}", r.signed(max, 35))
                } else {
                    day.to_owned()
                }
            })
        ));
    }
    if r.chance(if coarse { 15 } else { 40 }) {
        parts.push(format!("BYHOUR={}", r.list(3, |r| r.below(24).to_string())));
    }
    if r.chance(if coarse { 10 } else { 40 }) {
        parts.push(format!(
            "BYMINUTE={}",
            r.list(3, |r| r.below(60).to_string())
        ));
    }
    if r.chance(if coarse { 5 } else { 30 }) {
        parts.push(format!(
            "BYSECOND={}",
            r.list(2, |r| r.below(60).to_string())
        ));
    }
    if parts.iter().any(|p| p.starts_with("BY")) && r.chance(25) {
        parts.push(format!(
            "BYSETPOS={}",
            r.list(2, |r| r.signed(5, 40).to_string())
        ));
    }
    if r.chance(20) {
        parts.push(format!("WKST={}", DAYS[r.below(7) as usize]));
    }
    let mut start = NaiveDate::from_ymd_opt(2020 + r.below(10) as i32, 1, 1)
        .unwrap()
        .and_hms_opt(r.below(24) as u32, r.below(4) as u32 * 15, 0)
        .unwrap()
        + chrono::Duration::days(r.below(366) as i64);
    // calfeed refuses a weekly BYSETPOS rule that starts in the middle of its week (dateutil
    // counts only the rest of that first week).
    let week_start = parts
        .iter()
        .find_map(|p| p.strip_prefix("WKST="))
        .map_or(0, |d| DAYS.iter().position(|x| *x == d).unwrap());
    if freq == "WEEKLY" && parts.iter().any(|p| p.starts_with("BYSETPOS")) {
        while start.weekday().num_days_from_monday() as usize != week_start {
            start += chrono::Duration::days(1);
        }
    }
    match r.below(10) {
        0..=3 => parts.push(format!("COUNT={}", r.below(30) + 1)),
        4..=5 => {
            let until = start + chrono::Duration::days(r.below(2000) as i64);
            parts.push(format!("UNTIL={}", until.format("%Y%m%d")));
        }
        6 => {
            let until = start + chrono::Duration::hours(r.below(20_000) as i64);
            parts.push(format!("UNTIL={}", until.format("%Y%m%dT%H%M%S")));
        }
        _ => {}
    }
    // Shuffle the order of the parts: it must not matter.
    for i in (1..parts.len()).rev() {
        let j = r.below(i as u64 + 1) as usize;
        parts.swap(i, j);
    }
    (parts.join(";"), start)
}

#[test]
#[ignore = "needs python-dateutil; scripts/test.sh runs it"]
fn expansion_matches_dateutil_on_generated_rules() {
    let mut random = Random(0x5eed_ca1f_eed5_2026);
    let mut cases = Vec::new();
    while cases.len() < 3000 {
        let (text, start) = generate(&mut random);
        if let Ok(rule) = text.parse::<Rule>() {
            cases.push((text, rule, start));
        }
    }
    let request: String = cases
        .iter()
        .map(|(text, _, start)| format!("{text} {}\n", start.format("%Y-%m-%dT%H:%M:%S")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (asked, answered) = (
        dir.path().join("request.txt"),
        dir.path().join("result.txt"),
    );
    std::fs::write(&asked, request).unwrap();
    run_checker(
        "python3",
        &[
            OsStr::new("tests/interop/rrule_dateutil.py"),
            OsStr::new(&LIMIT.to_string()),
            OsStr::new(&LAST_YEAR.to_string()),
            asked.as_os_str(),
            answered.as_os_str(),
        ],
    );
    let answer = std::fs::read_to_string(&answered).unwrap();
    let expected: Vec<Vec<&str>> = answer.lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(expected.len(), cases.len());

    let mut mismatches = Vec::new();
    let (mut compared, mut occurrences, mut cut_short) = (0, 0, 0);
    for ((text, rule, start), want) in cases.iter().zip(&expected) {
        let ours: Vec<String> = rule
            .occurrences(*start)
            .take_while(|t| t.year() <= LAST_YEAR)
            .take(LIMIT)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
            .collect();
        let theirs: Vec<String> = want[1..].iter().map(|t| (*t).to_owned()).collect();
        let agrees = if want[0] == "error" {
            // dateutil refuses rules that can never produce a time of day; so must we.
            ours.is_empty()
        } else if want[0] == "timeout" {
            cut_short += 1;
            ours.starts_with(&theirs)
        } else {
            ours == theirs
        };
        compared += 1;
        occurrences += theirs.len();
        if !agrees {
            mismatches.push(format!(
                "{text} from {start}:\n  calfeed:  {ours:?}\n  dateutil: {} {theirs:?}",
                want[0]
            ));
        }
    }
    println!(
        "{compared} rules, {occurrences} occurrences compared, {cut_short} cut short by \
         dateutil's time limit, {} mismatches",
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {compared} rules expand differently:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(15)].join("\n")
    );
}
