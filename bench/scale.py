#!/usr/bin/env python3
"""Scale benchmark: how long `calfeed build` takes on a large generated events.toml, and how
much memory it needs compared with the size of the input.

usage: python3 bench/scale.py [--events 100000] [--runs 3] [--binary target/release/calfeed]

Builds the release binary unless --binary is given, writes a reproducible events.toml (fixed
seed: timed events in eight zones, all-day events, two languages, four extra feeds) into a
temporary folder, runs `calfeed build` --runs times and prints the best wall time, the peak
resident memory, and both as ratios: events per second, and peak memory / input size.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZONES = [
    "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Asia/Seoul",
    "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata", "UTC",
]
TAGS = ["summit", "visit", "phone-call"]


def generate(path: Path, events: int) -> None:
    rng = random.Random(20260101)
    out = [
        '[calendar]\nname = "Scale benchmark"\ndomain = "bench.example.org"\n'
        'timezone = "Asia/Tokyo"\n'
    ]
    for i, tag in enumerate(TAGS):
        out.append(f'[[feed]]\nname = "tag-{tag}"\ntitle = "{tag}"\ntags = ["{tag}"]\n')
    out.append('[[feed]]\nname = "korean"\ntitle = "한국어"\nlanguage = "ko"\n')
    for i in range(events):
        year, month, day = rng.randint(2000, 2030), rng.randint(1, 12), rng.randint(1, 28)
        zone = rng.choice(ZONES)
        if rng.random() < 0.2:
            when = f"start = {year:04}-{month:02}-{day:02}\n"
        else:
            # 10:00 to 20:59 never falls in a DST gap or overlap in these zones.
            hour, minute = rng.randint(10, 20), rng.choice([0, 15, 30, 45])
            when = (
                f"start = {year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00\n"
                f'duration = "PT{rng.randint(1, 180)}M"\n'
            )
        out.append(
            f'[[event]]\nid = "event-{i}"\n'
            f'title = {{ en = "Event number {i} with a moderately long title", ko = "일정 {i} 번" }}\n'
            f'{when}timezone = "{zone}"\ntags = ["{rng.choice(TAGS)}"]\ncountries = ["JP", "US"]\n'
            'description = "Some description text, with commas; and semicolons."\n'
            'participants = ["Alice", "Bob"]\n'
        )
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", type=Path)
    args = parser.parse_args()

    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = ROOT / "target" / "release" / "calfeed"

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "events.toml"
        generate(source, args.events)
        size = source.stat().st_size
        best = float("inf")
        peak_kib = 0
        for run in range(args.runs):
            out = tmp / f"public-{run}"
            env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
            start = time.perf_counter()
            child = subprocess.Popen(
                [str(binary), "build", "--input", str(source), "--out", str(out)],
                env=env, stderr=subprocess.DEVNULL,
            )
            # wait4 gives this child's own peak memory (not that of cargo, run before).
            _, status, usage = os.wait4(child.pid, 0)
            best = min(best, time.perf_counter() - start)
            if os.waitstatus_to_exitcode(status) != 0:
                print("calfeed build failed", file=sys.stderr)
                return 1
            peak_kib = max(peak_kib, usage.ru_maxrss)
        written = sum(f.stat().st_size for f in (tmp / "public-0").glob("*.ics"))

    mib = 1024 * 1024
    print(f"events:          {args.events}")
    print(f"input:           {size / mib:.1f} MiB")
    print(f"output:          {written / mib:.1f} MiB in 5 feeds")
    print(f"best wall time:  {best:.2f} s over {args.runs} runs ({args.events / best:,.0f} events/s)")
    print(f"peak memory:     {peak_kib / 1024:.0f} MiB ({peak_kib * 1024 / size:.1f}x the input)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
