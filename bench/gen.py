#!/usr/bin/env python3
"""Writes a large, reproducible events.toml for the benchmarks.

usage: python3 bench/gen.py [--events 100000] [--feeds 5] OUT

The same arguments always give the same bytes (fixed seed). The mix: timed events in twelve
zones (wall times from 10:00 to 20:59, which no zone skips or repeats) and one in five all-day;
a third of the events give their title, description and location in English and Korean;
participants, sources, countries, tags, a URL and coordinates on many. Every third feed is in
Korean; feeds filter by tag, some also by country, so each feed holds a share of the events and
the output grows with the number of feeds.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ZONES = [
    "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Asia/Kolkata",
    "Europe/Berlin", "Europe/London", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "America/Sao_Paulo", "Australia/Sydney", "UTC",
]
TAGS = ["summit", "visit", "phone-call", "trade", "security", "climate", "energy", "health",
        "culture", "press"]
COUNTRIES = ["JP", "US", "CN", "KR", "DE", "GB", "IN", "BR", "AU", "FR"]
PEOPLE = ["Sanae Takaichi", "Donald Trump", "Xi Jinping", "Lee Jae-myung", "Friedrich Merz",
          "Keir Starmer", "Narendra Modi", "Anthony Albanese"]
PEOPLE_KO = ["다카이치 사나에", "도널드 트럼프", "시진핑", "이재명", "프리드리히 메르츠",
             "키어 스타머", "나렌드라 모디", "앤서니 앨버니지"]
PLACES = ["State Guest House, Tokyo", "Blue House, Seoul", "White House, Washington",
          "Great Hall of the People, Beijing", "Chancellery, Berlin", "10 Downing Street, London"]
PLACES_KO = ["영빈관, 도쿄", "청와대, 서울", "백악관, 워싱턴", "인민대회당, 베이징",
             "총리실, 베를린", "다우닝가 10번지, 런던"]


def toml_string(s: str) -> str:
    """A TOML basic string holding `s`."""
    escaped = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def calendar(feeds: int) -> list[str]:
    out = [
        "[calendar]\n"
        'name = { en = "Benchmark calendar", ko = "벤치마크 달력" }\n'
        'description = "Generated events for measuring calfeed."\n'
        'timezone = "Asia/Tokyo"\n'
        'domain = "bench.example.org"\n'
        'url = "https://bench.example.org/feeds/"\n'
    ]
    for i in range(feeds):
        tag = TAGS[i % len(TAGS)]
        lines = [f'[[feed]]\nname = "feed-{i}"\ntitle = "Feed {i}: {tag}"\ntags = ["{tag}"]\n']
        if i % 3 == 2:
            lines.append('language = "ko"\n')
        if i % 4 == 3:
            lines.append(f'countries = ["{COUNTRIES[i % len(COUNTRIES)]}"]\n')
        out.append("".join(lines))
    return out


def event(rng: random.Random, i: int) -> str:
    year, month, day = rng.randint(2000, 2030), rng.randint(1, 12), rng.randint(1, 28)
    zone = rng.choice(ZONES)
    korean = i % 3 == 0
    lines = [f'[[event]]\nid = "event-{i}"\n']
    title = f"Meeting number {i} on {rng.choice(TAGS)}, with a moderately long title"
    if korean:
        lines.append(f'title = {{ en = "{title}", ko = "{i}번 회의: 정상 간 협의와 공동 기자회견" }}\n')
    else:
        lines.append(f'title = "{title}"\n')
    if rng.random() < 0.2:
        lines.append(f"start = {year:04}-{month:02}-{day:02}\n")
        if rng.random() < 0.5:
            lines.append(f"end = {year:04}-{month:02}-{min(28, day + rng.randint(0, 3)):02}\n")
    else:
        hour, minute = rng.randint(10, 20), rng.choice([0, 15, 30, 45])
        lines.append(f"start = {year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00\n")
        lines.append(f'duration = "PT{rng.randint(1, 180)}M"\n')
    lines.append(f'timezone = "{zone}"\n')
    status = rng.random()
    # Plans are in the future: a tentative event whose dates have passed would be warned about.
    if status < 0.1 and year >= 2027:
        lines.append('status = "tentative"\n')
    elif status < 0.15:
        lines.append('status = "cancelled"\n')
    place = rng.randrange(len(PLACES))
    if korean:
        lines.append(f'location = {{ en = "{PLACES[place]}", ko = "{PLACES_KO[place]}" }}\n')
    else:
        lines.append(f'location = "{PLACES[place]}"\n')
    if rng.random() < 0.5:
        lines.append(f"geo = {{ lat = {rng.uniform(-60, 60):.4f}, lon = {rng.uniform(-180, 180):.4f} }}\n")
    text = toml_string(
        "Talks on trade, security and the climate; a joint statement follows, "
        f"then questions from the press (item {i}).\nSecond paragraph: \\ and \"quotes\"."
    )
    if korean:
        ko = toml_string("무역, 안보와 기후에 관한 회담; 공동 성명 후 기자 질의응답이 이어진다.\n둘째 문단.")
        lines.append(f"description = {{ en = {text}, ko = {ko} }}\n")
    else:
        lines.append(f"description = {text}\n")
    a, b = rng.sample(range(len(PEOPLE)), 2)
    if korean:
        lines.append(f'participants = [{{ en = "{PEOPLE[a]}", ko = "{PEOPLE_KO[a]}" }}, '
                     f'{{ en = "{PEOPLE[b]}", ko = "{PEOPLE_KO[b]}" }}]\n')
    else:
        lines.append(f'participants = ["{PEOPLE[a]}", "{PEOPLE[b]}"]\n')
    if rng.random() < 0.3:
        lines.append(f'sources = ["News report {i}", "Press release"]\n')
    if rng.random() < 0.3:
        lines.append(f'url = "https://news.example.org/{year}/{i}"\n')
    countries = sorted(rng.sample(COUNTRIES, rng.randint(1, 3)))
    lines.append("countries = [" + ", ".join(f'"{c}"' for c in countries) + "]\n")
    tags = sorted(rng.sample(TAGS, rng.randint(1, 2)))
    lines.append("tags = [" + ", ".join(f'"{t}"' for t in tags) + "]\n")
    if rng.random() < 0.5:
        lines.append(f"updated = {year:04}-{month:02}-{day:02}T09:00:00Z\nsequence = {rng.randint(0, 3)}\n")
    return "".join(lines)


def generate(events: int, feeds: int) -> str:
    rng = random.Random(20261202)
    parts = calendar(feeds)
    parts.extend(event(rng, i) for i in range(events))
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=5)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.write_text(generate(args.events, args.feeds), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
