#!/usr/bin/env python3
"""Expand the repeating events of a feed with three parsers and compare them with expectations.

usage: recur_check.py --toml EVENTS.toml --ics ALL.ics --tzdata-release 2026f [--build-dir DIR]

Expectations come from the TOML alone: `dateutil.rrule` on wall times (UNTIL, `skip`, COUNT and
`[[event.override]]` applied as calfeed documents them), then `zoneinfo` from the pinned `tzdata`
package. Occurrences are compared in order of their (possibly moved) start. A rule
without COUNT or UNTIL is compared over its first OPEN_ENDED occurrences.

The parsers, each reading only the file (TZIDs through the file's own VTIMEZONEs):
  - Python `icalendar` + `recurring_ical_events` (DTSTART, DTEND and EXDATE re-read in the
    zone built from the file's VTIMEZONE, `Timezone.to_tz(lookup_tzid=False)`);
  - ical.js, `Event.iterator()` (recur_icaljs.mjs);
  - libical, `icalcomponent_foreach_recurrence` (libical_recur.c, compiled into --build-dir).

Prints one line per event and parser, then `N passed, M failed`; exit status 1 on a mismatch,
2 when the TOML or the tzdata release is not what was asked for.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import recurring_ical_events
import tzdata
from dateutil.rrule import rrulestr
from icalendar import Calendar

from clibs import compile_libical_program

HERE = Path(__file__).resolve().parent
OPEN_ENDED = 20
# Occurrences asked of each parser per event: more than any rule with an end here has.
LIMIT = 400


def utc_text(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration(text: str) -> tuple[int, int]:
    """An ISO 8601 duration as (nominal days, exact seconds)."""
    m = re.fullmatch(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text)
    if not m:
        raise ValueError(f"duration {text!r}")
    w, d, h, mi, s = (int(g or 0) for g in m.groups())
    return 7 * w + d, 3600 * h + 60 * mi + s


def split_until(rule: str) -> tuple[str, str | None]:
    parts = [p for p in rule.split(";") if p]
    until = [p.split("=", 1)[1] for p in parts if p.upper().startswith("UNTIL=")]
    rest = ";".join(p for p in parts if not p.upper().startswith("UNTIL="))
    return rest, until[0] if until else None


def expected(toml: dict) -> dict[str, list[list[str]]]:
    cal = toml["calendar"]
    domain = cal["domain"]
    default_zone = cal.get("timezone", "UTC")
    default_length = duration(cal.get("default_duration", "PT1H"))
    out = {}
    for ev in toml.get("event", []):
        if "repeat" not in ev:
            continue
        start = ev["start"]
        all_day = not isinstance(start, datetime)
        rule, until = split_until(ev["repeat"])
        skips = set(ev.get("skip", []))
        if all_day:
            first = start
            last = ev.get("end", first)
            if "duration" in ev:
                last = first + timedelta(days=duration(ev["duration"])[0] - 1)
            wall_start = datetime.combine(first, time())
            zone = ZoneInfo("UTC")
        else:
            zone = ZoneInfo(ev.get("timezone", default_zone))
            wall_start = start
            start_utc = start.replace(tzinfo=zone)
            if "end" in ev:
                length = ev["end"].replace(tzinfo=zone) - start_utc
            else:
                days, seconds = duration(ev["duration"]) if "duration" in ev else default_length
                length = None
                nominal = (days, seconds)
        walls = iter(rrulestr(rule, dtstart=wall_start))
        if until is None:
            stop = None
        else:
            digits = until.replace("-", "").replace(":", "")
            if len(digits) == 8:
                day = datetime.strptime(digits, "%Y%m%d").date()
                stop = lambda w, day=day: w.date() > day
            elif digits.endswith("Z"):
                limit = datetime.strptime(digits, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                stop = lambda w, limit=limit: w.replace(tzinfo=zone) > limit
            else:
                limit = datetime.strptime(digits, "%Y%m%dT%H%M%S")
                stop = lambda w, limit=limit: w > limit
        moved = {o["occurrence"]: o for o in ev.get("override", [])}
        occurrences = []
        for wall in walls:
            if stop is not None and stop(wall):
                break
            if until is None and "COUNT=" not in rule.upper() and len(occurrences) == OPEN_ENDED:
                break
            if (wall.date() if all_day else wall) in skips:
                continue
            over = moved.get(wall.date() if all_day else wall)
            if over is not None:
                # An override here moves a timed occurrence to its `start` (and `end`), keeping
                # the length when it gives neither `end` nor `duration`.
                begin = over["start"].replace(tzinfo=zone)
                if "end" in over:
                    end = over["end"].replace(tzinfo=zone)
                elif "duration" in over:
                    end = begin.astimezone(UTC) + timedelta(seconds=duration(over["duration"])[1])
                else:
                    end = begin.astimezone(UTC) + (length or timedelta(seconds=nominal[1]))
                occurrences.append([utc_text(begin), utc_text(end)])
            elif all_day:
                end = wall.date() + timedelta(days=(last - first).days + 1)
                occurrences.append([wall.date().isoformat(), end.isoformat()])
            else:
                begin = wall.replace(tzinfo=zone)
                if length is not None:
                    end = begin + length
                else:
                    after_days = (wall + timedelta(days=nominal[0])).replace(tzinfo=zone)
                    end = after_days.astimezone(UTC) + timedelta(seconds=nominal[1])
                occurrences.append([utc_text(begin), utc_text(end)])
        out[f"{ev['id']}@{domain}"] = sorted(occurrences)
    return out


def with_file_zone(prop, zones):
    """A DTSTART/DTEND/EXDATE value re-read in the zone of the file's VTIMEZONE."""
    tzid = prop.params.get("TZID")
    if tzid is not None and isinstance(prop.dt, datetime):
        prop.dt = prop.dt.replace(tzinfo=None).replace(tzinfo=zones[str(tzid)])


