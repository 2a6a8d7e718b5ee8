#!/usr/bin/env python3
"""Check the default dataset (events.toml) and the feeds calfeed builds from it.

Usage:
    calfeed build --input events.toml --out OUTDIR
    python3 tests/dataset/check_dataset.py OUTDIR [--toml events.toml] [--calfeed BIN]

The expected facts below are written out by hand from the source article
(a Korean news report of early January 2026 and the related-article summaries
under it) and from the later public reports that say what became of the two
visits it reports as plans (Takaichi in Washington on 19 March 2026, Trump in
Beijing on 13-15 May 2026). They are deliberately NOT recomputed from
events.toml or from its feed filters, so that a wrong date, zone, status or
filter in either the data or the tool shows up here.

Two layers are checked:
  * events.toml itself, read with the standard library's tomllib: ids, dates,
    zones, statuses, countries, tags, timestamps, translations (the zone of an
    all-day event does not appear in the .ics output, so it is checked here);
  * every .ics file in OUTDIR, read with the independent `icalendar` package
    (PyPI, version 7): the events each feed holds, DTSTART/DTEND of every
    event, STATUS, SEQUENCE, TRANSP, the tentative marker, languages, GEO,
    categories;
  * with --calfeed, `calfeed check` on events.toml, with today's date from the
    clock: it must print no warning (no plan whose dates have passed).

Prints each check group as it passes; on any failure prints every failure
and exits 1. Requires Python 3.11+ and `pip install 'icalendar==7.*'`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import subprocess
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

try:
    import icalendar
except ImportError:  # pragma: no cover - environment problem, not a data problem
    sys.exit("check_dataset: the 'icalendar' package is missing: pip install 'icalendar==7.*'")

D = dt.date
# When each entry last changed: the date of the article, or the day the
# calendar was brought up to date with what became of the plans.
FIRST = dt.datetime(2026, 1, 3, 0, 0, tzinfo=dt.timezone.utc)
REVISED = dt.datetime(2026, 12, 2, 0, 0, tzinfo=dt.timezone.utc)
DOMAIN = "calfeed.github.io"
CAL_URL = "https://calfeed.github.io/calfeed/"

# --------------------------------------------------------------------------
# Expected events, hand-derived from the article.
#   start / end_excl: DTSTART;VALUE=DATE and the exclusive DTEND;VALUE=DATE
#   tz:      IANA zone where the event happens (or, for a call, the zone of
#            the side whose date is reported)
#   geo:     approximate (lat, lon) when the place is precise, else None
#   tags:    tags that must be present (others may be added)
#   updated: the event's `updated` (DTSTAMP, LAST-MODIFIED)
#   sequence: the lowest acceptable SEQUENCE (raised when the date changed)
# --------------------------------------------------------------------------
EVENTS: dict[str, dict] = {
    # 28 Oct 2025, Tokyo: first in-person Takaichi–Trump summit, State Guest House.
    "tokyo-summit-2025": dict(
        start=D(2025, 10, 28), end_excl=D(2025, 10, 29), tz="Asia/Tokyo",
        status="confirmed", countries={"JP", "US"}, tags={"summit"},
        geo=(35.68, 139.73), participants=2, updated=REVISED, sequence=0),
    # Same day: meeting with the families of Japanese abducted by North Korea.
    "abductee-families-meeting-2025": dict(
        start=D(2025, 10, 28), end_excl=D(2025, 10, 29), tz="Asia/Tokyo",
        status="confirmed", countries={"JP", "US"}, tags={"meeting"},
        geo=None, participants=3, updated=FIRST, sequence=0),
    # Same day: address to US servicemen at the US Naval Base Yokosuka.
    "yokosuka-address-2025": dict(
        start=D(2025, 10, 28), end_excl=D(2025, 10, 29), tz="Asia/Tokyo",
        status="confirmed", countries={"JP", "US"}, tags={"visit"},
        geo=(35.29, 139.67), participants=2, updated=REVISED, sequence=0),
    # 30 Oct 2025, Busan (Gimhae Air Base): Trump–Xi meeting.
    "busan-trump-xi-2025": dict(
        start=D(2025, 10, 30), end_excl=D(2025, 10, 31), tz="Asia/Seoul",
        status="confirmed", countries={"US", "CN"}, tags={"summit"},
        geo=(35.18, 128.94), participants=2, updated=REVISED, sequence=0),
    # Monday 24 Nov 2025 (US time): Trump–Xi phone call.
    "trump-xi-call-2025-11": dict(
        start=D(2025, 11, 24), end_excl=D(2025, 11, 25), tz="America/New_York",
        status="confirmed", countries={"US", "CN"}, tags={"phone-call"},
        geo=None, participants=2, updated=REVISED, sequence=0),
    # 25 Nov 2025 (Japan time): Takaichi–Trump call right after it.
    "takaichi-trump-call-2025-11": dict(
        start=D(2025, 11, 25), end_excl=D(2025, 11, 26), tz="Asia/Tokyo",
        status="confirmed", countries={"JP", "US"}, tags={"phone-call"},
        geo=None, participants=2, updated=REVISED, sequence=0),
    # Late Friday 2 Jan 2026 (Japan time): ~25-minute call, spring visit agreed.
    "takaichi-trump-call-2026-01": dict(
        start=D(2026, 1, 2), end_excl=D(2026, 1, 3), tz="Asia/Tokyo",
        status="confirmed", countries={"JP", "US"}, tags={"phone-call"},
        geo=None, participants=2, updated=REVISED, sequence=0),
    # 13–14 Jan 2026, Nara: Lee–Takaichi shuttle-diplomacy summit (scheduled).
    "nara-summit-2026": dict(
        start=D(2026, 1, 13), end_excl=D(2026, 1, 15), tz="Asia/Tokyo",
        status="confirmed", countries={"JP", "KR"}, tags={"summit"},
        geo=(34.68, 135.80), participants=2, updated=REVISED, sequence=0),
    # Proposed in January for late March (first entered as 20-31 March,
    # tentative); announced on 5 Feb for 19 March and held at the White House
    # on Thursday 19 March 2026 (Yomiuri and Jiji 2026-02-06, DW 2026-03-19).
    "takaichi-us-visit-2026": dict(
        start=D(2026, 3, 19), end_excl=D(2026, 3, 20), tz="America/New_York",
        status="confirmed", countries={"JP", "US"}, tags={"visit", "plan-january-2026"},
        geo=None, participants=2, updated=REVISED, sequence=1),
    # Hoped for in April (first entered as all of April, tentative); set for
    # 31 March-2 April, postponed over the Iran war, reset to 14-15 May; held
    # from Wednesday 13 to Friday 15 May 2026 in Beijing (AP, BBC).
    "trump-china-visit-2026": dict(
        start=D(2026, 5, 13), end_excl=D(2026, 5, 16), tz="Asia/Shanghai",
        status="confirmed", countries={"US", "CN"}, tags={"visit", "plan-january-2026"},
        geo=None, participants=2, updated=REVISED, sequence=1),
    # 4 July 2026: 250th anniversary of US independence, jointly celebrated.
    "us-independence-250th-2026": dict(
        start=D(2026, 7, 4), end_excl=D(2026, 7, 5), tz="America/New_York",
        status="confirmed", countries={"US", "JP"}, tags={"anniversary"},
        geo=None, participants=0, updated=REVISED, sequence=0),
}

ALL = set(EVENTS)
PLANS = {"takaichi-us-visit-2026", "trump-china-visit-2026"}

# How each plan evolved, as its description must tell it (per language).
EVOLUTION = {
    "takaichi-us-visit-2026": {
        "en": ["late March", "20 to 31 March", "5 February", "19 March"],
        "ko": ["3월 말", "3월 20~31일", "2월 5일", "3월 19일"],
        "ja": ["3月下旬", "3月20日～31日", "2月5日", "3月19日"],
    },
    "trump-china-visit-2026": {
        "en": ["April", "31 March to 2 April", "postponed", "14–15", "13 May", "15 May"],
        "ko": ["4월", "3월 31일~4월 2일", "연기", "5월 14~15일", "5월 13일", "15일"],
        "ja": ["4月", "3月31日～4月2日", "延期", "5月14～15日", "5月13日", "15日"],
    },
}
# Words of the January titles that no longer hold.
PLAN_WORDS = {"en": ["proposed", "hoped"], "ko": ["제안", "희망"], "ja": ["提案", "希望"]}
# Facts taken from the public record rather than the article: the event's
# sources must say so, and its English description must hold these words.
PUBLIC_RECORD = {
    "yokosuka-address-2025": [],
    "busan-trump-xi-2025": [],
    "trump-xi-call-2025-11": [],
    "takaichi-trump-call-2025-11": ["Tuesday 25 November", "Monday 24 November"],
    "takaichi-trump-call-2026-01": ["Friday (Japan time)"],
    "us-independence-250th-2026": ["4 July 2026"],
}
# Korean wording a native reader would not write.
KO_AVOID = ["자유롭고 개방된", "인도-태평양", "나라 방문·"]
SOURCE_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")

# --------------------------------------------------------------------------
# Expected contents of every feed file, listed by hand (not from filters).
# --------------------------------------------------------------------------
FEEDS: dict[str, dict] = {
    "all": dict(language="en", ids=ALL),
    "japan-us": dict(language="en", ids={
        "tokyo-summit-2025", "abductee-families-meeting-2025", "yokosuka-address-2025",
        "takaichi-trump-call-2025-11", "takaichi-trump-call-2026-01",
        "takaichi-us-visit-2026", "us-independence-250th-2026"}),
    "us-china": dict(language="en", ids={
        "busan-trump-xi-2025", "trump-xi-call-2025-11", "trump-china-visit-2026"}),
    "japan-korea": dict(language="en", ids={"nara-summit-2026"}),
    "phone-calls": dict(language="en", ids={
        "trump-xi-call-2025-11", "takaichi-trump-call-2025-11", "takaichi-trump-call-2026-01"}),
    "planned": dict(language="en", ids={"takaichi-us-visit-2026", "trump-china-visit-2026"}),
    "all-ko": dict(language="ko", ids=ALL),
}

MARKER = {"en": "[Tentative]", "ko": "[미정]", "ja": "[未定]"}
NOT_FIXED = {"en": "date not fixed", "ko": "날짜 미정", "ja": "日程未定"}
LABELS = {
    "en": ("Participants:", "Sources:"),
    "ko": ("참석자:", "출처:"),
    "ja": ("参加者:", "出典:"),
}
HANGUL = re.compile(r"[\uac00-\ud7a3]")
ALLOWED_TAG = re.compile(r"^[a-z0-9-]+$")


def uid(event_id: str) -> str:
    return f"{event_id}@{DOMAIN}"


class Checker:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.group_failures = 0
        self.count = 0

    def check(self, cond: bool, message: str) -> bool:
        self.count += 1
        if not cond:
            self.failures.append(message)
            self.group_failures += 1
        return cond

    def group(self, title: str) -> "_Group":
        return _Group(self, title)


class _Group:
    def __init__(self, checker: Checker, title: str) -> None:
        self.checker, self.title = checker, title

    def __enter__(self) -> Checker:
        self.checker.group_failures = 0
        self.start = self.checker.count
        return self.checker

    def __exit__(self, *exc) -> None:
        n = self.checker.count - self.start
        state = "ok" if self.checker.group_failures == 0 else f"FAILED ({self.checker.group_failures})"
        print(f"  [{state:>10}] {self.title} ({n} checks)")


# --------------------------------------------------------------------------
# events.toml
# --------------------------------------------------------------------------
def text_langs(value) -> set[str]:
    return set(value) if isinstance(value, dict) else {"en"}


def text_in(value, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang, value.get("en", ""))
    return value


def check_toml(c: Checker, path: Path) -> None:
    with path.open("rb") as f:
        data = tomllib.load(f)

    with c.group(f"{path}: [calendar] settings"):
        cal = data.get("calendar", {})
        c.check(cal.get("timezone") == "Asia/Tokyo", f"calendar.timezone is {cal.get('timezone')!r}, expected 'Asia/Tokyo'")
        c.check(cal.get("language") == "en", f"calendar.language is {cal.get('language')!r}, expected 'en'")
        c.check(cal.get("domain") == DOMAIN, f"calendar.domain is {cal.get('domain')!r}, expected {DOMAIN!r}")
        c.check(cal.get("url") == CAL_URL, f"calendar.url is {cal.get('url')!r}, expected {CAL_URL!r}")
        c.check(cal.get("refresh") == "PT12H", f"calendar.refresh is {cal.get('refresh')!r}, expected 'PT12H'")
        for key in ("name", "description"):
            c.check({"en", "ko"} <= text_langs(cal.get(key, "")), f"calendar.{key} lacks an en or ko translation")

    with c.group(f"{path}: [[feed]] definitions"):
        feeds = {f.get("name"): f for f in data.get("feed", [])}
        c.check(set(feeds) == set(FEEDS) - {"all"},
                f"feeds defined: {sorted(feeds)}, expected {sorted(set(FEEDS) - {'all'})}")
        planned = feeds.get("planned", {})
        c.check(planned.get("tags") == ["plan-january-2026"] and "status" not in planned,
                "feed planned: must select the tag plan-january-2026 and no status "
                "(a status filter empties it once the plans are confirmed)")
        ko = feeds.get("all-ko", {})
        c.check(ko.get("language") == "ko", "feed all-ko: language is not 'ko'")
        c.check(not any(k in ko for k in ("countries", "tags", "status")), "feed all-ko must have no filters")
        c.check(bool(HANGUL.search(text_in(ko.get("title", ""), "ko"))), "feed all-ko: title has no Korean text")
        for name, feed in feeds.items():
            c.check("en" in text_langs(feed.get("title", "")), f"feed {name}: title lacks 'en'")

    events = data.get("event", [])
    by_id = {e.get("id"): e for e in events}
    with c.group(f"{path}: event ids"):
        c.check(len(by_id) == len(events), "duplicate event ids")
        missing, extra = ALL - set(by_id), set(by_id) - ALL
        c.check(not missing, f"events missing from events.toml: {sorted(missing)}")
        c.check(not extra, f"events in events.toml that the checked facts do not cover: {sorted(extra)}")

    with c.group(f"{path}: dates, zones, statuses, countries, tags"):
        for eid, exp in EVENTS.items():
            e = by_id.get(eid)
            if e is None:
                continue
            start, end = e.get("start"), e.get("end")
            c.check(type(start) is dt.date and start == exp["start"],
                    f"{eid}: start is {start!r}, expected all-day date {exp['start']}")
            last_day = exp["end_excl"] - dt.timedelta(days=1)
            if last_day == exp["start"]:
                c.check(end is None and "duration" not in e, f"{eid}: a one-day event should have no end/duration")
            else:
                c.check(type(end) is dt.date and end == last_day,
                        f"{eid}: end is {end!r}, expected last day {last_day} (inclusive)")
            c.check(e.get("timezone") == exp["tz"], f"{eid}: timezone is {e.get('timezone')!r}, expected {exp['tz']!r}")
            c.check(e.get("status", "confirmed") == exp["status"],
                    f"{eid}: status is {e.get('status', 'confirmed')!r}, expected {exp['status']!r}")
            c.check(set(e.get("countries", [])) == exp["countries"],
                    f"{eid}: countries {e.get('countries')}, expected {sorted(exp['countries'])}")
            tags = set(e.get("tags", []))
            c.check(exp["tags"] <= tags, f"{eid}: tags {sorted(tags)} lack {sorted(exp['tags'] - tags)}")
            c.check(all(ALLOWED_TAG.match(t) for t in tags), f"{eid}: a tag is not lowercase [a-z0-9-]+: {sorted(tags)}")
            c.check(len(e.get("participants", [])) == exp["participants"],
                    f"{eid}: {len(e.get('participants', []))} participants, expected {exp['participants']}")
            has_geo = "geo" in e
            c.check(has_geo == (exp["geo"] is not None), f"{eid}: geo {'present' if has_geo else 'absent'}, expected the opposite")

    with c.group(f"{path}: texts, sources, timestamps, no URLs"):
        for eid, e in by_id.items():
            if eid not in EVENTS:
                continue
            exp = EVENTS[eid]
            c.check(e.get("updated") == exp["updated"], f"{eid}: updated is {e.get('updated')!r}, expected {exp['updated'].isoformat()}")
            c.check(e.get("sequence", 0) >= exp["sequence"], f"{eid}: sequence is {e.get('sequence', 0)}, expected at least {exp['sequence']}")
            c.check("url" not in e, f"{eid}: has a url (the dataset must not invent URLs)")
            srcs = e.get("sources", [])
            c.check(bool(srcs) and all(isinstance(s, str) and s.strip() for s in srcs), f"{eid}: sources missing or empty")
            for src in srcs:
                if isinstance(src, str) and "http" in src:
                    # A later report: outlet, date and address.
                    c.check(bool(SOURCE_DATE.search(src)) and bool(re.search(r" — https?://\S+$", src)),
                            f"{eid}: source {src!r} does not end in ' — <address>' with a YYYY-MM-DD date")
            for key in ("title", "description"):
                c.check({"en", "ko"} <= text_langs(e.get(key, "")), f"{eid}: {key} lacks an en or ko translation")
                c.check(bool(HANGUL.search(text_in(e.get(key, ""), "ko"))), f"{eid}: {key}.ko has no Korean text")
            if "location" in e:
                c.check({"en", "ko"} <= text_langs(e["location"]), f"{eid}: location lacks en or ko")
            for p in e.get("participants", []):
                c.check("en" in text_langs(p), f"{eid}: participant {p!r} lacks 'en'")
            if EVENTS[eid]["status"] == "tentative":
                desc = e.get("description", {})
                for lang in ("en", "ko"):
                    c.check(NOT_FIXED[lang] in text_in(desc, lang).lower(),
                            f"{eid}: description.{lang} does not say {NOT_FIXED[lang]!r}")
            for key in ("title", "description", "location"):
                ko_text = text_in(e.get(key, ""), "ko")
                for bad in KO_AVOID:
                    c.check(bad not in ko_text, f"{eid}: {key}.ko says {bad!r}")
        busan = text_in(by_id.get("busan-trump-xi-2025", {}).get("description", ""), "ko")
        c.check(busan.count("트럼프") == 1, "busan-trump-xi-2025: description.ko repeats 트럼프")

    with c.group(f"{path}: the January plans, as they turned out"):
        for eid in sorted(PLANS):
            e = by_id.get(eid, {})
            c.check(eid in PLANS and "plan-january-2026" in e.get("tags", []), f"{eid}: lacks the tag plan-january-2026")
            addressed = [s for s in e.get("sources", []) if "https://" in s or "http://" in s]
            c.check(len(addressed) >= 3, f"{eid}: {len(addressed)} sources with an address, expected the later reports (3 or more)")
            for lang, words in PLAN_WORDS.items():
                title = text_in(e.get("title", {}), lang)
                for word in words:
                    c.check(word not in title.lower(), f"{eid}: title.{lang} {title!r} still says {word!r}")
            for lang, phrases in EVOLUTION[eid].items():
                desc = text_in(e.get("description", {}), lang)
                for phrase in phrases:
                    c.check(phrase in desc, f"{eid}: description.{lang} does not tell {phrase!r}")
        for eid, phrases in PUBLIC_RECORD.items():
            e = by_id.get(eid, {})
            c.check(any("public record" in s for s in e.get("sources", [])),
                    f"{eid}: sources do not say which fact is public record")
            for phrase in phrases:
                c.check(phrase in text_in(e.get("description", {}), "en"),
                        f"{eid}: description.en does not say {phrase!r}")

    with c.group(f"{path}: no tentative event whose dates have passed"):
        now = dt.datetime.now(dt.timezone.utc)
        for e in events:
            if e.get("status") != "tentative":
                continue
            zone = ZoneInfo(e.get("timezone", cal.get("timezone", "UTC")))
            end = e.get("end", e.get("start"))
            last = end.astimezone(zone).date() if isinstance(end, dt.datetime) else end
            today = now.astimezone(zone).date()
            c.check(last >= today, f"{e.get('id')}: tentative, but its last day {last} is before today ({today} in {zone.key})")


# --------------------------------------------------------------------------
# .ics files
# --------------------------------------------------------------------------
def categories(ev) -> set[str]:
    raw = ev.get("CATEGORIES")
    if raw is None:
        return set()
    items = raw if isinstance(raw, list) else [raw]
    out: set[str] = set()
    for item in items:
        out.update(str(x) for x in getattr(item, "cats", [item]))
    return out


def unfold(raw: str) -> str:
    return re.sub(r"\r\n[ \t]", "", raw)


def check_feed(c: Checker, outdir: Path, name: str, spec: dict, cal_title: dict | None) -> None:
    path = outdir / f"{name}.ics"
    lang = spec["language"]
    with c.group(f"{path.name}: {len(spec['ids'])} expected events, language {lang}"):
        if not c.check(path.is_file(), f"{path}: missing"):
            return
        raw_bytes = path.read_bytes()
        c.check(b"\n" not in raw_bytes.replace(b"\r\n", b""), f"{path.name}: has a line ending that is not CRLF")
        raw = unfold(raw_bytes.decode("utf-8"))
        try:
            cal = icalendar.Calendar.from_ical(raw_bytes)
        except Exception as err:  # noqa: BLE001 - any parse error is a failure
            c.check(False, f"{path.name}: icalendar cannot parse it: {err}")
            return

        # Calendar-level properties.
        c.check(str(cal.get("VERSION")) == "2.0", f"{path.name}: VERSION is not 2.0")
        c.check(str(cal.get("X-WR-TIMEZONE")) == "Asia/Tokyo", f"{path.name}: X-WR-TIMEZONE is {cal.get('X-WR-TIMEZONE')!r}")
        c.check("REFRESH-INTERVAL;VALUE=DURATION:PT12H" in raw, f"{path.name}: no REFRESH-INTERVAL;VALUE=DURATION:PT12H")
        source = cal.get("SOURCE")
        c.check(str(source) == f"{CAL_URL}{name}.ics", f"{path.name}: SOURCE is {source!r}, expected {CAL_URL}{name}.ics")
        calname = str(cal.get("X-WR-CALNAME", ""))
        if cal_title is not None:
            expected_title = text_in(cal_title, lang)
            c.check(calname == expected_title, f"{path.name}: X-WR-CALNAME is {calname!r}, expected {expected_title!r}")
        if lang == "ko":
            c.check(bool(HANGUL.search(calname)), f"{path.name}: calendar name {calname!r} has no Korean text")

        events = cal.walk("VEVENT")
        uids = [str(ev.get("UID")) for ev in events]
        c.check(len(uids) == len(set(uids)), f"{path.name}: duplicate UIDs")
        expected = {uid(i) for i in spec["ids"]}
        missing, extra = expected - set(uids), set(uids) - expected
        c.check(not missing, f"{path.name}: missing events {sorted(missing)}")
        c.check(not extra, f"{path.name}: unexpected events {sorted(extra)}")

        for ev in events:
            u = str(ev.get("UID"))
            eid = u.removesuffix(f"@{DOMAIN}")
            exp = EVENTS.get(eid)
            if exp is None:
                continue
            where = f"{path.name} {eid}"
            ds, de = ev.get("DTSTART"), ev.get("DTEND")
            c.check(ds is not None and ds.params.get("VALUE") == "DATE" and type(ds.dt) is dt.date and ds.dt == exp["start"],
                    f"{where}: DTSTART is {ds.to_ical().decode() if ds else None} {dict(ds.params) if ds else ''}, "
                    f"expected VALUE=DATE {exp['start']:%Y%m%d}")
            c.check(de is not None and de.params.get("VALUE") == "DATE" and type(de.dt) is dt.date and de.dt == exp["end_excl"],
                    f"{where}: DTEND is {de.to_ical().decode() if de else None}, expected VALUE=DATE {exp['end_excl']:%Y%m%d} (exclusive)")
            c.check(f"DTSTART;VALUE=DATE:{exp['start']:%Y%m%d}\r\n" in raw,
                    f"{where}: raw line DTSTART;VALUE=DATE:{exp['start']:%Y%m%d} not found")
            c.check("DURATION" not in ev, f"{where}: has DURATION (DTEND must be written instead)")

            status = str(ev.get("STATUS", ""))
            c.check(status == exp["status"].upper(), f"{where}: STATUS is {status!r}, expected {exp['status'].upper()}")
            transp = str(ev.get("TRANSP", ""))
            c.check(transp == "TRANSPARENT", f"{where}: TRANSP is {transp!r}, expected TRANSPARENT (all-day)")

            summary = ev.get("SUMMARY")
            text = str(summary) if summary is not None else ""
            c.check(summary is not None and summary.params.get("LANGUAGE") == lang,
                    f"{where}: SUMMARY has LANGUAGE={summary.params.get('LANGUAGE') if summary is not None else None}, expected {lang}")
            marker = MARKER[lang] + " "
            if exp["status"] == "tentative":
                c.check(text.startswith(marker), f"{where}: tentative SUMMARY {text!r} does not start with {marker!r}")
            else:
                c.check(not text.startswith("["), f"{where}: confirmed SUMMARY {text!r} carries a marker")
            if lang == "ko":
                c.check(bool(HANGUL.search(text)), f"{where}: SUMMARY {text!r} has no Korean text")

            desc = str(ev.get("DESCRIPTION", ""))
            p_label, s_label = LABELS[lang]
            c.check(s_label in desc, f"{where}: DESCRIPTION lacks the {s_label!r} line")
            c.check((p_label in desc) == (exp["participants"] > 0),
                    f"{where}: DESCRIPTION {'lacks' if exp['participants'] else 'has'} a {p_label!r} line")
            if lang == "ko":
                c.check(bool(HANGUL.search(desc)), f"{where}: DESCRIPTION has no Korean text")
            if exp["status"] == "tentative":
                c.check(NOT_FIXED[lang] in desc.lower(), f"{where}: DESCRIPTION does not say {NOT_FIXED[lang]!r}")

            geo = ev.get("GEO")
            if exp["geo"] is None:
                c.check(geo is None, f"{where}: unexpected GEO")
            else:
                ok = geo is not None and abs(geo.latitude - exp["geo"][0]) < 0.02 and abs(geo.longitude - exp["geo"][1]) < 0.02
                c.check(ok, f"{where}: GEO is {geo.to_ical() if geo is not None else None}, expected about {exp['geo']}")
            loc = ev.get("LOCATION")
            if lang == "ko" and loc is not None:
                c.check(bool(HANGUL.search(str(loc))), f"{where}: LOCATION {str(loc)!r} has no Korean text")

            cats = categories(ev)
            c.check(exp["tags"] <= cats, f"{where}: CATEGORIES {sorted(cats)} lack {sorted(exp['tags'] - cats)}")
            c.check("URL" not in ev, f"{where}: has a URL property")
            for prop in ("DTSTAMP", "LAST-MODIFIED"):
                v = ev.get(prop)
                c.check(v is not None and v.dt == exp["updated"], f"{where}: {prop} is {v.dt if v is not None else None}, expected {exp['updated']}")
            seq = ev.get("SEQUENCE")
            c.check(seq is not None and int(seq) >= exp["sequence"], f"{where}: SEQUENCE is {seq!r}, expected at least {exp['sequence']}")


def main() -> int:
    default_toml = Path(__file__).resolve().parents[2] / "events.toml"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path, help="directory written by `calfeed build --out`")
    ap.add_argument("--toml", type=Path, default=default_toml, help=f"the dataset (default: {default_toml})")
    ap.add_argument("--calfeed", type=Path, help="the calfeed binary: check that `calfeed check` warns about nothing")
    args = ap.parse_args()

    c = Checker()
    print(f"check_dataset: {args.toml} and the feeds in {args.outdir} (icalendar {icalendar.__version__})")
    if not args.toml.is_file():
        print(f"FAIL: {args.toml} not found", file=sys.stderr)
        return 1
    if not args.outdir.is_dir():
        print(f"FAIL: {args.outdir} is not a directory", file=sys.stderr)
        return 1

    check_toml(c, args.toml)

    with args.toml.open("rb") as f:
        data = tomllib.load(f)
    titles = {f["name"]: f.get("title") for f in data.get("feed", []) if "name" in f}
    titles["all"] = data.get("calendar", {}).get("name")

    for name, spec in FEEDS.items():
        check_feed(c, args.outdir, name, spec, titles.get(name))

    if args.calfeed is not None:
        with c.group(f"calfeed check {args.toml}: no warnings, today from the clock"):
            env = {k: v for k, v in os.environ.items() if k != "CALFEED_TODAY"}
            run = subprocess.run([str(args.calfeed), "--deny-warnings", "check", str(args.toml)],
                                 capture_output=True, text=True, env=env)
            c.check(run.returncode == 0, f"calfeed check exited with {run.returncode}")
            c.check(run.stderr == "", f"calfeed check printed:\n{run.stderr}")

    with c.group(f"{args.outdir}: no unexpected .ics files"):
        present = {p.stem for p in args.outdir.glob("*.ics")}
        c.check(present == set(FEEDS), f"feed files {sorted(present)}, expected {sorted(FEEDS)}")

    print()
    sys.stdout.flush()
    if c.failures:
        print(f"FAILED: {len(c.failures)} of {c.count} checks:", file=sys.stderr)
        for msg in c.failures:
            print(f"  - {msg}", file=sys.stderr)
        return 1
    print(f"OK: all {c.count} checks passed ({len(EVENTS)} events, {len(FEEDS)} feeds).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
