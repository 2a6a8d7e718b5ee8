use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};

use super::vtimezone::SCAN_UNTIL;
use super::zone::naive;
use super::*;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test instants parse")
}

fn zone(name: &str) -> Zone {
    Tzdb::bundled().zone(name).expect("test zones exist")
}

fn all_zones() -> impl Iterator<Item = Zone> {
    let db = Tzdb::bundled();
    db.names().iter().filter_map(|n| db.zone(n))
}

fn text(v: &Vtimezone) -> String {
    v.lines().join("\n")
}

#[test]
fn berlin_today_is_one_open_ended_pair() {
    let v = vtimezone(zone("Europe/Berlin"), at("2025-10-28T09:00:00Z"));
    assert_eq!(
        text(&v),
        "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\n\
         BEGIN:STANDARD\nDTSTART:20251026T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n\
         TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD\n\
         BEGIN:DAYLIGHT\nDTSTART:20260329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n\
         TZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT\n\
         END:VTIMEZONE"
    );
}

#[test]
fn new_york_uses_second_and_first_sunday() {
    let v = vtimezone(zone("America/New_York"), at("2026-03-01T00:00:00Z"));
    let t = text(&v);
    assert!(t.contains("DTSTART:20251102T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST"), "{t}");
    assert!(t.contains("DTSTART:20260308T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nTZNAME:EDT"), "{t}");
    assert_eq!(v.observances.len(), 2);
}

#[test]
fn southern_hemisphere_daylight_starts_in_october() {
    let v = vtimezone(zone("Australia/Sydney"), at("2026-01-10T00:00:00Z"));
    let t = text(&v);
    assert!(t.contains("BEGIN:DAYLIGHT\nDTSTART:20251005T020000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\nTZOFFSETFROM:+1000\nTZOFFSETTO:+1100"), "{t}");
    assert!(t.contains("BEGIN:STANDARD\nDTSTART:20260405T030000\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1000"), "{t}");
}

#[test]
fn zone_without_changes_is_one_standard_from_1970() {
    for (name, offset) in [
        ("Asia/Tokyo", "+0900"),
        ("Asia/Kolkata", "+0530"),
        ("Etc/GMT-14", "+1400"),
    ] {
        let v = vtimezone(zone(name), at("2025-10-28T00:00:00Z"));
        assert_eq!(v.observances.len(), 1, "{name}");
        let t = text(&v);
        assert!(
            t.contains(&format!("BEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:{offset}\nTZOFFSETTO:{offset}")),
            "{t}"
        );
    }
}

#[test]
fn a_change_after_1970_is_the_first_onset() {
    let v = vtimezone(zone("Asia/Kathmandu"), at("2025-10-28T00:00:00Z"));
    assert_eq!(
        text(&v),
        "BEGIN:VTIMEZONE\nTZID:Asia/Kathmandu\nBEGIN:STANDARD\nDTSTART:19860101T000000\n\
         TZOFFSETFROM:+0530\nTZOFFSETTO:+0545\nEND:STANDARD\nEND:VTIMEZONE"
    );
}

#[test]
fn moscow_2014_change_is_a_single_onset() {
    let v = vtimezone(zone("Europe/Moscow"), at("2013-06-01T00:00:00Z"));
    let t = text(&v);
    // Permanent +04 from March 2011, back to +03 on 26 October 2014, no rule since.
    assert!(
        t.contains("DTSTART:20110327T020000\nTZOFFSETFROM:+0300\nTZOFFSETTO:+0400\nTZNAME:MSK"),
        "{t}"
    );
    assert!(
        t.contains("DTSTART:20141026T020000\nTZOFFSETFROM:+0400\nTZOFFSETTO:+0300\nTZNAME:MSK"),
        "{t}"
    );
    assert!(!t.contains("RRULE"), "{t}");
}

#[test]
fn sao_paulo_rules_end_in_2019() {
    let v = vtimezone(zone("America/Sao_Paulo"), at("2016-01-01T00:00:00Z"));
    // The last change: daylight time ended on 17 February 2019 at 00:00 (-02), for good.
    let expanded = onsets(&v);
    assert_eq!(
        expanded.last(),
        Some(&(at("2019-02-17T02:00:00Z").timestamp(), -3 * 3600))
    );
    assert!(
        v.observances
            .iter()
            .all(|o| o.rule.is_none_or(|r| r.until.is_some()))
    );
}

