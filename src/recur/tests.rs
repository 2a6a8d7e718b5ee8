use super::*;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
}

fn err(text: &str) -> RuleError {
    text.parse::<Rule>().unwrap_err()
}

fn dates(rule: &str, start: &str, n: usize) -> Vec<String> {
    let rule: Rule = rule.parse().unwrap();
    rule.occurrences(at(start))
        .take(n)
        .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
        .collect()
}

#[test]
fn parses_every_part() {
    let text = "FREQ=YEARLY;INTERVAL=2;COUNT=5;BYMONTH=1,-0;BYDAY=MO";
    assert!(text.parse::<Rule>().is_err());
    let rule: Rule = "freq=monthly;interval=2;until=2026-06-30;byday=1mo,-1FR,+2TU;\
                      bymonthday=-1,15;bymonth=3,6;bysetpos=1,-1;wkst=su;byhour=9;byminute=30;\
                      bysecond=0"
        .parse()
        .unwrap();
    assert_eq!(rule.freq, Freq::Monthly);
    assert_eq!(rule.interval, 2);
    assert_eq!(
        rule.end,
        End::Until(Until::Date(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()))
    );
    assert_eq!(
        rule.by_day,
        vec![
            WeekdayNum {
                ordinal: Some(1),
                weekday: Weekday::Mon
            },
            WeekdayNum {
                ordinal: Some(-1),
                weekday: Weekday::Fri
            },
            WeekdayNum {
                ordinal: Some(2),
                weekday: Weekday::Tue
            },
        ]
    );
    assert_eq!(rule.by_month_day, vec![-1, 15]);
    assert_eq!(rule.by_set_pos, vec![1, -1]);
    assert_eq!(rule.week_start, Weekday::Sun);
    assert_eq!(
        rule.to_ical(Some("20260630")),
        "FREQ=MONTHLY;UNTIL=20260630;INTERVAL=2;BYMONTH=3,6;BYMONTHDAY=-1,15;\
         BYDAY=1MO,-1FR,2TU;BYHOUR=9;BYMINUTE=30;BYSECOND=0;BYSETPOS=1,-1;WKST=SU"
    );
    let yearly: Rule = "RRULE:FREQ=YEARLY;BYWEEKNO=20,-1;BYYEARDAY=-366,100"
        .parse()
        .unwrap();
    assert_eq!(yearly.by_week_no, vec![20, -1]);
    assert_eq!(yearly.by_year_day, vec![-366, 100]);
}

#[test]
fn until_in_every_form() {
    let until = |s: &str| match format!("FREQ=DAILY;UNTIL={s}").parse::<Rule>().unwrap().end {
        End::Until(u) => u,
        other => panic!("{other:?}"),
    };
    let day = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    assert_eq!(until("20260630"), Until::Date(day));
    assert_eq!(until("2026-06-30"), Until::Date(day));
    assert_eq!(
        until("20260630T090000"),
        Until::Local(at("2026-06-30T09:00:00"))
    );
    assert_eq!(
        until("2026-06-30T09:00:00"),
        Until::Local(at("2026-06-30T09:00:00"))
    );
    assert_eq!(
        until("20260630T130000Z"),
        Until::Utc(at("2026-06-30T13:00:00"))
    );
    assert_eq!(
        until("2026-06-30t13:00:00z"),
        Until::Utc(at("2026-06-30T13:00:00"))
    );
    for bad in [
        "2026-6-30",
        "20260631",
        "20260630T25",
        "2026-06-30T0900",
        "tomorrow",
        "2026063",
    ] {
        let e = err(&format!("FREQ=DAILY;UNTIL={bad}"));
        assert_eq!(e.span, 17..17 + bad.len(), "{bad}");
        assert!(e.message.contains("not a date or time"), "{bad}: {e:?}");
    }
}

