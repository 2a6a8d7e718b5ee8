#!/usr/bin/env python3
"""Read .ics files with Python `icalendar` and print every VEVENT as normalized JSON.

usage: read_icalendar.py FILE.ics [FILE.ics ...]

Prints one JSON object per file and line:
  {"file": ..., "parser": "icalendar", "events": [EVENT, ...]}
or {"file": ..., "parser": "icalendar", "error": "..."} when the file cannot be read.

EVENT = {"uid", "summary", "description", "location", "status", "transp",
         "categories": [...], "start": TIME, "end": TIME}
TIME  = {"date": "YYYY-MM-DD"}
      | {"utc": "YYYY-MM-DDTHH:MM:SSZ", "tzid": TZID-or-null}
      | {"floating": "YYYY-MM-DDTHH:MM:SS"} | {"error": "..."}

Date-times with a TZID are converted with a tzinfo built from the file's own
VTIMEZONE (Timezone.to_tz(lookup_tzid=False)).  icalendar itself resolves known
IANA TZIDs through zoneinfo; that result is discarded here: only the written wall
time is kept and re-interpreted with the file's VTIMEZONE.  A TZID without a
VTIMEZONE in the file is an error, never a silent fallback.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta, tzinfo

from icalendar import Calendar

PARSER = "icalendar"


def file_timezones(cal: Calendar) -> dict[str, tzinfo]:
    """TZID -> tzinfo built only from this file's VTIMEZONE components."""
    zones = {}
    for vtz in cal.walk("VTIMEZONE"):
        zones[str(vtz["TZID"])] = vtz.to_tz(lookup_tzid=False)
    return zones


def utc_text(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def aware(prop, zones: dict[str, tzinfo]) -> datetime | date | str:
    """The property's value as a date, an aware datetime, or an error string.

    Floating date-times are returned naive.
    """
    value = prop.dt
    if not isinstance(value, datetime):
        return value
    tzid = prop.params.get("TZID")
    if tzid is not None:
        tz = zones.get(str(tzid))
        if tz is None:
            return f"TZID {tzid} has no VTIMEZONE in the file"
        return value.replace(tzinfo=None).replace(tzinfo=tz)
    if value.tzinfo is None:
        return value
    # Only a trailing Z gives a tz-aware value without TZID.
    return value.astimezone(UTC)


def time_json(value, tzid) -> dict:
    if isinstance(value, str):
        return {"error": value}
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return {"floating": value.strftime("%Y-%m-%dT%H:%M:%S")}
        return {"utc": utc_text(value), "tzid": tzid}
    return {"date": value.isoformat()}


def text(event, name: str) -> str | None:
    value = event.get(name)
    if value is None:
        return None
    if isinstance(value, list):  # repeated property: keep the first, like the others
        value = value[0]
    return str(value)


def categories(event) -> list[str]:
    value = event.get("CATEGORIES")
    if value is None:
        return []
    props = value if isinstance(value, list) else [value]
    return [str(cat) for prop in props for cat in prop.cats]


def read_event(event, zones: dict[str, tzinfo]) -> dict:
    start_prop = event["DTSTART"]
    start_tzid = start_prop.params.get("TZID")
    start = aware(start_prop, zones)

    # End as icalendar's Event.end computes it (DTEND, else DTSTART + DURATION with
    # Python's wall-clock arithmetic, else +1 day for a date, else DTSTART), but in
    # the file's VTIMEZONE.
    if "DTEND" in event:
        end_prop = event["DTEND"]
        end_tzid = end_prop.params.get("TZID")
        end = aware(end_prop, zones)
    else:
        end_tzid = start_tzid
        duration = event.get("DURATION")
        if isinstance(start, str):
            end = start
        elif duration is not None and duration.dt > timedelta(0):
            end = start + duration.dt
        elif not isinstance(start, datetime):
            end = start + timedelta(days=1)
        else:
            end = start

    return {
        "uid": text(event, "UID"),
        "summary": text(event, "SUMMARY"),
        "description": text(event, "DESCRIPTION"),
        "location": text(event, "LOCATION"),
        "status": text(event, "STATUS"),
        "transp": text(event, "TRANSP"),
        "categories": categories(event),
        "start": time_json(start, None if start_tzid is None else str(start_tzid)),
        "end": time_json(end, None if end_tzid is None else str(end_tzid)),
    }


def read_file(path: str) -> dict:
    with open(path, "rb") as f:
        cal = Calendar.from_ical(f.read())
    zones = file_timezones(cal)
    return {"file": path, "parser": PARSER,
            "events": [read_event(ev, zones) for ev in cal.walk("VEVENT")]}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    status = 0
    for path in argv:
        try:
            result = read_file(path)
        except Exception as exc:  # report and go on with the next file
            result = {"file": path, "parser": PARSER, "error": f"{type(exc).__name__}: {exc}"}
            status = 1
        print(json.dumps(result, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