#[test]
fn seconds_appear_only_in_offsets_that_had_them() {
    assert_eq!(format_offset(9 * 3600), "+0900");
    assert_eq!(format_offset(-(3 * 3600 + 30 * 60)), "-0330");
    assert_eq!(format_offset(-(44 * 60 + 30)), "-004430");
    assert_eq!(format_offset(0), "+0000");
    let v = vtimezone(zone("Africa/Monrovia"), at("1970-06-01T00:00:00Z"));
    let t = text(&v);
    assert!(t.contains("TZOFFSETFROM:-004430\nTZOFFSETTO:+0000"), "{t}");
}

#[test]
fn israel_friday_before_last_sunday_uses_a_weekday_window() {
    let v = vtimezone(zone("Asia/Jerusalem"), at("2025-06-01T00:00:00Z"));
    let t = text(&v);
    assert!(
        t.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29"),
        "{t}"
    );
}

#[test]
fn repeated_and_missing_wall_times() {
    let ny = zone("America/New_York");
    assert!(ny.is_repeated(at("2025-11-02T05:30:00Z")));
    assert!(ny.is_repeated(at("2025-11-02T06:30:00Z")));
    assert!(!ny.is_repeated(at("2025-11-02T07:30:00Z")));
    let gap = NaiveDate::from_ymd_opt(2026, 3, 8)
        .unwrap()
        .and_hms_opt(2, 30, 0)
        .unwrap();
    assert_eq!(ny.resolve_rfc(gap), at("2026-03-08T07:30:00Z"));
    let twice = NaiveDate::from_ymd_opt(2025, 11, 2)
        .unwrap()
        .and_hms_opt(1, 30, 0)
        .unwrap();
    assert_eq!(ny.resolve_rfc(twice), at("2025-11-02T05:30:00Z"));
}

#[test]
fn suggestions_for_misspelt_zones() {
    let suggest = |name| Tzdb::bundled().suggest(name);
    assert_eq!(suggest("Asia/Seol"), Some("Asia/Seoul"));
    assert_eq!(suggest("asia/seoul"), Some("Asia/Seoul"));
    assert_eq!(suggest("Seoul"), Some("Asia/Seoul"));
    assert_eq!(suggest("new york"), Some("America/New_York"));
    assert_eq!(suggest("Tokio"), Some("Asia/Tokyo"));
    assert_eq!(suggest("Mars/Olympus_Mons"), None);
}

/// Expands a VTIMEZONE the way RFC 5545 defines it: every onset of every observance.
fn onsets(v: &Vtimezone) -> Vec<(i64, i32)> {
    let mut out = Vec::new();
    for o in &v.observances {
        let instant = |local: NaiveDateTime| local.and_utc().timestamp() - i64::from(o.offset_from);
        out.push((instant(o.start), o.offset_to));
        let Some(rule) = o.rule else { continue };
        for year in o.start.year() + 1..=2110 {
            let Some(date) = rule_date(year, rule) else {
                continue;
            };
            let local = date.and_time(o.start.time());
            if rule
                .until
                .is_some_and(|u| instant(local) > u.and_utc().timestamp())
            {
                break;
            }
            out.push((instant(local), o.offset_to));
        }
    }
    out.sort();
    out
}

fn rule_date(year: i32, rule: Yearly) -> Option<NaiveDate> {
    let month_days = (1..=31).filter_map(|d| NaiveDate::from_ymd_opt(year, rule.month, d));
    let days: Vec<NaiveDate> = month_days.collect();
    match rule.day {
        DayRule::Nth(n, w) => {
            let matching: Vec<&NaiveDate> = days.iter().filter(|d| d.weekday() == w).collect();
            if n > 0 {
                matching.get(n as usize - 1).copied().copied()
            } else {
                matching.last().copied().copied()
            }
        }
        DayRule::OnOrAfter(w, first) => days
            .iter()
            .find(|d| d.day() >= first && d.weekday() == w)
            .copied(),
        DayRule::MonthDay(day) => NaiveDate::from_ymd_opt(year, rule.month, day),
    }
}

