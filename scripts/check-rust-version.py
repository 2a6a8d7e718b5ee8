#!/usr/bin/env python3
"""Checks that Cargo.toml's `rust-version` is not older than any dependency needs.

A build compiles the normal and build dependencies of Cargo.lock; each may declare the oldest
Rust it supports. calfeed cannot promise an older one than the newest of them, so this fails if
`rust-version` is lower than that, and names the dependencies that need more.
Run from the repository root: python3 scripts/check-rust-version.py
"""

import json
import subprocess
import sys


def version(text):
    """'1.85' or '1.85.0' -> (1, 85, 0)."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def cargo(*args):
    return subprocess.run(
        ["cargo", *args, "--locked"], check=True, capture_output=True, text=True
    ).stdout


def main():
    metadata = json.loads(cargo("metadata", "--format-version", "1"))
    root = metadata["resolve"]["root"]
    packages = {p["id"]: p for p in metadata["packages"]}
    ours = packages[root]
    declared = ours.get("rust_version")
    if not declared:
        sys.exit("Cargo.toml: [package] has no rust-version")

    # What a build of the crate compiles, on any target: normal and build dependencies only.
    built = set()
    for line in cargo("tree", "--edges", "normal,build", "--target", "all",
                      "--prefix", "none", "--format", "{p}").splitlines():
        name, ver = line.split()[:2]
        built.add((name, ver.removeprefix("v")))
    built.discard((ours["name"], ours["version"]))

    needs = sorted(
        (version(p["rust_version"]), p["name"], p["version"])
        for p in packages.values()
        if p["id"] != root and p.get("rust_version") and (p["name"], p["version"]) in built
    )
    if not needs:
        sys.exit("no dependency declares a rust-version; is Cargo.lock empty?")
    highest = needs[-1][0]
    too_new = [f"{name} {ver} needs {'.'.join(map(str, v))}"
               for v, name, ver in needs if v > version(declared)]
    if too_new:
        sys.exit(f"Cargo.toml says rust-version = {declared!r}, but\n  "
                 + "\n  ".join(too_new)
                 + f"\nRaise rust-version to {'.'.join(map(str, highest[:2]))}"
                 " (or lock older versions of those crates).")
    print(f"rust-version {declared}: every one of {len(built)} dependencies builds with it "
          f"(the newest need is {'.'.join(map(str, highest))}, {needs[-1][1]} {needs[-1][2]})")


if __name__ == "__main__":
    main()
