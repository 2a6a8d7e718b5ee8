#!/usr/bin/env python3
"""Zone sweep: check calfeed's VTIMEZONEs against sampled instants with three parsers.

usage: sweep.py --ics ZONES.ics --samples SAMPLES.json [--report report.json]
                [--max-print 40] [--parsers icalendar,ical.js,libical] [--build-dir DIR]

ZONES.ics holds one VTIMEZONE per IANA zone; SAMPLES.json is
  {"zones": [{"tzid": "Europe/Berlin",
              "samples": [[unix_seconds, utc_offset_seconds, "YYYYMMDDTHHMMSS", unique], ...]},
             ...]}
where the wall time is the local time at that instant and `unique` says that this
wall time occurs only once in the zone.

Checks, per zone, with a tz built from that zone's VTIMEZONE only:
  samples     (once) the wall time equals unix + offset, printed as YYYYMMDDTHHMMSS
  icalendar   offset:    Timezone.to_tz(lookup_tzid=False) gives the wall time the
                         sample's offset (in one of its two folds), for every sample
              wall->utc: for unique samples, wall time in the tz -> the sample's instant
  ical.js     wall->utc: for unique samples (sweep_icaljs.mjs, one node process)
  libical     offset:    icaltimezone_get_utc_offset_of_utc_time at the instant
                         equals the sample's offset, for every sample
              wall->utc: for unique samples, icaltime_as_timet_with_zone
                         (libical_offsets.c, one process, compiled into --build-dir
                         when missing or older than its source; it reads the samples
                         from a text file this script writes)

ical.js and libical run in their own processes while Python checks icalendar.

The icalendar offset check deliberately avoids datetime.fromtimestamp(unix, tz):
the VTIMEZONE tz is dateutil's tzical, whose fromutc() is the generic algorithm of
the datetime docs and is wrong within the hour of transitions that change the
standard offset (e.g. Africa/Juba 2021-01-31) no matter what the VTIMEZONE says.

Mismatches that are known parser limitations (ical.js ignoring the seconds of UTC
offsets) are counted and shown apart and do not fail the run.  Exit status: 0 if
nothing mismatched, 1 otherwise, 2 on a usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import zoneinfo

# The expected offsets come from the pinned `tzdata` package only, never the OS tz files.
zoneinfo.reset_tzpath(to=())
import tzdata  # noqa: E402  (after reset_tzpath on purpose; fails loudly if missing)

from icalendar import Calendar  # noqa: E402

from clibs import compile_libical_program  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PARSERS = ("icalendar", "ical.js", "libical")
EPOCH = datetime(1970, 1, 1)
KEEP = 1000  # mismatches kept per parser (all are counted)


class Tally:
    def __init__(self, parser: str):
        self.parser = parser
        self.zones = 0
        self.samples = 0
        self.checks: Counter = Counter()
        self.mismatch_count = 0
        self.mismatches: list[dict] = []
        self.by_zone: Counter = Counter()  # all mismatches, not only the kept ones
        self.known_count = 0
        self.known: list[dict] = []
        self.error: str | None = None

    def fail(self, entry: dict) -> None:
        self.mismatch_count += 1
        self.by_zone[entry["tzid"]] += 1
        if len(self.mismatches) < KEEP:
            self.mismatches.append(entry)

    def as_dict(self) -> dict:
        return {"parser": self.parser, "zones": self.zones, "samples": self.samples,
                "checks": dict(self.checks), "mismatch_count": self.mismatch_count,
                "mismatches": self.mismatches, "by_zone": dict(self.by_zone),
                "known_count": self.known_count,
                "known": self.known, "error": self.error}

    @classmethod
    def from_dict(cls, data: dict) -> Tally:
        t = cls(data["parser"])
        t.zones, t.samples = data["zones"], data["samples"]
        t.checks = Counter(data["checks"])
        t.mismatch_count, t.mismatches = data["mismatch_count"], data["mismatches"]
        t.by_zone = Counter(data["by_zone"])
        t.known_count, t.known = data.get("known_count", 0), data.get("known", [])
        return t


def count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def parse_wall(text: str) -> datetime:
    if len(text) != 15 or text[8] != "T":
        raise ValueError(f"bad wall time {text!r}")
    return datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]),
                    int(text[9:11]), int(text[11:13]), int(text[13:15]))


def utc_text(unix: int) -> str:
    return (EPOCH + timedelta(seconds=unix)).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_samples_file(zones: list[dict], tally: Tally) -> None:
    """The samples must be self-consistent: wall == unix + offset."""
    for zone in zones:
        for unix, offset, wall, _unique in zone["samples"]:
            tally.checks["wall==unix+offset"] += 1
            want = (EPOCH + timedelta(seconds=unix + offset)).strftime("%Y%m%dT%H%M%S")
            if want != wall:
                tally.fail({"tzid": zone["tzid"], "check": "wall==unix+offset", "unix": unix,
                            "wall": wall, "offset": offset, "expected": want, "got": wall})


def check_zoneinfo(zones: list[dict], tally: Tally) -> None:
    """The samples must be what Python's zoneinfo says, from the same tz release: the offset
    at every instant, and whether its wall time occurs once."""
    for zone in zones:
        tzid = zone["tzid"]
        try:
            zi = zoneinfo.ZoneInfo(tzid)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tally.fail({"tzid": tzid, "check": "zoneinfo", "expected": "a zone",
                        "got": "unknown to zoneinfo"})
            continue
        tally.zones += 1
        for unix, offset, wall_text, unique in zone["samples"]:
            tally.samples += 1
            instant = datetime.fromtimestamp(unix, UTC)
            tally.checks["offset"] += 1
            want = int(instant.astimezone(zi).utcoffset().total_seconds())
            if want != offset:
                tally.fail({"tzid": tzid, "check": "offset", "unix": unix, "wall": wall_text,
                            "offset": offset, "expected": want, "got": offset})
                continue
            tally.checks["unique"] += 1
            wall = parse_wall(wall_text)
            folds = {wall.replace(tzinfo=zi, fold=f).utcoffset() for f in (0, 1)}
            back = {wall.replace(tzinfo=zi, fold=f).astimezone(UTC).replace(tzinfo=None)
                    .astimezone(zi).replace(tzinfo=None) == wall for f in (0, 1)}
            zi_unique = len(folds) == 1 and all(back)
            if zi_unique != unique:
                tally.fail({"tzid": tzid, "check": "unique", "unix": unix, "wall": wall_text,
                            "offset": offset, "expected": zi_unique, "got": unique})


def check_icalendar(vtimezones: dict, zones: list[dict], tally: Tally) -> None:
    for zone in zones:
        tzid = zone["tzid"]
        vtz = vtimezones.get(tzid)
        if vtz is None:
            tally.fail({"tzid": tzid, "check": "vtimezone", "expected": "present",
                        "got": "missing"})
            continue
        try:
            tz = vtz.to_tz(lookup_tzid=False)
        except Exception as exc:  # a VTIMEZONE this parser cannot use is a finding
            tally.fail({"tzid": tzid, "check": "vtimezone", "expected": "usable",
                        "got": f"{type(exc).__name__}: {exc}"})
            continue
        tally.zones += 1
        for unix, offset, wall_text, unique in zone["samples"]:
            tally.samples += 1
            wall = parse_wall(wall_text)
            want = timedelta(seconds=offset)
            tally.checks["offset"] += 1
            got = [tz.utcoffset(wall.replace(fold=fold)) for fold in (0, 1)]
            if want not in got:
                tally.fail({"tzid": tzid, "check": "offset", "unix": unix, "wall": wall_text,
                            "offset": offset, "expected": offset,
                            "got": sorted({int(g.total_seconds()) for g in got if g is not None})})
            if unique:
                tally.checks["wall->utc"] += 1
                got_unix = round(wall.replace(tzinfo=tz).timestamp())
                if got_unix != unix:
                    tally.fail({"tzid": tzid, "check": "wall->utc", "unix": unix,
                                "wall": wall_text, "offset": offset, "expected": unix,
                                "got": got_unix, "got_offset": unix + offset - got_unix})


def start_icaljs(ics: Path, samples: Path, out) -> subprocess.Popen:
    if not (HERE / "node_modules" / "ical.js").is_dir():
        raise RuntimeError("ical.js is not installed (run tests/interop/setup.sh)")
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    return subprocess.Popen([node, str(HERE / "sweep_icaljs.mjs"), str(ics), str(samples),
                             str(KEEP)], stdout=out, stderr=subprocess.PIPE, text=True)


def build_libical_offsets(build_dir: Path) -> Path:
    """Compile libical_offsets.c into build_dir (when missing or out of date)."""
    return compile_libical_program("libical_offsets", build_dir)


def write_libical_samples(zones: list[dict], path: Path) -> None:
    """The samples in the line format libical_offsets.c reads."""
    with path.open("w", encoding="utf-8") as out:
        for zone in zones:
            out.write(f"Z {zone['tzid']}\n")
            out.write("".join(f"{unix} {offset} {wall} {1 if unique else 0}\n"
                              for unix, offset, wall, unique in zone["samples"]))


def run_libical(ics: Path, zones: list[dict], build_dir: Path, tmp: Path,
                tally: Tally) -> None:
    """Run libical_offsets on all zones and fill `tally` (meant for a thread: anything
    that goes wrong ends up in tally.error, so it cannot pass unnoticed)."""
    try:
        libical_tally(ics, zones, build_dir, tmp, tally)
    except Exception as exc:  # noqa: BLE001 - reported as NOT RUN, which fails the sweep
        tally.error = f"{type(exc).__name__}: {exc}"


def libical_tally(ics: Path, zones: list[dict], build_dir: Path, tmp: Path,
                  tally: Tally) -> None:
    try:
        samples = tmp / "samples.txt"
        write_libical_samples(zones, samples)
        binary = build_libical_offsets(build_dir)
        done = subprocess.run([str(binary), str(ics), str(samples)], capture_output=True,
                              text=True, encoding="utf-8")
    except (OSError, RuntimeError) as exc:
        tally.error = str(exc)
        return
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("T\t"):
        tally.error = (f"libical_offsets exited {done.returncode}: "
                       f"{done.stderr.strip()[-2000:]}")
        return
    for line in lines[:-1]:
        kind, *fields = line.split("\t")
        if kind == "V":
            tally.fail({"tzid": zones[int(fields[0])]["tzid"], "check": "vtimezone",
                        "expected": "present" if fields[1] == "missing" else "usable",
                        "got": fields[1]})
        elif kind == "M":
            check, zone_no, sample_no, got = fields
            zone = zones[int(zone_no)]
            unix, offset, wall, _unique = zone["samples"][int(sample_no)]
            entry = {"tzid": zone["tzid"], "check": check, "unix": unix, "wall": wall,
                     "offset": offset}
            if check == "offset":
                entry.update(expected=offset, got=int(got))
            else:
                entry.update(expected=unix, got=int(got), got_offset=unix + offset - int(got))
            tally.fail(entry)
        else:
            tally.error = f"libical_offsets printed an unexpected line: {line[:200]}"
            return
    zones_n, samples_n, offset_checks, wall_checks, zones_read, samples_read = \
        map(int, lines[-1].split("\t")[1:])
    total = sum(len(z["samples"]) for z in zones)
    if (zones_read, samples_read) != (len(zones), total):
        tally.error = (f"libical_offsets read {zones_read} zones and {samples_read} samples "
                       f"of {len(zones)} and {total}")
        return
    tally.zones, tally.samples = zones_n, samples_n
    tally.checks["offset"] = offset_checks
    tally.checks["wall->utc"] = wall_checks


def describe(entry: dict) -> str:
    where = entry["tzid"]
    if "unix" in entry:
        where += f"  {utc_text(entry['unix'])} (unix {entry['unix']}, wall {entry['wall']}, " \
                 f"offset {entry['offset']:+d}s)"
    text = f"  {where}  {entry['check']}: expected {entry['expected']}, got {entry['got']}"
    if "got_offset" in entry:
        text += f" (offset {entry['got_offset']:+d}s)"
    return text


def print_tally(t: Tally, max_print: int) -> None:
    if t.error:
        print(f"{t.parser}: NOT RUN: {t.error}")
        return
    if t.mismatch_count:
        print(f"{t.parser}: {count(t.mismatch_count, 'mismatch', 'mismatches')} in "
              f"{count(len(t.by_zone), 'zone')}")
        print("  by zone: " + ", ".join(f"{z} {n}" for z, n in t.by_zone.most_common(30))
              + (" …" if len(t.by_zone) > 30 else ""))
        for entry in t.mismatches[:max_print]:
            print(describe(entry))
        if t.mismatch_count > max_print:
            print(f"  … {t.mismatch_count - max_print} more")
    if t.known_count:
        by_zone = Counter(m["tzid"] for m in t.known)
        reasons = sorted({m.get("reason", "") for m in t.known})
        print(f"{t.parser}: {count(t.known_count, 'known limitation')}, not counted: "
              + "; ".join(reasons) + " — zones: "
              + ", ".join(f"{z} {n}" for z, n in by_zone.most_common(10)))


def main(argv: list[str] | None = None) -> int:
    global KEEP
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ics", required=True, type=Path, help="the .ics with one VTIMEZONE per zone")
    ap.add_argument("--samples", required=True, type=Path, help="the samples JSON")
    ap.add_argument("--report", type=Path, help="also write the results as JSON here")
    ap.add_argument("--max-print", type=int, default=40,
                    help="mismatches printed per parser (all are counted; default 40)")
    ap.add_argument("--parsers", default=",".join(PARSERS),
                    help="comma-separated subset of " + ", ".join(PARSERS))
    ap.add_argument("--build-dir", type=Path, default=REPO / "target" / "interop",
                    help="where libical_offsets is compiled (default target/interop)")
    ap.add_argument("--tzdata-release", required=True,
                    help="the IANA release the samples and VTIMEZONEs come from; zoneinfo must "
                         "use the same one (exit 2 otherwise)")
    args = ap.parse_args(argv)
    if args.tzdata_release != tzdata.IANA_VERSION:
        print(f"sweep.py: the VTIMEZONEs come from IANA tzdata {args.tzdata_release}, but "
              f"zoneinfo has {tzdata.IANA_VERSION} (python tzdata {tzdata.__version__}); pin "
              f"tzdata to the same release in tests/interop/requirements.txt", file=sys.stderr)
        return 2
    parsers = [p.strip() for p in args.parsers.split(",") if p.strip()]
    if not parsers or any(p not in PARSERS for p in parsers):
        ap.error(f"--parsers takes names from {', '.join(PARSERS)}")
    KEEP = max(KEEP, args.max_print)

    try:
        zones = json.loads(args.samples.read_text(encoding="utf-8"))["zones"]
        cal = Calendar.from_ical(args.ics.read_bytes())
    except (OSError, ValueError, KeyError) as exc:
        print(f"sweep.py: cannot read the input: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2

    tallies: dict[str, Tally] = {p: Tally(p) for p in parsers}
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as js_out, \
            tempfile.TemporaryDirectory(prefix="sweep-") as tmp:
        # ical.js and libical run in their own processes while Python checks.
        node = None
        if "ical.js" in parsers:
            try:
                node = start_icaljs(args.ics.resolve(), args.samples.resolve(), js_out)
            except RuntimeError as exc:
                tallies["ical.js"].error = str(exc)
        libical = None
        if "libical" in parsers:
            libical = threading.Thread(target=run_libical, args=(
                args.ics.resolve(), zones, args.build_dir.resolve(), Path(tmp),
                tallies["libical"]))
            libical.start()

        samples_tally = Tally("samples")
        check_samples_file(zones, samples_tally)
        zoneinfo_tally = Tally("zoneinfo")
        check_zoneinfo(zones, zoneinfo_tally)

        vtimezones: dict = {}
        duplicates = []
        for vtz in cal.walk("VTIMEZONE"):
            tzid = str(vtz["TZID"])
            if tzid in vtimezones:
                duplicates.append(tzid)
            vtimezones[tzid] = vtz
        if "icalendar" in parsers:
            check_icalendar(vtimezones, zones, tallies["icalendar"])

        if libical is not None:
            libical.join()

        if node is not None:
            stderr = node.communicate()[1]
            js_out.seek(0)
            text = js_out.read()
            if node.returncode != 0 or not text.strip():
                tallies["ical.js"].error = (f"sweep_icaljs.mjs exited {node.returncode}: "
                                            f"{stderr.strip()[-2000:]}")
            else:
                tallies["ical.js"] = Tally.from_dict(json.loads(text))

    sampled = {z["tzid"] for z in zones}
    unsampled = sorted(set(vtimezones) - sampled)
    total_samples = sum(len(z["samples"]) for z in zones)
    print(f"zone sweep: {count(len(zones), 'zone')}, {count(total_samples, 'sample')}; "
          f"{count(len(vtimezones), 'VTIMEZONE')} in {args.ics}")
    if unsampled:
        print(f"note: {count(len(unsampled), 'VTIMEZONE')} without samples: "
              + ", ".join(unsampled[:10]) + (" …" if len(unsampled) > 10 else ""))
    if duplicates:
        samples_tally.fail({"tzid": ", ".join(sorted(set(duplicates))), "check": "unique TZID",
                            "expected": "one VTIMEZONE per TZID", "got": "duplicates"})
    print()
    print(f"{'parser':<10} {'zones':>6} {'samples':>8}  {'mismatches':>10} {'known':>6}  checks")
    rows = [samples_tally, zoneinfo_tally] + [tallies[p] for p in parsers]
    for t in rows:
        checks = ", ".join(f"{k} {v}" for k, v in t.checks.items())
        status = f"NOT RUN: {t.error}" if t.error else checks
        zones_n = len(zones) if t is samples_tally else t.zones
        samples_n = total_samples if t is samples_tally else t.samples
        print(f"{t.parser:<10} {zones_n:>6} {samples_n:>8}  {t.mismatch_count:>10} "
              f"{t.known_count:>6}  {status}")
    print()
    for t in rows:
        print_tally(t, args.max_print)
    failed = sum(t.mismatch_count for t in rows) + sum(1 for t in rows if t.error)
    checked = sum(sum(t.checks.values()) for t in rows)
    if not failed:
        print("no mismatches")
    print()
    print(f"sweep: {checked - sum(t.mismatch_count for t in rows)} passed, {failed} failed")

    if args.report:
        report = {"ics": str(args.ics), "samples": str(args.samples), "zones": len(zones),
                  "sample_count": total_samples, "unsampled_vtimezones": unsampled,
                  "parsers": {t.parser: t.as_dict() for t in rows}, "ok": not failed}
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
