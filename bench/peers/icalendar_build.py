#!/usr/bin/env python3
"""The benchmark's Python peer: the job of `calfeed build` done with the `icalendar` package.

usage: python bench/peers/icalendar_build.py events.toml OUTDIR

Reads the file with tomllib, writes OUTDIR/all.ics and one file per [[feed]] with the same
selection, languages, markers and properties as calfeed, and the VTIMEZONEs of the zones used
(icalendar's add_missing_timezones). It trusts its input: the benchmark feeds it valid files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

DURATION = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
LABELS = {"ko": ("참석자", "출처"), "ja": ("参加者", "出典")}
MARKERS = {
    "tentative": {"en": "[Tentative]", "ko": "[미정]", "ja": "[未定]"},
    "cancelled": {"en": "[Cancelled]", "ko": "[취소]", "ja": "[中止]"},
}


def pick(text, language, default):
    """(text, language or None) as calfeed chooses it."""
    if text is None:
        return None, None
    if isinstance(text, str):
        return text, None
    for lang in (language, default):
        if lang in text:
            return text[lang], lang
    lang = sorted(text)[0]
    return text[lang], lang


def duration(text):
    w, d, h, m, s = (int(x or 0) for x in DURATION.match(text).groups())
    return dt.timedelta(weeks=w, days=d), dt.timedelta(hours=h, minutes=m, seconds=s)


def times(event, zones, default_zone):
    start = event["start"]
    if isinstance(start, dt.datetime):
        zone = zones.setdefault(event.get("timezone", default_zone),
                                ZoneInfo(event.get("timezone", default_zone)))
        start = start.replace(tzinfo=zone)
        if "end" in event:
            end = event["end"].replace(tzinfo=zone)
        else:
            days, elapsed = duration(event.get("duration", "PT1H"))
            # Days on the wall clock, hours as elapsed time (RFC 5545).
            end = (start + days).astimezone(dt.timezone.utc) + elapsed
            end = end.astimezone(zone)
        return start, end
    last = event.get("end", start)
    return start, last + dt.timedelta(days=1)


def main() -> int:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    cal = data["calendar"]
    default = cal.get("language", "en")
    default_zone = cal.get("timezone", "UTC")
    stamp = dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), dt.timezone.utc)
    zones = {}
    events = []
    for e in data.get("event", []):
        start, end = times(e, zones, default_zone)
        key = start if isinstance(start, dt.datetime) else dt.datetime(
            start.year, start.month, start.day, tzinfo=dt.timezone.utc)
        events.append((key, e["id"], e, start, end))
    events.sort(key=lambda t: (t[0], t[1]))

    views = [("all", cal["name"], cal.get("description"), default, lambda e: True)]
    for f in data.get("feed", []):
        def keep(e, f=f):
            return (all(c in e.get("countries", []) for c in f.get("countries", []))
                    and (not f.get("tags") or any(t in e.get("tags", []) for t in f["tags"]))
                    and (not f.get("status") or e.get("status", "confirmed") in f["status"]))
        views.append((f["name"], f["title"], f.get("description", cal.get("description")),
                      f.get("language", default), keep))

    out.mkdir(parents=True, exist_ok=True)
    for name, title, description, language, keep in views:
        c = Calendar()
        c.add("version", "2.0")
        c.add("prodid", "-//calfeed benchmark//icalendar//EN")
        c.add("calscale", "GREGORIAN")
        text, lang = pick(title, language, default)
        c.add("name", vText(text), parameters={"LANGUAGE": lang} if lang else None)
        c.add("x-wr-calname", text)
        if description is not None:
            text, lang = pick(description, language, default)
            c.add("description", vText(text), parameters={"LANGUAGE": lang} if lang else None)
            c.add("x-wr-caldesc", text)
        c.add("x-wr-timezone", default_zone)
        for _, id_, e, start, end in events:
            if not keep(e):
                continue
            v = Event()
            v.add("uid", f"{id_}@{cal['domain']}")
            v.add("dtstamp", e.get("updated", stamp))
            v.add("dtstart", start)
            v.add("dtend", end)
            summary, lang = pick(e["title"], language, default)
            status = e.get("status", "confirmed")
            if status in MARKERS:
                summary = f"{MARKERS[status].get(language, MARKERS[status]['en'])} {summary}"
            v.add("summary", summary, parameters={"LANGUAGE": lang} if lang else None)
            parts = []
            text, dlang = pick(e.get("description"), language, default)
            if text is not None:
                parts.append(text)
            plabel, slabel = LABELS.get(language.split("-")[0], ("Participants", "Sources"))
            facts = []
            if e.get("participants"):
                names = [pick(p, language, default)[0] for p in e["participants"]]
                facts.append(f"{plabel}: {', '.join(names)}")
            if e.get("sources"):
                facts.append(f"{slabel}: {'; '.join(e['sources'])}")
            if facts:
                parts.append("\n".join(facts))
            if parts:
                v.add("description", "\n\n".join(parts),
                      parameters={"LANGUAGE": dlang} if dlang else None)
            text, lang = pick(e.get("location"), language, default)
            if text is not None:
                v.add("location", text, parameters={"LANGUAGE": lang} if lang else None)
            if "geo" in e:
                v.add("geo", (e["geo"]["lat"], e["geo"]["lon"]))
            if "url" in e:
                v.add("url", e["url"])
            if e.get("tags"):
                v.add("categories", e["tags"])
            v.add("status", status.upper())
            transparent = not isinstance(start, dt.datetime) or status != "confirmed"
            v.add("transp", "TRANSPARENT" if transparent else "OPAQUE")
            v.add("sequence", e.get("sequence", 0))
            if "updated" in e:
                v.add("last-modified", e["updated"])
            c.add_component(v)
        c.add_missing_timezones()
        (out / f"{name}.ics").write_bytes(c.to_ical())
    return 0


if __name__ == "__main__":
    sys.exit(main())