#[test]
fn errors_point_inside_the_rule() {
    let e = err("FREQ=WEEKLY;BYDAY=TU,TUE;COUNT=3");
    assert_eq!(e.span, 21..24);
    assert_eq!(e.message, "`TUE` is not a day of the week in `BYDAY`");
    assert!(e.help.starts_with("did you mean `TU`?"), "{}", e.help);

    let e = err("FREQ=WEEKLY;BYDAY=Thursday");
    assert!(e.help.starts_with("did you mean `TH`?"), "{}", e.help);
    let e = err("FREQ=WEEKLY;BYDAY=MP");
    assert!(e.help.starts_with("did you mean `MO`?"), "{}", e.help);
    let e = err("FREQ=MONTHLY;BYDAY=2XY");
    assert_eq!(e.span, 20..22);
    assert!(!e.help.contains("did you mean"), "{}", e.help);

    let e = err("FREQ=WEEKLY;BYDAYS=TU");
    assert_eq!(
        (e.span.clone(), e.help.as_str()),
        (12..18, "did you mean `BYDAY`?")
    );
    let e = err("FREQ=WEEKLI");
    assert_eq!(
        (e.span.clone(), e.help.as_str()),
        (5..11, "did you mean `WEEKLY`?")
    );

    let e = err("FREQ=DAILY;COUNT=3;UNTIL=20260101");
    assert_eq!(e.span, 19..33);
    assert!(e.message.contains("`COUNT` and `UNTIL`"));

    let e = err("FREQ=WEEKLY;BYMONTHDAY=3");
    assert_eq!(
        (e.span.clone(), e.message.as_str()),
        (12..24, "`BYMONTHDAY` cannot be used with `FREQ=WEEKLY`")
    );
    assert!(
        err("FREQ=MONTHLY;BYYEARDAY=3")
            .message
            .contains("`BYYEARDAY` cannot")
    );
    assert!(
        err("FREQ=DAILY;BYYEARDAY=3")
            .message
            .contains("`BYYEARDAY` cannot")
    );
    assert!(
        err("FREQ=MONTHLY;BYWEEKNO=3")
            .message
            .contains("`BYWEEKNO` cannot")
    );
    let e = err("FREQ=WEEKLY;BYDAY=1MO");
    assert_eq!(e.span, 12..21);
    assert!(e.message.contains("numbered `BYDAY`"), "{e:?}");
    assert!(e.help.contains("FREQ=MONTHLY;BYDAY=1MO"), "{e:?}");
    assert!(
        err("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO")
            .message
            .contains("BYWEEKNO")
    );
    assert!(err("FREQ=DAILY;BYSETPOS=1").message.contains("BYSETPOS"));

    let e = err("FREQ=MONTHLY;BYMONTHDAY=0");
    assert_eq!(
        (e.span.clone(), e.message.as_str()),
        (24..25, "`BYMONTHDAY=0` is out of range")
    );
    assert!(e.help.contains("from 1 to 31 or from -31 to -1"));
    assert_eq!(err("FREQ=MONTHLY;BYMONTHDAY=32").span, 24..26);
    assert_eq!(err("FREQ=MONTHLY;BYMONTH=-1").span, 21..23);
    assert_eq!(err("FREQ=DAILY;BYHOUR=24").span, 18..20);
    assert_eq!(err("FREQ=DAILY;INTERVAL=0").span, 20..21);
    assert_eq!(err("FREQ=DAILY;COUNT=x").span, 17..18);
    assert_eq!(err("FREQ=MONTHLY;BYDAY=54MO").span, 19..21);
    let e = err("FREQ=MONTHLY;BYDAY=-2TU,SU");
    assert_eq!(
        (e.span.clone(), e.message.as_str()),
        (13..26, "`BYDAY` mixes numbered and plain days")
    );
    assert_eq!(err("FREQ=MONTHLY;BYMONTHDAY=1,,2").span, 25..27);
    assert_eq!(err("FREQ=DAILY;").span, 10..11);
    assert_eq!(err("FREQ=DAILY;;COUNT=1").span, 11..12);
    assert_eq!(err("FREQ=DAILY; COUNT=1").span, 11..12);
    assert_eq!(err("FREQ=DAILY;COUNT").span, 11..16);
    assert_eq!(err("FREQ=DAILY;COUNT=").span, 11..17);
    assert_eq!(err("FREQ=DAILY;FREQ=WEEKLY").span, 11..15);
    assert_eq!(err("COUNT=3").span, 0..7);
    assert_eq!(err("").span, 0..0);
    assert_eq!(err("FREQ=MONTHLY;BYDAY=-").span, 19..20);
}

#[test]
fn no_input_panics() {
    for text in [
        "FREQ=DAILY;BYDAY=+",
        "FREQ=DAILY;BYDAY=1",
        "FREQ=DAILY;UNTIL=T",
        "FREQ=DAILY;UNTIL=ZZZZ",
        "FREQ=DAILY;UNTIL=2026-06-30TZ",
        "RRULE:",
        "=",
        ";",
        "FREQ=YEARLY;BYDAY=99999999999MO",
        "FREQ=YEARLY;INTERVAL=99999999999",
        "FREQ=YEARLY;UNTIL=ééééééé",
        "FREQ=YEARLY;BYDAY=ü",
        "FREQ=YEARLY;BYDAY=1ü",
    ] {
        let _ = text.parse::<Rule>();
    }
}