fn offset_from_onsets(onsets: &[(i64, i32)], t: i64) -> Option<i32> {
    let i = onsets.partition_point(|(at, _)| *at <= t);
    i.checked_sub(1).map(|i| onsets[i].1)
}

/// Every zone's generated VTIMEZONE, expanded by the RFC's rules, gives the database's offset at
/// every transition (both sides) and on the first of every month from 1970 to 2099.
/// (The interop suite checks the same through parsers calfeed did not write.)
#[test]
fn every_zone_round_trips_through_its_vtimezone() {
    let from = at("1970-01-01T00:00:00Z");
    let mut checked = 0;
    for zone in all_zones() {
        let v = vtimezone(zone, from);
        let expanded = onsets(&v);
        let samples = sample_instants(zone, 0, SCAN_UNTIL);
        for t in samples {
            let expected = zone.state_at(t).offset;
            assert_eq!(
                offset_from_onsets(&expanded, t),
                Some(expected),
                "{} at {}",
                zone.name(),
                naive(t)
            );
            checked += 1;
        }
    }
    assert!(checked > 500_000, "{checked}");
}

/// Rules still in force at the end of the scan stay open-ended, so feeds stay right after
/// 2099; zones that dropped daylight time get no open-ended rule.
#[test]
fn current_rules_are_open_ended_and_ended_rules_are_not() {
    for zone in all_zones() {
        let v = vtimezone(zone, at("2025-01-01T00:00:00Z"));
        let open = v
            .observances
            .iter()
            .filter(|o| o.rule.is_some_and(|r| r.until.is_none()))
            .count();
        let has_dst_2090 = transitions(
            zone,
            at("2090-01-01T00:00:00Z").timestamp(),
            at("2091-01-01T00:00:00Z").timestamp(),
        )
        .len()
            >= 2;
        if has_dst_2090 && open == 0 {
            // Irregular rules (Morocco's Ramadan changes) are listed onset by onset instead.
            assert!(v.observances.len() > 10, "{} has no open rule", zone.name());
        }
        if !has_dst_2090 {
            assert_eq!(
                open,
                0,
                "{} has an open rule but no DST in 2090",
                zone.name()
            );
        }
    }
}

/// Python `icalendar` (through dateutil) reads a UTC `UNTIL` as local time; in zones east of UTC
/// an `UNTIL` equal to the last onset then dropped that onset, and Karachi stayed at +06 after
/// 2009. `UNTIL` now lies a day after the last onset, which every reader counts the same way.
#[test]
fn regression_until_read_as_local_time_keeps_the_last_onset() {
    let v = vtimezone(zone("Asia/Karachi"), at("2008-01-10T07:00:00Z"));
    let t = text(&v);
    // 1 November fell on a Saturday in 2008 and a Sunday in 2009: only the day of the month
    // repeats. The last onset is 2009-11-01T00:00+06:00 = 2009-10-31T18:00Z.
    assert!(
        t.contains(
            "DTSTART:20081101T000000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=1;UNTIL=20091101T180000Z\n\
             TZOFFSETFROM:+0600\nTZOFFSETTO:+0500"
        ),
        "{t}"
    );
    let expanded = onsets(&v);
    assert_eq!(
        expanded.last(),
        Some(&(at("2009-10-31T18:00:00Z").timestamp(), 5 * 3600))
    );
}

fn wall(s: &str) -> NaiveDateTime {
    s.parse().expect("test wall times parse")
}

