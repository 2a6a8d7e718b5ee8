#!/usr/bin/env python3
"""Check calfeed's .ics output against three independent iCalendar parsers.

usage: check.py --toml events.toml --out DIR [--report report.json]
                [--build-dir DIR] [--parsers icalendar,ical.js,libical]

The EXPECTED events are computed here from the TOML alone (tomllib + zoneinfo with
the `tzdata` package, never the OS tz files), following the time rules of the
calfeed format: local/offset date-times, nominal days + exact time in durations,
default_duration, inclusive all-day ends, the "ambiguous wall time is written in
UTC" rule, and each [[feed]]'s filters.

Every DIR/*.ics is then read by Python icalendar, ical.js and libical (see the
read_* programs beside this file; each converts TZID date-times with the file's
own VTIMEZONE) and compared with the expectation: the set of UIDs per file,
start/end instants or dates and whether they carry the TZID or are written in UTC,
STATUS, TRANSP, SUMMARY (title in the feed's language behind the status marker),
DESCRIPTION, LOCATION and CATEGORIES.  Disagreements between the parsers are
listed too.

Exit status: 0 if everything matches, 1 on any mismatch or parser failure,
2 on a usage error or a TOML that calfeed should have rejected.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import zoneinfo

# Expected times must not depend on the machine's /usr/share/zoneinfo: use only the
# pinned `tzdata` package.
zoneinfo.reset_tzpath(to=())
import tzdata  # noqa: E402  (after reset_tzpath on purpose; fails loudly if missing)

from clibs import compile_libical_program  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PARSERS = ("icalendar", "ical.js", "libical")
UTC_NAMES = {"UTC", "Etc/UTC"}  # written as ...Z

DEFAULT_MARKERS = {
    "tentative": {"en": "[Tentative]", "ko": "[미정]", "ja": "[未定]"},
    "cancelled": {"en": "[Cancelled]", "ko": "[취소]", "ja": "[中止]"},
}
PARTICIPANTS_LABEL = {"en": "Participants", "ko": "참석자", "ja": "参加者"}
SOURCES_LABEL = {"en": "Sources", "ko": "출처", "ja": "出典"}


class TomlError(Exception):
    """The TOML breaks a rule of the format: calfeed should have rejected it."""


# --------------------------------------------------------------------------- text


def clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def localize(value, lang: str, default_lang: str) -> str | None:
    """A Text (string or {lang: string}) in `lang`, falling back to default_lang."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        for key in (lang, default_lang):
            if key in value:
                return clean(value[key])
        raise TomlError(f"text table {value!r} has neither {lang!r} nor {default_lang!r}")
    raise TomlError(f"not a Text value: {value!r}")


def label(table: dict[str, str], lang: str, default_lang: str) -> str:
    return table.get(lang) or table.get(default_lang) or table["en"]


# --------------------------------------------------------------------------- time