#[test]
fn weekly_from_the_start_weekday() {
    assert_eq!(
        dates("FREQ=WEEKLY;COUNT=3", "2026-01-06T09:00:00", 10),
        ["2026-01-06T09:00", "2026-01-13T09:00", "2026-01-20T09:00"]
    );
    assert_eq!(
        dates(
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
            "2026-01-05T09:00:00",
            4
        ),
        [
            "2026-01-05T09:00",
            "2026-01-08T09:00",
            "2026-01-19T09:00",
            "2026-01-22T09:00"
        ]
    );
}

#[test]
fn week_start_changes_biweekly_rules() {
    // RFC 5545's own example: WKST=SU gives different dates than WKST=MO.
    assert_eq!(
        dates(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            "1997-08-05T09:00:00",
            9
        ),
        [
            "1997-08-05T09:00",
            "1997-08-10T09:00",
            "1997-08-19T09:00",
            "1997-08-24T09:00"
        ]
    );
    assert_eq!(
        dates(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            "1997-08-05T09:00:00",
            9
        ),
        [
            "1997-08-05T09:00",
            "1997-08-17T09:00",
            "1997-08-19T09:00",
            "1997-08-31T09:00"
        ]
    );
}

#[test]
fn monthly_rules() {
    assert_eq!(
        dates(
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=2026-05-01",
            "2026-01-30T18:00:00",
            10
        ),
        [
            "2026-01-30T18:00",
            "2026-02-27T18:00",
            "2026-03-27T18:00",
            "2026-04-24T18:00"
        ]
    );
    // Months without a 31st are skipped, not moved.
    assert_eq!(
        dates(
            "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4",
            "2026-01-31T10:00:00",
            10
        ),
        [
            "2026-01-31T10:00",
            "2026-03-31T10:00",
            "2026-05-31T10:00",
            "2026-07-31T10:00"
        ]
    );
    assert_eq!(
        dates("FREQ=MONTHLY;BYMONTHDAY=-2", "2026-01-30T10:00:00", 3),
        ["2026-01-30T10:00", "2026-02-27T10:00", "2026-03-30T10:00"]
    );
    // The last working day of the month.
    assert_eq!(
        dates(
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "2026-01-30T17:00:00",
            3
        ),
        ["2026-01-30T17:00", "2026-02-27T17:00", "2026-03-31T17:00"]
    );
    // Friday the 13th.
    assert_eq!(
        dates(
            "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
            "2026-02-13T00:00:00",
            3
        ),
        ["2026-02-13T00:00", "2026-03-13T00:00", "2026-11-13T00:00"]
    );
}

