//! The words of the page and the agenda, and how dates are written, in English, Korean and
//! Japanese. Other languages get the English words; their events still show their own texts.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

use crate::recur::{End, Freq, Rule, Until};
use serde::Serialize;

/// The fixed texts of the page and the agenda in one language.
#[derive(Debug, Serialize)]
pub struct Words {
    /// The language's own name, for the language switcher.
    pub language_name: &'static str,
    /// Label of the language switcher.
    pub languages: &'static str,
    /// Link that skips to the agenda.
    pub skip_to_events: &'static str,
    /// Heading of the feeds.
    pub subscribe: &'static str,
    /// What subscribing gives.
    pub subscribe_intro: &'static str,
    /// Shown when the calendar has no `url`.
    pub unpublished: &'static str,
    /// The `webcal://` link.
    pub apple: &'static str,
    /// The Google Calendar link.
    pub google: &'static str,
    /// The Outlook.com link.
    pub outlook: &'static str,
    /// Label of the `https://` address.
    pub address: &'static str,
    /// Label of the relative download link when there is no published address.
    pub download: &'static str,
    /// Copy button.
    pub copy: &'static str,
    /// Said after copying.
    pub copied: &'static str,
    /// Heading of the help lines.
    pub help: &'static str,
    /// How to subscribe in Thunderbird.
    pub thunderbird: &'static str,
    /// Subscribing versus importing.
    pub subscribe_not_import: &'static str,
    /// Heading of the agenda.
    pub events: &'static str,
    /// How times are shown.
    pub times_note: &'static str,
    /// What the script puts in place of `times_note`, followed by the viewer's zone.
    pub times_yours: &'static str,
    /// Summary of an event's description.
    pub details: &'static str,
    /// Label before the sources.
    pub sources: &'static str,
    /// Link to the event's own page.
    pub more: &'static str,
    /// Heading of the upcoming events.
    pub upcoming: &'static str,
    /// Shown when no event is upcoming.
    pub no_upcoming: &'static str,
    /// Heading of the past events.
    pub past: &'static str,
    /// Marks all-day events.
    pub all_day: &'static str,
    /// Status word of tentative events.
    pub tentative: &'static str,
    /// Status word of cancelled events.
    pub cancelled: &'static str,
    /// Label before the participants.
    pub participants: &'static str,
    /// Label before the place.
    pub place: &'static str,
    /// Link to the one-event file.
    pub add_event: &'static str,
    /// Label of the event's own local time beside the viewer's.
    pub local_time: &'static str,
    /// Label before the rule of a repeating event, in words.
    pub repeats: &'static str,
    /// Label of the viewer's zone at the top of the terminal agenda.
    pub times_in: &'static str,
    /// Said by the terminal agenda when nothing matches.
    pub nothing: &'static str,
}

const EN: Words = Words {
    language_name: "English",
    languages: "Languages",
    skip_to_events: "Skip to the events",
    subscribe: "Subscribe",
    subscribe_intro: "Subscribe to a feed and your calendar app keeps it up to date.",
    unpublished: "These feeds have no published address yet, and subscribing needs one. \
                  The links below download a copy that does not update.",
    apple: "Apple Calendar",
    google: "Google Calendar",
    outlook: "Outlook.com",
    address: "Address for any calendar app",
    download: "Download",
    copy: "Copy",
    copied: "Copied",
    help: "Other apps",
    thunderbird: "Thunderbird: New Calendar → On the Network, then paste the address.",
    subscribe_not_import: "Subscribe rather than import: a subscribed calendar follows every \
                           change, an imported file is a copy that never updates. Google \
                           Calendar refreshes subscriptions every 8 to 24 hours.",
    events: "Events",
    times_note: "Times are in the time zone of each event, or in yours when JavaScript is on.",
    times_yours: "Times are on your clock:",
    details: "Details",
    sources: "Sources",
    more: "More about this event",
    upcoming: "Upcoming",
    no_upcoming: "No upcoming events.",
    past: "Past",
    all_day: "all day",
    tentative: "Tentative",
    cancelled: "Cancelled",
    participants: "With",
    place: "Where",
    add_event: "Add this event (.ics)",
    local_time: "local time",
    repeats: "Repeats",
    times_in: "Time zone",
    nothing: "No events in this range.",
};