DURATION_RE = re.compile(
    r"^(?P<sign>[+-])?P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    days: int  # nominal days (weeks included)
    seconds: int  # exact elapsed seconds


def parse_duration(text: str) -> Duration:
    m = DURATION_RE.match(text or "")
    if not m or text.endswith(("P", "T")) or m.group("sign") == "-":
        raise TomlError(f"bad or negative duration {text!r}")
    num = {k: int(v) if v else 0 for k, v in m.groupdict().items() if k != "sign"}
    return Duration(num["w"] * 7 + num["d"], num["h"] * 3600 + num["m"] * 60 + num["s"])


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise TomlError(f"unknown time zone {name!r}") from exc


def resolve(wall: datetime, zone: zoneinfo.ZoneInfo) -> tuple[str, list[datetime]]:
    """Kind ('ok', 'ambiguous', 'gap') of a naive wall time and its UTC candidates."""
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    candidates = sorted({first.astimezone(UTC), second.astimezone(UTC)})
    if len(candidates) == 1:
        return "ok", candidates
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return "ambiguous", candidates
    return "gap", candidates


def is_utc_alias(name: str) -> bool:
    """True for other names of Etc/UTC (UCT, Zulu, Etc/Universal, ...).

    calfeed writes times in UTC and its aliases as ...Z; for aliases, a TZID backed by
    a VTIMEZONE is accepted too, as both give the same instants.
    """
    zones = importlib.resources.files("tzdata.zoneinfo")
    try:
        return zones.joinpath(*name.split("/")).read_bytes() == \
            zones.joinpath("Etc", "UTC").read_bytes()
    except OSError:
        return False


def wall_is_ambiguous(instant: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    return resolve(instant.astimezone(zone).replace(tzinfo=None), zone)[0] == "ambiguous"


def written_as(forms: set, instant: datetime, zone: zoneinfo.ZoneInfo) -> set:
    """Acceptable TZIDs of `instant`: UTC instead of a TZID where the wall time is ambiguous."""
    ambiguous = wall_is_ambiguous(instant, zone)
    return {None if (tzid is not None and ambiguous) else tzid for tzid in forms}


@dataclass
class TimeExpectation:
    """Acceptable values for one DTSTART/DTEND."""

    date: date | None = None
    instants: list[datetime] = field(default_factory=list)
    tzid: set = field(default_factory=set)  # acceptable "tzid" values (None = UTC form)
    note: str = ""

    def describe(self) -> str:
        if self.date is not None:
            return f"date {self.date.isoformat()}"
        text = " or ".join(utc_text(i) for i in self.instants)
        forms = " or ".join("UTC (…Z)" if t is None else f"TZID={t}" for t in
                            sorted(self.tzid, key=lambda t: (t is not None, t or "")))
        return f"{text} as {forms}" + (f" ({self.note})" if self.note else "")


def utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe_got(value: dict | None) -> str:
    if value is None:
        return "nothing"
    if "date" in value:
        return f"date {value['date']}"
    if "utc" in value:
        tzid = value.get("tzid")
        return f"{value['utc']} as " + ("UTC (…Z)" if tzid is None else f"TZID={tzid}")
    if "floating" in value:
        return f"floating time {value['floating']}"
    return f"error: {value.get('error')}"


def time_problem(expect: TimeExpectation, got: dict | None) -> str | None:
    """None if `got` (a reader's TIME object) is acceptable, else a description."""
    if got is None:
        return "missing"
    if expect.date is not None:
        return None if got.get("date") == expect.date.isoformat() else "value"
    if "utc" not in got:
        return "value"
    if got["utc"] not in {utc_text(i) for i in expect.instants}:
        return "value"
    if got.get("tzid") not in expect.tzid:
        return "form"
    return None


# --------------------------------------------------------------------------- expected events


@dataclass
class Expected:
    uid: str
    event_id: str
    summary: str
    descriptions: list  # acceptable DESCRIPTION values (None = absent)
    location: str | None
    categories: list[str]
    status: str
    transp: str
    start: TimeExpectation
    end: TimeExpectation


class Model:
    """The parts of events.toml that decide what the .ics files must contain."""

    def __init__(self, doc: dict):
        cal = doc.get("calendar") or {}
        self.domain = cal.get("domain")
        if not self.domain:
            raise TomlError("[calendar] domain is required")
        self.language = cal.get("language", "en")
        self.default_zone = cal.get("timezone", "UTC")
        self.utc_only = cal.get("timezones", "vtimezone") == "utc"
        self.default_duration = parse_duration(cal.get("default_duration", "PT1H"))
        self.markers = {
            status: cal.get(f"{status}_marker", DEFAULT_MARKERS[status])
            for status in DEFAULT_MARKERS
        }
        self.feeds = doc.get("feed") or []
        self.events = doc.get("event") or []
        # Expected times depend only on the event, not on the feed: compute them once.
        self.times = {ev["id"]: self.event_times(ev) for ev in self.events}

    # ---- times

    def event_times(self, ev: dict) -> tuple[TimeExpectation, TimeExpectation, bool]:
        """(start, end, all_day) expectations of one event."""
        eid = ev.get("id", "?")
        start = ev.get("start")
        end = ev.get("end")
        if end is not None and ev.get("duration") is not None:
            raise TomlError(f"event {eid}: both end and duration")
        if isinstance(start, date) and not isinstance(start, datetime):
            return (*self.all_day_times(ev, start, end), True)
        if not isinstance(start, datetime):
            raise TomlError(f"event {eid}: start must be a date or a date-time, got {start!r}")
        return (*self.timed_times(ev, start, end), False)

    def all_day_times(self, ev, start: date, end) -> tuple[TimeExpectation, TimeExpectation]:
        eid = ev["id"]
        if end is not None:
            if isinstance(end, datetime) or not isinstance(end, date):
                raise TomlError(f"event {eid}: end must be a date like start")
            if end < start:
                raise TomlError(f"event {eid}: end before start")
            last_exclusive = end + timedelta(days=1)
        elif ev.get("duration") is not None:
            dur = parse_duration(ev["duration"])
            if dur.seconds or not dur.days:
                raise TomlError(f"event {eid}: an all-day duration takes whole days/weeks only")
            last_exclusive = start + timedelta(days=dur.days)
        else:
            last_exclusive = start + timedelta(days=1)
        return TimeExpectation(date=start), TimeExpectation(date=last_exclusive)

    def timed_times(self, ev, start: datetime, end) -> tuple[TimeExpectation, TimeExpectation]:
        eid = ev["id"]
        own_zone = ev.get("timezone")
        zone_name = own_zone or self.default_zone
        zone = zone_of(zone_name)
        # The acceptable TZIDs of a local value whose wall time is not ambiguous
        # (None: written in UTC).
        if self.utc_only or zone_name in UTC_NAMES:
            forms = {None}
        elif is_utc_alias(zone_name):
            forms = {None, zone_name}
        else:
            forms = {zone_name}

        start_exp, start_forms, duration_zones = self.point(eid, "start", start, zone,
                                                            own_zone, forms)
        if end is not None:
            # "Same kind" is date vs date-time; local and offset date-times may mix.
            if not isinstance(end, datetime):
                raise TomlError(f"event {eid}: end must be a date-time like start")
            end_exp, _, _ = self.point(eid, "end", end, zone, own_zone, forms)
        else:
            dur = (parse_duration(ev["duration"]) if ev.get("duration") is not None
                   else self.default_duration)
            end_exp = self.add_duration(start_exp.instants[0], dur, duration_zones, zone,
                                        start_forms)
        if min(end_exp.instants) <= start_exp.instants[0]:
            raise TomlError(f"event {eid}: end is not after start")
        return start_exp, end_exp

    def point(self, eid, what, value: datetime, zone, own_zone, forms: set):
        """Expectation for an explicit start/end value, the TZIDs acceptable for values
        derived from it, and the zones in which nominal days are added to it."""
        if value.tzinfo is None:
            kind, instants = resolve(value, zone)
            if kind != "ok":
                raise TomlError(f"event {eid}: {what} {value} is {kind} in {zone.key}")
            instant = instants[0]
            duration_zones = [zone]
        else:
            instant = value.astimezone(UTC)
            if own_zone is not None:
                if instant.astimezone(zone).utcoffset() != value.utcoffset():
                    raise TomlError(f"event {eid}: {what} {value} does not have "
                                    f"{zone.key}'s offset at that instant")
                duration_zones = [zone]
            else:
                # An offset date-time without an event timezone is written in UTC; the
                # nominal days of a duration count on the calendar zone's wall clock.
                forms = {None}
                duration_zones = [zone]
        return (TimeExpectation(instants=[instant], tzid=written_as(forms, instant, zone)),
                forms, duration_zones)

    def add_duration(self, start: datetime, dur: Duration, zones, event_zone,
                     forms: set) -> TimeExpectation:
        """Nominal days on the wall clock of each candidate zone, then exact seconds."""
        instants, tzids, notes = set(), set(), []
        for zone in zones:
            wall = start.astimezone(zone).replace(tzinfo=None) + timedelta(days=dur.days)
            if isinstance(zone, zoneinfo.ZoneInfo):
                kind, candidates = resolve(wall, zone)
            else:  # fixed offset
                kind, candidates = "ok", [wall.replace(tzinfo=zone).astimezone(UTC)]
            if kind != "ok":
                notes.append(f"start + {dur.days} day(s) is {kind} in {zone}: any reading accepted")
            for cand in candidates:
                instant = cand + timedelta(seconds=dur.seconds)
                instants.add(instant)
                tzids |= written_as(forms, instant, event_zone)
                if kind != "ok":
                    tzids.add(None)
        if len(instants) > 1 and not notes:
            notes.append("nominal days give more than one instant")
        return TimeExpectation(instants=sorted(instants), tzid=tzids, note="; ".join(notes))

    # ---- feeds

    def feed_files(self) -> dict[str, tuple[list[dict], str]]:
        """File name -> (events it must contain, language)."""
        files = {"all.ics": (list(self.events), self.language)}
        for feed in self.feeds:
            files[f"{feed['name']}.ics"] = (
                [ev for ev in self.events if self.keeps(feed, ev)],
                feed.get("language", self.language),
            )
        return files

    @staticmethod
    def keeps(feed: dict, ev: dict) -> bool:
        countries = {c.upper() for c in ev.get("countries", [])}
        if feed.get("countries") and not all(c.upper() in countries for c in feed["countries"]):
            return False
        if feed.get("tags") and not set(feed["tags"]) & set(ev.get("tags", [])):
            return False
        return not (feed.get("status") and ev.get("status", "confirmed") not in feed["status"])

    # ---- events

    def expected(self, ev: dict, lang: str) -> Expected:
        status = ev.get("status", "confirmed")
        if status not in ("confirmed", "tentative", "cancelled"):
            raise TomlError(f"event {ev['id']}: bad status {status!r}")
        title = localize(ev.get("title"), lang, self.language)
        if not title:
            raise TomlError(f"event {ev['id']}: title is required")
        summary = title
        if status != "confirmed":
            marker = self.marker(status, lang)
            if marker:
                summary = f"{marker} {title}"
        start, end, all_day = self.times[ev["id"]]
        return Expected(
            uid=f"{ev['id']}@{self.domain}",
            event_id=ev["id"],
            summary=summary,
            descriptions=self.descriptions(ev, lang),
            location=localize(ev.get("location"), lang, self.language) or None,
            categories=sorted(ev.get("tags", [])),
            status=status.upper(),
            transp="TRANSPARENT" if all_day or status != "confirmed" else "OPAQUE",
            start=start,
            end=end,
        )

    def marker(self, status: str, lang: str) -> str:
        """The title prefix of a tentative/cancelled event ("" when disabled)."""
        value = self.markers[status]
        if isinstance(value, str):
            return clean(value)
        for key in (lang, self.language, "en"):
            if key in value:
                return clean(value[key])
        return ""

    def descriptions(self, ev: dict, lang: str) -> list:
        body = localize(ev.get("description"), lang, self.language) or ""
        people = [localize(p, lang, self.language) for p in ev.get("participants", [])]
        sources = [clean(s) for s in ev.get("sources", [])]
        people_line = (f"{label(PARTICIPANTS_LABEL, lang, self.language)}: {', '.join(people)}"
                       if people else "")
        sources_line = (f"{label(SOURCES_LABEL, lang, self.language)}: {'; '.join(sources)}"
                        if sources else "")
        footer = "\n".join(line for line in (people_line, sources_line) if line)
        # The description, a blank line, then participants and sources, one line each.
        if not footer:
            return [body or None]
        if not body:
            return [footer]
        return [f"{body}\n\n{footer}"]


# --------------------------------------------------------------------------- readers


class ReaderFailure(Exception):
    pass


def build_libical(build_dir: Path) -> Path:
    """Compile libical_instants.c into build_dir (when missing or out of date)."""
    try:
        return compile_libical_program("libical_instants", build_dir)
    except RuntimeError as exc:
        raise ReaderFailure(str(exc)) from exc


def reader_command(parser: str, build_dir: Path) -> list[str]:
    if parser == "icalendar":
        return [sys.executable, str(HERE / "read_icalendar.py")]
    if parser == "ical.js":
        if not (HERE / "node_modules" / "ical.js").is_dir():
            raise ReaderFailure("ical.js is not installed (run tests/interop/setup.sh)")
        node = shutil.which("node")
        if node is None:
            raise ReaderFailure("node is not on PATH")
        return [node, str(HERE / "read_icaljs.mjs")]
    if parser == "libical":
        return [str(build_libical(build_dir))]
    raise ReaderFailure(f"unknown parser {parser}")


def run_reader(parser: str, files: list[Path], build_dir: Path) -> dict[str, dict]:
    """file path -> the reader's result object for it."""
    cmd = reader_command(parser, build_dir) + [str(f) for f in files]
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    results = {}
    for line in done.stdout.splitlines():
        if line.strip():
            obj = json.loads(line)
            results[obj["file"]] = obj
    for f in files:
        if str(f) not in results:
            stderr = done.stderr.strip()
            raise ReaderFailure(f"{parser} gave no result for {f.name} (exit {done.returncode})"
                                + (f": {stderr[-2000:]}" if stderr else ""))
    return results


# --------------------------------------------------------------------------- comparison

TEXT_FIELDS = ("summary", "description", "location", "status", "transp", "categories")


def icaljs_offset_seconds(expect: TimeExpectation, got: dict | None) -> bool:
    """ical.js drops the seconds of TZOFFSETFROM/TO (Africa/Monrovia's -004430 until
    1972 becomes -0044): True if `got` is exactly what that makes of the expected instant."""
    if not got or "utc" not in got or not got.get("tzid") or len(expect.instants) != 1:
        return False
    try:
        zone = zoneinfo.ZoneInfo(got["tzid"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    instant = expect.instants[0]
    offset = int(instant.astimezone(zone).utcoffset().total_seconds())
    if offset % 60 == 0:
        return False
    minutes_only = (abs(offset) // 60 * 60) * (1 if offset > 0 else -1)
    return got["utc"] == utc_text(instant + timedelta(seconds=offset - minutes_only))


KNOWN_LIMITS = {
    "ical.js": [("ical.js ignores the seconds of UTC offsets", icaljs_offset_seconds)],
}


def compare_event(exp: Expected, got: dict, parser: str) -> list[tuple[str, str, str, str | None]]:
    """(field, expected, got, known limitation or None) for every difference."""
    out = []
    for name, expect in (("start", exp.start), ("end", exp.end)):
        value = got.get(name)
        problem = time_problem(expect, value)
        if problem:
            known = next((why for why, test in KNOWN_LIMITS.get(parser, [])
                          if problem == "value" and test(expect, value)), None)
            out.append((name if problem != "form" else f"{name} form",
                        expect.describe(), describe_got(value), known))
    if got.get("status") != exp.status:
        out.append(("STATUS", exp.status, repr(got.get("status")), None))
    if got.get("transp") != exp.transp:
        out.append(("TRANSP", exp.transp, repr(got.get("transp")), None))
    if got.get("summary") != exp.summary:
        out.append(("SUMMARY", repr(exp.summary), repr(got.get("summary")), None))
    if got.get("description") not in exp.descriptions:
        out.append(("DESCRIPTION", " or ".join(repr(d) for d in exp.descriptions),
                    repr(got.get("description")), None))
    if got.get("location") != exp.location:
        out.append(("LOCATION", repr(exp.location), repr(got.get("location")), None))
    if sorted(got.get("categories") or []) != exp.categories:
        out.append(("CATEGORIES", repr(exp.categories),
                    repr(sorted(got.get("categories") or [])), None))
    return out


@dataclass
class Mismatch:
    file: str
    uid: str
    parser: str
    field: str
    expected: str
    got: str
    known: str | None = None  # a known limitation of the parser: reported, not failed

    def line(self) -> str:
        return (f"  {self.file}  {self.uid}  [{self.parser}]  {self.field}: "
                f"expected {self.expected}, got {self.got}"
                + (f"  ({self.known})" if self.known else ""))

    def sort_key(self):
        return (self.file, self.uid, self.field, self.parser)


@dataclass
class ParserStats:
    files: int = 0
    events: int = 0
    passed: int = 0
    failed: int = 0
    known: int = 0
    error: str | None = None


def check_file(name: str, expected: dict[str, Expected], result: dict, parser: str,
               stats: ParserStats, mismatches: list[Mismatch]) -> None:
    if "error" in result:
        mismatches.append(Mismatch(name, "-", parser, "file", "a readable calendar",
                                   f"error: {result['error']}"))
        stats.failed += 1
        return
    stats.files += 1
    got = {}
    for ev in result["events"]:
        uid = ev.get("uid")
        if uid in got:
            mismatches.append(Mismatch(name, uid, parser, "UID", "unique", "duplicated"))
            stats.failed += 1
        got[uid] = ev
    for uid in sorted(set(got) - set(expected), key=str):
        mismatches.append(Mismatch(name, str(uid), parser, "UID", "not in this feed", "present"))
        stats.failed += 1
    for uid, exp in expected.items():
        stats.events += 1
        if uid not in got:
            mismatches.append(Mismatch(name, uid, parser, "UID", "present", "missing"))
            stats.failed += 1
            continue
        problems = compare_event(exp, got[uid], parser)
        for fld, e, g, known in problems:
            mismatches.append(Mismatch(name, uid, parser, fld, e, g, known))
        if any(known is None for *_, known in problems):
            stats.failed += 1
        elif problems:
            stats.known += 1
        else:
            stats.passed += 1


def disagreements(name: str, per_parser: dict[str, dict]) -> list[str]:
    """Fields on which the parsers that read the file do not all agree."""
    events = {p: {ev.get("uid"): ev for ev in r.get("events", [])}
              for p, r in per_parser.items() if "error" not in r}
    if len(events) < 2:
        return []
    lines = []
    uids = sorted(set().union(*(set(e) for e in events.values())), key=str)
    for uid in uids:
        present = {p: e.get(uid) for p, e in events.items()}
        if any(v is None for v in present.values()):
            have = ", ".join(p for p, v in present.items() if v is not None)
            lines.append(f"  {name}  {uid}: only {have} see this event")
            continue
        for fld in ("start", "end", *TEXT_FIELDS):
            values = {p: json.dumps(v.get(fld), ensure_ascii=False, sort_keys=True)
                      for p, v in present.items()}
            if len(set(values.values())) > 1:
                detail = "; ".join(f"{p}={v}" for p, v in values.items())
                lines.append(f"  {name}  {uid}  {fld}: {detail}")
    return lines


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--toml", required=True, type=Path, help="the events.toml that was built")
    ap.add_argument("--out", required=True, type=Path, help="directory with calfeed's .ics files")
    ap.add_argument("--report", type=Path, help="also write the results as JSON here")
    ap.add_argument("--build-dir", type=Path, default=REPO / "target" / "interop",
                    help="where libical_instants is compiled (default: target/interop)")
    ap.add_argument("--parsers", default=",".join(PARSERS),
                    help="comma-separated subset of " + ", ".join(PARSERS))
    ap.add_argument("--tzdata-release",
                    help="the IANA release the feeds were built with; the expectations must "
                         "come from the same one (exit 2 otherwise)")
    ap.add_argument("--zoneinfo", type=Path,
                    help="compute expectations from this folder of TZif files (before the "
                         "tzdata package), as calfeed --tzdata DIR reads it")
    args = ap.parse_args(argv)

    parsers = [p.strip() for p in args.parsers.split(",") if p.strip()]
    if not parsers or any(p not in PARSERS for p in parsers):
        ap.error(f"--parsers takes names from {', '.join(PARSERS)}")
    if args.tzdata_release is not None and args.tzdata_release != tzdata.IANA_VERSION:
        print(f"check.py: the feeds were built with IANA tzdata {args.tzdata_release}, but the "
              f"expectations would come from {tzdata.IANA_VERSION} (python tzdata "
              f"{tzdata.__version__}); pin tzdata to the same release in "
              f"tests/interop/requirements.txt", file=sys.stderr)
        return 2
    if args.zoneinfo is not None:
        zoneinfo.reset_tzpath(to=(str(args.zoneinfo.resolve()),))
        zoneinfo.ZoneInfo.clear_cache()
    try:
        with open(args.toml, "rb") as f:
            model = Model(tomllib.load(f))
        feed_files = model.feed_files()
        expected = {name: {e.uid: e for e in (model.expected(ev, lang) for ev in evs)}
                    for name, (evs, lang) in feed_files.items()}
    except (OSError, tomllib.TOMLDecodeError, TomlError, KeyError, TypeError, ValueError) as exc:
        print(f"check.py: cannot compute the expected events from {args.toml}: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2

    out_dir = args.out.resolve()
    present = sorted(p.name for p in out_dir.glob("*.ics"))
    files = [out_dir / n for n in present if n in expected]
    mismatches: list[Mismatch] = []
    for name in sorted(set(expected) - set(present)):
        mismatches.append(Mismatch(name, "-", "-", "file", "present", "missing"))
    for name in sorted(set(present) - set(expected)):
        mismatches.append(Mismatch(name, "-", "-", "file", "no such feed", "present"))

    print(f"calfeed interop check: {len(present)} .ics file(s) in {out_dir}")
    print(f"expected events from {args.toml} with IANA tzdata {tzdata.IANA_VERSION} "
          f"(python tzdata {tzdata.__version__})")

    stats = {p: ParserStats() for p in parsers}
    results: dict[str, dict[str, dict]] = {}
    for parser in parsers:
        try:
            results[parser] = run_reader(parser, files, args.build_dir.resolve()) if files else {}
        except ReaderFailure as exc:
            stats[parser].error = str(exc)
            mismatches.append(Mismatch("-", "-", parser, "parser", "runs", str(exc)))
            continue
        for path in files:
            check_file(path.name, expected[path.name], results[parser][str(path)], parser,
                       stats[parser], mismatches)

    disagreement_lines = []
    for path in files:
        disagreement_lines += disagreements(
            path.name, {p: results[p][str(path)] for p in parsers if p in results})

    failures = sorted((m for m in mismatches if not m.known), key=Mismatch.sort_key)
    known = sorted((m for m in mismatches if m.known), key=Mismatch.sort_key)

    print()
    print(f"{'parser':<10} {'files':>5} {'events':>7} {'ok':>5} {'failed':>7} {'known':>6}")
    for p in parsers:
        st = stats[p]
        extra = f"  NOT RUN: {st.error}" if st.error else ""
        print(f"{p:<10} {st.files:>5} {st.events:>7} {st.passed:>5} {st.failed:>7} "
              f"{st.known:>6}{extra}")
    print()
    if failures:
        print(f"MISMATCHES ({len(failures)}):")
        for m in failures:
            print(m.line())
    else:
        print("mismatches: none")
    if known:
        print(f"known parser limitations, not counted as failures ({len(known)}):")
        for m in known:
            print(m.line())
    if disagreement_lines:
        print(f"PARSER DISAGREEMENTS ({len(disagreement_lines)}):")
        for line in disagreement_lines:
            print(line)
    else:
        print("parser disagreements: none")

    passed = sum(st.passed + st.known for st in stats.values())
    failed = sum(st.failed for st in stats.values()) + sum(
        1 for m in failures if m.parser == "-" or m.field == "parser")
    print()
    print(f"interop: {passed} passed, {failed} failed")

    if args.report:
        report = {
            "toml": str(args.toml), "out": str(out_dir), "tzdata": tzdata.IANA_VERSION,
            "files": present,
            "parsers": {p: vars(s) for p, s in stats.items()},
            "mismatches": [vars(m) for m in failures],
            "known_limitations": [vars(m) for m in known],
            "disagreements": disagreement_lines,
            "ok": not failures,
        }
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