#[test]
fn yearly_rules() {
    assert_eq!(
        dates("FREQ=YEARLY", "2024-02-29T12:00:00", 2),
        ["2024-02-29T12:00", "2028-02-29T12:00"]
    );
    // US Thanksgiving: the fourth Thursday of November.
    assert_eq!(
        dates("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "2026-11-26T12:00:00", 3),
        ["2026-11-26T12:00", "2027-11-25T12:00", "2028-11-23T12:00"]
    );
    // The 20th Monday of the year, counted in the year.
    assert_eq!(
        dates("FREQ=YEARLY;BYDAY=20MO", "1997-05-19T09:00:00", 3),
        ["1997-05-19T09:00", "1998-05-18T09:00", "1999-05-17T09:00"]
    );
    // Monday of week 20 (RFC 5545 example).
    assert_eq!(
        dates("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "1997-05-12T09:00:00", 3),
        ["1997-05-12T09:00", "1998-05-11T09:00", "1999-05-17T09:00"]
    );
    assert_eq!(
        dates(
            "FREQ=YEARLY;BYYEARDAY=1,100,-1;COUNT=4",
            "2026-01-01T00:00:00",
            9
        ),
        [
            "2026-01-01T00:00",
            "2026-04-10T00:00",
            "2026-12-31T00:00",
            "2027-01-01T00:00"
        ]
    );
    // Week 1 may start in December, the last week may end in January.
    assert_eq!(
        dates("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "2025-12-29T08:00:00", 2),
        ["2025-12-29T08:00", "2027-01-04T08:00"]
    );
}

#[test]
fn times_of_day_and_finer_rules() {
    assert_eq!(
        dates(
            "FREQ=DAILY;BYHOUR=9,15;BYMINUTE=0,30;COUNT=5",
            "2026-01-01T09:00:00",
            9
        ),
        [
            "2026-01-01T09:00",
            "2026-01-01T09:30",
            "2026-01-01T15:00",
            "2026-01-01T15:30",
            "2026-01-02T09:00"
        ]
    );
    assert_eq!(
        dates(
            "FREQ=HOURLY;INTERVAL=5;BYHOUR=10,20",
            "2026-01-01T10:00:00",
            4
        ),
        // Every fifth hour comes back to 10:00 after five days.
        [
            "2026-01-01T10:00",
            "2026-01-01T20:00",
            "2026-01-06T10:00",
            "2026-01-06T20:00"
        ]
    );
    assert_eq!(
        dates(
            "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9;BYDAY=MO",
            "2026-01-05T09:00:00",
            4
        ),
        [
            "2026-01-05T09:00",
            "2026-01-05T09:20",
            "2026-01-05T09:40",
            "2026-01-12T09:00"
        ]
    );
    // Hours an even step never reaches: no occurrence, and no endless search.
    let rule: Rule = "FREQ=HOURLY;INTERVAL=2;BYHOUR=3".parse().unwrap();
    assert_eq!(rule.occurrences(at("2026-01-01T10:00:00")).next(), None);
    let rule: Rule = "FREQ=SECONDLY;INTERVAL=2;BYSECOND=1".parse().unwrap();
    assert_eq!(rule.occurrences(at("2026-01-01T10:00:00")).next(), None);
}

#[test]
fn impossible_rules_end() {
    let rule: Rule = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30".parse().unwrap();
    assert_eq!(rule.occurrences(at("2026-01-01T10:00:00")).next(), None);
    let rule: Rule = "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30".parse().unwrap();
    assert_eq!(rule.occurrences(at("2026-01-01T10:00:00")).next(), None);
    let e = rule
        .check_start(at("2026-01-01T10:00:00"), false, &[], 37)
        .unwrap_err();
    assert_eq!(
        (e.span, e.message.as_str()),
        (0..37, "the repeat rule never happens")
    );
}

#[test]
fn until_ends_on_its_day_or_time() {
    assert_eq!(
        dates("FREQ=DAILY;UNTIL=20260103", "2026-01-01T23:00:00", 9).len(),
        3
    );
    assert_eq!(
        dates("FREQ=DAILY;UNTIL=20260103T225959", "2026-01-01T23:00:00", 9).len(),
        2
    );
    // A UTC UNTIL depends on the zone; the caller applies it.
    assert_eq!(
        dates(
            "FREQ=DAILY;UNTIL=20260103T000000Z",
            "2026-01-01T23:00:00",
            9
        )
        .len(),
        9
    );
}

#[test]
fn start_must_be_an_occurrence() {
    let text = "FREQ=WEEKLY;BYDAY=TU;COUNT=3";
    let (rule, spans) = Rule::parse(text).unwrap();
    // Monday 5 January 2026: the rule's first occurrence is Tuesday the 6th.
    let e = rule
        .check_start(at("2026-01-05T09:00:00"), false, &spans, text.len())
        .unwrap_err();
    assert_eq!(e.span, 0..text.len());
    assert_eq!(
        e.message,
        "the start is not an occurrence of the repeat rule"
    );
    assert!(
        e.help.contains("2026-01-06T09:00:00 (Tuesday)"),
        "{}",
        e.help
    );
    // It is not counted: three Tuesdays.
    assert_eq!(dates(text, "2026-01-05T09:00:00", 9).len(), 3);
    assert!(
        rule.check_start(at("2026-01-06T09:00:00"), false, &spans, text.len())
            .is_ok()
    );
}

#[test]
fn all_day_rules_repeat_days() {
    let check = |text: &str| {
        let (rule, spans) = Rule::parse(text).unwrap();
        rule.check_start(at("2026-07-04T00:00:00"), true, &spans, text.len())
    };
    assert!(check("FREQ=YEARLY;UNTIL=20300704").is_ok());
    let e = check("FREQ=HOURLY").unwrap_err();
    assert_eq!(e.span, 0..11);
    let e = check("FREQ=DAILY;BYHOUR=9").unwrap_err();
    assert_eq!(e.span, 11..19);
    let e = check("FREQ=YEARLY;UNTIL=20300704T000000Z").unwrap_err();
    assert_eq!(e.span, 12..34);
    assert!(e.message.contains("must be a date"));
    let e = check("FREQ=YEARLY;UNTIL=20250704").unwrap_err();
    assert!(e.message.contains("before the start"), "{e:?}");
}

#[test]
fn summaries_in_words() {
    let s = |rule: &str, start: &str| rule.parse::<Rule>().unwrap().summary(at(start));
    assert_eq!(
        s("FREQ=WEEKLY;BYDAY=TU;COUNT=30", "2026-01-06T09:00:00"),
        "every Tuesday, 30 times"
    );
    assert_eq!(s("FREQ=WEEKLY", "2026-01-06T09:00:00"), "every Tuesday");
    assert_eq!(
        s("FREQ=WEEKLY;INTERVAL=2", "2026-01-06T09:00:00"),
        "every 2 weeks on Tuesday"
    );
    assert_eq!(
        s("FREQ=YEARLY;BYMONTH=7", "2026-07-04T09:00:00"),
        "every year on the 4th in July"
    );
    assert_eq!(
        s(
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20260630",
            "2026-01-05T09:00:00"
        ),
        "every 2 weeks on Monday and Thursday, until 30 June 2026"
    );
    assert_eq!(
        s("FREQ=MONTHLY;BYDAY=-1FR", "2026-01-30T09:00:00"),
        "every month on the last Friday"
    );
    assert_eq!(
        s("FREQ=MONTHLY", "2026-01-31T09:00:00"),
        "every month on the 31st"
    );
    assert_eq!(
        s("FREQ=MONTHLY;BYMONTHDAY=1,-1", "2026-01-01T09:00:00"),
        "every month on the 1st and last day"
    );
    assert_eq!(
        s("FREQ=YEARLY", "2026-07-04T00:00:00"),
        "every year on 4 July"
    );
    assert_eq!(
        s("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "2026-11-26T00:00:00"),
        "every year on the fourth Thursday in November"
    );
    assert_eq!(
        s("FREQ=DAILY;COUNT=1", "2026-01-01T09:00:00"),
        "every day, once"
    );
    assert_eq!(
        s("FREQ=DAILY;BYHOUR=9,15", "2026-01-01T09:00:00"),
        "every day at 09:00 and 15:00"
    );
    assert_eq!(
        s(
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "2026-01-30T09:00:00"
        ),
        "every month on Monday, Tuesday, Wednesday, Thursday and Friday, only the last of each month"
    );
}

#[test]
fn rules_that_never_happen_are_given_up_quickly() {
    for text in [
        "FREQ=YEARLY;BYWEEKNO=34;BYMONTHDAY=29,5;BYDAY=TU;WKST=TU",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4",
        "FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYSETPOS=5",
        "FREQ=DAILY;BYDAY=SA;BYSETPOS=4",
    ] {
        let rule: Rule = text.parse().unwrap();
        let started = std::time::Instant::now();
        assert_eq!(
            rule.occurrences(at("2021-01-04T13:15:00")).next(),
            None,
            "{text}"
        );
        assert!(
            started.elapsed().as_secs() < 1,
            "{text} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn random_text_never_panics() {
    let pieces = [
        "FREQ=",
        "DAILY",
        "WEEKLY",
        "MONTHLY",
        "YEARLY",
        "HOURLY",
        ";",
        ",",
        "=",
        "BYDAY=",
        "MO",
        "-1",
        "+5",
        "53",
        "0",
        "BYSETPOS=",
        "BYWEEKNO=",
        "BYYEARDAY=",
        "-366",
        "UNTIL=",
        "20260101",
        "T",
        "Z",
        "COUNT=",
        "INTERVAL=",
        "WKST=",
        "SU",
        "é",
        " ",
        "BYHOUR=",
        "60",
    ];
    let mut state: u64 = 0x1234_5678_9abc_def1;
    for _ in 0..20_000 {
        let mut text = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        for i in 0..(state % 9) {
            text.push_str(pieces[((state >> (i * 5)) % pieces.len() as u64) as usize]);
        }
        if let Ok((rule, parts)) = Rule::parse(&text) {
            let _ = rule.check_start(at("2026-03-08T02:30:00"), false, &parts, text.len());
            let _ = rule.summary(at("2026-03-08T02:30:00"));
            let _ = rule.occurrences(at("2026-03-08T02:30:00")).take(50).count();
        }
        if let Err(e) = text.parse::<Rule>() {
            assert!(
                e.span.end <= text.len() && text.is_char_boundary(e.span.start),
                "{text}"
            );
            assert!(text.is_char_boundary(e.span.end), "{text}");
        }
    }
}