def read_icalendar(path: Path) -> dict[str, list[list[str]]]:
    cal = Calendar.from_ical(path.read_bytes())
    zones = {str(v["TZID"]): v.to_tz(lookup_tzid=False) for v in cal.walk("VTIMEZONE")}
    for ev in cal.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name in ev:
                with_file_zone(ev[name], zones)
        exdates = ev.get("EXDATE", [])
        for lst in exdates if isinstance(exdates, list) else [exdates]:
            for value in lst.dts:
                value.params = lst.params
                with_file_zone(value, zones)
    # recurring_ical_events applies X-WR-TIMEZONE (through x_wr_timezone) to every time whose
    # tzinfo has no name, taking it for a floating time; dateutil's zone built from a VTIMEZONE
    # without TZNAME (calfeed leaves out numeric abbreviations such as "+11") has none.
    # calfeed writes no floating times, so the property is dropped before expanding.
    cal.pop("X-WR-TIMEZONE", None)
    repeating = {str(ev["UID"]) for ev in cal.walk("VEVENT") if "RRULE" in ev}
    out = {}
    found = recurring_ical_events.of(cal).between(datetime(1970, 1, 1), datetime(2101, 1, 1))
    for occ in found:
        uid = str(occ["UID"])
        if uid not in repeating:
            continue
        start, end = occ["DTSTART"].dt, occ["DTEND"].dt
        if isinstance(start, datetime):
            shown = [utc_text(start), utc_text(end)]
        else:
            shown = [start.isoformat(), end.isoformat()]
        out.setdefault(uid, []).append(shown)
    return {uid: sorted(items)[:LIMIT] for uid, items in out.items()}


def run_json(cmd: list[str]) -> dict[str, list[list[str]]]:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)["events"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toml", type=Path, required=True)
    parser.add_argument("--ics", type=Path, required=True)
    parser.add_argument("--tzdata-release", required=True)
    parser.add_argument("--build-dir", type=Path, default=Path("target/interop"))
    args = parser.parse_args(argv)
    if tzdata.IANA_VERSION != args.tzdata_release:
        print(f"tzdata {tzdata.IANA_VERSION} is not the release of the feed, "
              f"{args.tzdata_release}", file=sys.stderr)
        return 2
    try:
        want = expected(tomllib.loads(args.toml.read_text()))
    except (tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
        print(f"cannot read {args.toml}: {exc}", file=sys.stderr)
        return 2
    libical = compile_libical_program("libical_recur", args.build_dir)
    readers = {
        "icalendar": lambda: read_icalendar(args.ics),
        "ical.js": lambda: run_json(["node", str(HERE / "recur_icaljs.mjs"), str(args.ics),
                                     str(LIMIT)]),
        "libical": lambda: run_json([str(libical), str(args.ics), str(LIMIT)]),
    }
    passed = failed = 0
    for name, read in readers.items():
        try:
            got = read()
        except Exception as exc:  # one parser failing must not hide the others' results
            print(f"{name}: NOT RUN: {type(exc).__name__}: {exc}")
            failed += 1
            continue
        for uid, occurrences in want.items():
            seen = got.get(uid, [])
            if len(occurrences) == OPEN_ENDED and len(seen) > OPEN_ENDED:
                seen = seen[:OPEN_ENDED]
            if seen == occurrences:
                passed += 1
                print(f"ok   {name:9} {uid}: {len(seen)} occurrences")
            else:
                failed += 1
                wrong = next((i for i, (a, b) in enumerate(itertools.zip_longest(seen, occurrences))
                              if a != b), None)
                print(f"FAIL {name:9} {uid}: {len(seen)} occurrences, expected "
                      f"{len(occurrences)}; first difference #{wrong}: got "
                      f"{seen[wrong] if wrong < len(seen) else None}, expected "
                      f"{occurrences[wrong] if wrong < len(occurrences) else None}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
