#!/usr/bin/env python3
"""The ratio guard: fails when `calfeed build` takes more than LIMIT times as long as the
toml-crate parse floor on the same generated 20,000-event file.

usage: python3 bench/guard.py --calfeed BIN --floor BIN [--limit 1.5]

The two run in alternation after one warm-up run each, and the medians are compared, so a busy
machine slows both alike. A ratio over the limit is measured again with more pairs before the
guard fails, so one slow spell does not fail it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen  # noqa: E402
from measure import Program, Sample, run_once  # noqa: E402

EVENTS = 20_000
FEEDS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calfeed", type=Path, required=True)
    parser.add_argument("--floor", type=Path, required=True)
    parser.add_argument("--limit", type=float, default=1.5)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()

    calfeed = Program("calfeed build", [str(args.calfeed), "build", "--input", "{input}", "--out", "{out}"])
    floor = Program("toml floor", [str(args.floor), "{input}"])
    with tempfile.TemporaryDirectory(prefix="calfeed-guard-") as tmp:
        scratch = Path(tmp)
        source = scratch / "events.toml"
        source.write_text(gen.generate(EVENTS, FEEDS), encoding="utf-8")
        run_once(calfeed, source, scratch, Sample())
        run_once(floor, source, scratch, Sample())
        own, base = Sample(), Sample()
        for attempt, pairs in enumerate((args.pairs, args.pairs + 6)):
            for i in range(pairs):
                pair = [(calfeed, own), (floor, base)]
                for program, sample in pair if i % 2 == 0 else reversed(pair):
                    run_once(program, source, scratch, sample)
            ratio = statistics.median(own.wall) / statistics.median(base.wall)
            print(
                f"ratio guard: {EVENTS:,} events, {len(own.wall)} pairs: calfeed build "
                f"{statistics.median(own.wall):.3f} s, toml parse floor {statistics.median(base.wall):.3f} s, "
                f"ratio {ratio:.2f} (limit {args.limit:.2f})"
            )
            if ratio <= args.limit:
                return 0
            if attempt == 0:
                print("ratio guard: over the limit; measuring again with more pairs")
    print(f"ratio guard: FAILED: calfeed build takes {ratio:.2f}× the parse floor (limit {args.limit:.2f}×)",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