const KO: Words = Words {
    language_name: "한국어",
    languages: "언어",
    skip_to_events: "일정으로 건너뛰기",
    subscribe: "구독",
    subscribe_intro: "피드를 구독하면 캘린더 앱이 일정을 최신 상태로 유지합니다.",
    unpublished: "이 피드들은 아직 공개 주소가 없으며, 구독하려면 주소가 필요합니다. \
                  아래 링크는 업데이트되지 않는 사본을 내려받습니다.",
    apple: "Apple 캘린더",
    google: "Google 캘린더",
    outlook: "Outlook.com",
    address: "캘린더 앱에 넣을 주소",
    download: "내려받기",
    copy: "복사",
    copied: "복사됨",
    help: "다른 앱",
    thunderbird: "Thunderbird: 새 캘린더 → 네트워크에서, 그다음 주소를 붙여 넣으세요.",
    subscribe_not_import: "가져오기 대신 구독하세요. 구독한 캘린더는 변경 사항을 따라가지만, \
                           가져온 파일은 업데이트되지 않는 사본입니다. Google 캘린더는 \
                           8~24시간마다 구독을 새로 고칩니다.",
    events: "일정",
    times_note: "시각은 각 일정의 시간대로 표시되며, JavaScript가 켜져 있으면 보는 사람의 시간대로 표시됩니다.",
    times_yours: "시각은 보는 사람의 시간대로 표시됩니다:",
    details: "자세히",
    sources: "출처",
    more: "이 일정에 대해 더 보기",
    upcoming: "다가오는 일정",
    no_upcoming: "다가오는 일정이 없습니다.",
    past: "지난 일정",
    all_day: "종일",
    tentative: "미정",
    cancelled: "취소",
    participants: "참석자",
    place: "장소",
    add_event: "이 일정 추가 (.ics)",
    local_time: "현지 시각",
    repeats: "반복",
    times_in: "시간대",
    nothing: "이 기간에는 일정이 없습니다.",
};

const JA: Words = Words {
    language_name: "日本語",
    languages: "言語",
    skip_to_events: "予定へ移動",
    subscribe: "購読",
    subscribe_intro: "フィードを購読すると、カレンダーアプリが予定を最新の状態に保ちます。",
    unpublished: "これらのフィードにはまだ公開アドレスがなく、購読にはアドレスが必要です。\
                  下のリンクは更新されないコピーをダウンロードします。",
    apple: "Apple カレンダー",
    google: "Google カレンダー",
    outlook: "Outlook.com",
    address: "カレンダーアプリ用のアドレス",
    download: "ダウンロード",
    copy: "コピー",
    copied: "コピーしました",
    help: "その他のアプリ",
    thunderbird: "Thunderbird: 新しいカレンダー → ネットワーク上のカレンダー を選び、アドレスを貼り付けます。",
    subscribe_not_import: "インポートではなく購読してください。購読したカレンダーは変更に追従しますが、\
                           インポートしたファイルは更新されないコピーです。Google カレンダーは\
                           8〜24時間ごとに購読を更新します。",
    events: "予定",
    times_note: "時刻は各予定のタイムゾーンで表示され、JavaScript が有効なら閲覧者のタイムゾーンで表示されます。",
    times_yours: "時刻は閲覧者のタイムゾーンで表示されています:",
    details: "詳細",
    sources: "出典",
    more: "この予定の詳細ページ",
    upcoming: "今後の予定",
    no_upcoming: "今後の予定はありません。",
    past: "過去の予定",
    all_day: "終日",
    tentative: "未定",
    cancelled: "中止",
    participants: "参加者",
    place: "場所",
    add_event: "この予定を追加 (.ics)",
    local_time: "現地時間",
    repeats: "繰り返し",
    times_in: "タイムゾーン",
    nothing: "この期間に予定はありません。",
};