/// The changes of the 2026 releases, with the offsets Python's zoneinfo gives from 2026f.
#[test]
fn changes_of_2026_are_in_the_bundled_data() {
    let offset = |name: &str, local: &str| {
        let zone = zone(name);
        match zone.resolve(wall(local)) {
            WallTime::Single(utc) => zone.offset_at(utc) / 60,
            other => panic!("{name} {local}: {other:?}"),
        }
    };
    // 2026b: British Columbia stays on -07 from 2026-11-01.
    assert_eq!(
        zone("America/Vancouver").resolve(wall("2026-12-10T10:00:00")),
        WallTime::Single(at("2026-12-10T17:00:00Z"))
    );
    // 2026c: Alberta stays on -06; Morocco on +00 from 2026-09-20.
    assert_eq!(offset("America/Edmonton", "2027-01-15T09:00:00"), -6 * 60);
    assert_eq!(offset("Africa/Casablanca", "2026-10-15T12:00:00"), 0);
    assert_eq!(offset("Africa/Casablanca", "2027-06-15T12:00:00"), 0);
    // Cuba.
    assert_eq!(offset("America/Havana", "2026-12-15T18:00:00"), -4 * 60);
    // 2026a: Moldova changes at 03:00 local since 2022, so 02:30 exists and 03:30 does not.
    assert_eq!(offset("Europe/Chisinau", "2026-03-29T02:30:00"), 2 * 60);
    assert_eq!(
        zone("Europe/Chisinau").resolve(wall("2026-03-29T03:30:00")),
        WallTime::Skipped {
            from: wall("2026-03-29T03:00:00"),
            to: wall("2026-03-29T04:00:00"),
            offset_before: 2 * 3600,
        }
    );
}

#[test]
fn vancouver_vtimezone_ends_its_daylight_rule_in_2026() {
    let v = vtimezone(zone("America/Vancouver"), at("2026-06-01T00:00:00Z"));
    assert!(
        v.observances
            .iter()
            .all(|o| o.rule.is_none_or(|r| r.until.is_some())),
        "{}",
        text(&v)
    );
    let expanded = onsets(&v);
    assert_eq!(
        offset_from_onsets(&expanded, at("2026-12-10T17:00:00Z").timestamp()),
        Some(-7 * 3600)
    );
}

#[test]
fn releases_are_ordered() {
    use super::db::is_newer;
    assert!(is_newer("2026f", "2025b"));
    assert!(is_newer("2026b", "2026a"));
    assert!(is_newer("2026aa", "2026z"));
    assert!(!is_newer("2026f", "2026f"));
    assert!(!is_newer("garbage", "2026f"));
    assert!(is_newer("2020a", "garbage"));
}

#[test]
fn a_folder_says_its_release_in_tzdata_zi_or_version_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(db::release_of_dir(dir.path()), None);
    std::fs::write(dir.path().join("+VERSION"), "2024a\n").unwrap();
    assert_eq!(db::release_of_dir(dir.path()).as_deref(), Some("2024a"));
    std::fs::write(
        dir.path().join("tzdata.zi"),
        "# version 2025b\n# ddeps x\nZ A 0 - A\n",
    )
    .unwrap();
    assert_eq!(db::release_of_dir(dir.path()).as_deref(), Some("2025b"));
    std::fs::write(dir.path().join("tzdata.zi"), "# version banana\n").unwrap();
    assert_eq!(db::release_of_dir(dir.path()).as_deref(), Some("2024a"));
}

#[test]
fn missing_or_empty_folders_are_errors_that_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let error = Tzdb::from_dir(&missing).unwrap_err();
    assert!(
        error.to_string().contains(&*missing.to_string_lossy()),
        "{error}"
    );
    let error = Tzdb::from_dir(dir.path()).unwrap_err();
    assert!(matches!(error, TzdataError::Empty { .. }), "{error}");
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert!(matches!(
        Tzdb::from_dir(&file).unwrap_err(),
        TzdataError::NotAFolder { .. }
    ));
}

#[test]
fn numeric_abbreviations_are_left_out() {
    let kathmandu = zone("Asia/Kathmandu");
    assert_eq!(
        kathmandu
            .state_at(at("2026-01-01T00:00:00Z").timestamp())
            .name
            .as_str(),
        ""
    );
    let seoul = zone("Asia/Seoul");
    assert_eq!(
        seoul
            .state_at(at("2026-01-01T00:00:00Z").timestamp())
            .name
            .as_str(),
        "KST"
    );
}

#[test]
fn utc_exists_whatever_the_database() {
    assert!(Zone::utc().is_utc());
    assert_eq!(Zone::utc().offset_at(at("2026-01-01T00:00:00Z")), 0);
}