/// English weekday names, Monday first.
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// How texts and dates are written in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    /// English, and every language without words of its own.
    En,
    /// Korean.
    Ko,
    /// Japanese.
    Ja,
}

/// English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Locale {
    /// The locale of a language tag (`ko`, `ja-JP`, `pt-BR`, ...).
    pub fn for_tag(tag: &str) -> Locale {
        match tag
            .split('-')
            .next()
            .unwrap_or(tag)
            .to_ascii_lowercase()
            .as_str()
        {
            "ko" => Locale::Ko,
            "ja" => Locale::Ja,
            _ => Locale::En,
        }
    }

    /// The fixed texts.
    pub fn words(self) -> &'static Words {
        match self {
            Locale::En => &EN,
            Locale::Ko => &KO,
            Locale::Ja => &JA,
        }
    }

    fn weekday(self, day: Weekday) -> &'static str {
        let i = day.num_days_from_monday() as usize;
        match self {
            Locale::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
            Locale::Ko => ["월", "화", "수", "목", "금", "토", "일"][i],
            Locale::Ja => ["月", "火", "水", "木", "金", "土", "日"][i],
        }
    }

    /// A month heading: `October 2025`, `2025년 10월`, `2025年10月`.
    pub fn month(self, year: i32, month: u32) -> String {
        match self {
            Locale::En => format!("{} {year}", MONTHS[(month as usize).clamp(1, 12) - 1]),
            Locale::Ko => format!("{year}년 {month}월"),
            Locale::Ja => format!("{year}年{month}月"),
        }
    }

    /// A date with its year: `Tue 28 Oct 2025`, `2025년 10월 28일 (화)`, `2025年10月28日(火)`.
    pub fn date(self, date: NaiveDate) -> String {
        let (y, m, d, w) = (
            date.year(),
            date.month(),
            date.day(),
            self.weekday(date.weekday()),
        );
        match self {
            Locale::En => format!("{w} {d} {} {y}", &MONTHS[m as usize - 1][..3]),
            Locale::Ko => format!("{y}년 {m}월 {d}일 ({w})"),
            Locale::Ja => format!("{y}年{m}月{d}日({w})"),
        }
    }

    /// A date without its year: `Tue 28 Oct`, `10월 28일 (화)`, `10月28日(火)`.
    pub fn short_date(self, date: NaiveDate) -> String {
        let (m, d, w) = (date.month(), date.day(), self.weekday(date.weekday()));
        match self {
            Locale::En => format!("{w} {d:>2} {}", &MONTHS[m as usize - 1][..3]),
            Locale::Ko => format!("{m:>2}월 {d:>2}일 ({w})"),
            Locale::Ja => format!("{m:>2}月{d:>2}日({w})"),
        }
    }

    /// A weekday's full name: `Tuesday`, `화요일`, `火曜日`.
    fn weekday_name(self, day: Weekday) -> String {
        match self {
            Locale::En => WEEKDAYS_EN[day.num_days_from_monday() as usize].to_owned(),
            Locale::Ko => format!("{}요일", self.weekday(day)),
            Locale::Ja => format!("{}曜日", self.weekday(day)),
        }
    }

    /// A repeat rule in words, e.g. `every Tuesday, 30 times`, `매주 화요일, 30회`,
    /// `毎週火曜日、30回`; `start` gives what the rule leaves out (see [`Rule::summary`]).
    ///
    /// English says every rule. Korean and Japanese say the rules most events have: daily,
    /// weekly on some days, monthly on the start's day and yearly on the start's date, each
    /// with an interval and an end. For any other rule they give `None`, and the English words
    /// are shown instead.
    pub fn rule_summary(self, rule: &Rule, start: NaiveDateTime) -> Option<String> {
        if self == Locale::En {
            return Some(rule.summary(start));
        }
        let plain_days = rule.by_day.iter().all(|d| d.ordinal.is_none())
            && (rule.by_day.is_empty() || rule.freq == Freq::Weekly);
        let simple = plain_days
            && rule.freq >= Freq::Daily
            && rule.by_second.is_empty()
            && rule.by_minute.is_empty()
            && rule.by_hour.is_empty()
            && rule.by_month_day.is_empty()
            && rule.by_year_day.is_empty()
            && rule.by_week_no.is_empty()
            && rule.by_month.is_empty()
            && rule.by_set_pos.is_empty();
        if !simple {
            return None;
        }
        let ko = self == Locale::Ko;
        let n = rule.interval;
        let (m, d) = (start.month(), start.day());
        let mut out = match rule.freq {
            Freq::Daily => match (ko, n) {
                (true, 1) => "매일".to_owned(),
                (true, _) => format!("{n}일마다"),
                (false, 1) => "毎日".to_owned(),
                (false, _) => format!("{n}日ごと"),
            },
            Freq::Weekly => {
                let days: Vec<String> = if rule.by_day.is_empty() {
                    vec![self.weekday_name(start.weekday())]
                } else {
                    rule.by_day
                        .iter()
                        .map(|d| self.weekday_name(d.weekday))
                        .collect()
                };
                match (ko, n) {
                    (true, 1) => format!("매주 {}", days.join(", ")),
                    (true, _) => format!("{n}주마다 {}", days.join(", ")),
                    (false, 1) => format!("毎週{}", days.join("・")),
                    (false, _) => format!("{n}週間ごとの{}", days.join("・")),
                }
            }
            Freq::Monthly => match (ko, n) {
                (true, 1) => format!("매월 {d}일"),
                (true, _) => format!("{n}개월마다 {d}일"),
                (false, 1) => format!("毎月{d}日"),
                (false, _) => format!("{n}か月ごとの{d}日"),
            },
            Freq::Yearly => match (ko, n) {
                (true, 1) => format!("매년 {m}월 {d}일"),
                (true, _) => format!("{n}년마다 {m}월 {d}일"),
                (false, 1) => format!("毎年{m}月{d}日"),
                (false, _) => format!("{n}年ごとの{m}月{d}日"),
            },
            _ => return None,
        };
        let date = |day: NaiveDate| {
            let (y, m, d) = (day.year(), day.month(), day.day());
            if ko {
                format!("{y}년 {m}월 {d}일")
            } else {
                format!("{y}年{m}月{d}日")
            }
        };
        let until = match rule.end {
            End::Never => None,
            End::Count(c) => {
                out.push_str(&if ko {
                    format!(", {c}회")
                } else {
                    format!("、{c}回")
                });
                None
            }
            End::Until(Until::Date(day)) => Some(date(day)),
            End::Until(Until::Local(t)) => {
                Some(format!("{} {}", date(t.date()), t.format("%H:%M")))
            }
            End::Until(Until::Utc(t)) => {
                Some(format!("{} {} UTC", date(t.date()), t.format("%H:%M")))
            }
        };
        if let Some(until) = until {
            out.push_str(&if ko {
                format!(", {until}까지")
            } else {
                format!("、{until}まで")
            });
        }
        Some(out)
    }

    /// The number of events: `1 event`, `3 events`, `일정 3개`, `3件`.
    pub fn count(self, n: usize) -> String {
        match self {
            Locale::En if n == 1 => "1 event".to_owned(),
            Locale::En => format!("{n} events"),
            Locale::Ko => format!("일정 {n}개"),
            Locale::Ja => format!("{n}件"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_each_language() {
        let d = NaiveDate::from_ymd_opt(2025, 10, 28).unwrap();
        assert_eq!(Locale::En.date(d), "Tue 28 Oct 2025");
        assert_eq!(Locale::Ko.date(d), "2025년 10월 28일 (화)");
        assert_eq!(Locale::Ja.date(d), "2025年10月28日(火)");
        assert_eq!(Locale::En.short_date(d), "Tue 28 Oct");
        assert_eq!(Locale::En.month(2026, 1), "January 2026");
        assert_eq!(Locale::Ko.month(2026, 1), "2026년 1월");
        assert_eq!(Locale::for_tag("ja-JP"), Locale::Ja);
        assert_eq!(Locale::for_tag("pt-BR"), Locale::En);
        assert_eq!(Locale::En.count(1), "1 event");
        assert_eq!(Locale::En.count(0), "0 events");
    }

    fn summary(locale: Locale, rule: &str, start: &str) -> Option<String> {
        let rule: Rule = rule.parse().unwrap();
        let start = NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M:%S").unwrap();
        locale.rule_summary(&rule, start)
    }

    #[test]
    fn common_rules_are_said_in_korean_and_japanese() {
        let tuesday = "2026-01-06T09:00:00";
        let weekly = "FREQ=WEEKLY;BYDAY=TU;COUNT=30";
        assert_eq!(
            summary(Locale::En, weekly, tuesday).unwrap(),
            "every Tuesday, 30 times"
        );
        assert_eq!(
            summary(Locale::Ko, weekly, tuesday).unwrap(),
            "매주 화요일, 30회"
        );
        assert_eq!(
            summary(Locale::Ja, weekly, tuesday).unwrap(),
            "毎週火曜日、30回"
        );
        let fortnightly = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=2026-11-30";
        let monday = "2026-09-07T16:00:00";
        assert_eq!(
            summary(Locale::Ko, fortnightly, monday).unwrap(),
            "2주마다 월요일, 목요일, 2026년 11월 30일까지"
        );
        assert_eq!(
            summary(Locale::Ja, fortnightly, monday).unwrap(),
            "2週間ごとの月曜日・木曜日、2026年11月30日まで"
        );
        // The weekday of a weekly rule without BYDAY is the start's.
        assert_eq!(
            summary(Locale::Ko, "FREQ=WEEKLY", "2026-02-04T19:00:00").unwrap(),
            "매주 수요일"
        );
        assert_eq!(
            summary(Locale::Ko, "FREQ=DAILY;COUNT=14", tuesday).unwrap(),
            "매일, 14회"
        );
        assert_eq!(
            summary(Locale::Ja, "FREQ=DAILY;INTERVAL=3", tuesday).unwrap(),
            "3日ごと"
        );
        assert_eq!(
            summary(Locale::Ko, "FREQ=MONTHLY;UNTIL=20261231T120000Z", tuesday).unwrap(),
            "매월 6일, 2026년 12월 31일 12:00 UTC까지"
        );
        assert_eq!(
            summary(Locale::Ja, "FREQ=MONTHLY;INTERVAL=2;COUNT=1", tuesday).unwrap(),
            "2か月ごとの6日、1回"
        );
        assert_eq!(
            summary(
                Locale::Ko,
                "FREQ=YEARLY;UNTIL=2035-07-04",
                "2026-07-04T00:00:00"
            )
            .unwrap(),
            "매년 7월 4일, 2035년 7월 4일까지"
        );
        assert_eq!(
            summary(
                Locale::Ja,
                "FREQ=YEARLY;UNTIL=2035-07-04T09:00:00",
                "2026-07-04T09:00:00"
            )
            .unwrap(),
            "毎年7月4日、2035年7月4日 09:00まで"
        );
    }

    #[test]
    fn other_rules_are_left_to_english() {
        for rule in [
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "FREQ=YEARLY;BYMONTH=3",
            "FREQ=DAILY;BYDAY=TU",
            "FREQ=HOURLY;COUNT=3",
            "FREQ=DAILY;BYHOUR=9,17",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        ] {
            assert_eq!(
                summary(Locale::Ko, rule, "2026-01-30T09:00:00"),
                None,
                "{rule}"
            );
            assert_eq!(
                summary(Locale::Ja, rule, "2026-01-30T09:00:00"),
                None,
                "{rule}"
            );
            assert!(summary(Locale::En, rule, "2026-01-30T09:00:00").is_some());
        }
    }
}
