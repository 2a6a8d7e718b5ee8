#!/usr/bin/env python3
"""Checks that `rust-version` in Cargo.toml is not below what building calfeed needs.

Building needs at least:
- what every crate calfeed builds with declares as its own `rust-version` (the normal and build
  dependencies in Cargo.lock, as `cargo metadata` resolves them);
- what the edition needs (2024: Rust 1.85);
- what the language features calfeed uses need (`if let ... && let ...` chains: Rust 1.88).

Standard library calls newer than `rust-version` are caught by clippy's `incompatible_msrv`
lint, which `.ci/run` runs. Crates used only by the tests may need a newer Rust; they are listed
for information.

usage: python3 scripts/check-msrv.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION_MINIMUM = {"2015": (1, 0), "2018": (1, 31), "2021": (1, 56), "2024": (1, 85)}
# `let` chains (`if let Some(x) = a && let Some(y) = b`) are stable from Rust 1.88.
LET_CHAIN = re.compile(r"^\s*(?:\}\s*else\s+)?(?:if|while)\s+.*&&\s*let\s", re.MULTILINE)
LET_CHAIN_CONTINUED = re.compile(r"^\s*&&\s*let\s", re.MULTILINE)


def version(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "0").split("."))


def shown(v: tuple[int, ...]) -> str:
    return ".".join(map(str, v))


def main() -> int:
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout)
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    root_id = metadata["resolve"]["root"]
    package = packages[root_id]
    declared = package.get("rust_version")
    if declared is None:
        print("check-msrv: Cargo.toml has no rust-version", file=sys.stderr)
        return 1
    ours = version(declared)

    def closure(start: list[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(start)
        while todo:
            node = nodes[todo.pop()]
            for dep in node["deps"]:
                if dep["pkg"] not in seen:
                    seen.add(dep["pkg"])
                    todo.append(dep["pkg"])
        return seen

    def direct(kinds: set) -> list[str]:
        return [d["pkg"] for d in nodes[root_id]["deps"]
                if any(k["kind"] in kinds for k in d["dep_kinds"])]

    # A dependency's own dev-dependencies are not resolved into the graph, so everything
    # reachable from a normal or build dependency is needed to build calfeed.
    build = closure(direct({None, "build"}))
    tests = closure(direct({"dev"})) - build

    needs = [(EDITION_MINIMUM[package["edition"]], f"edition {package['edition']}")]
    sources = [p for p in (ROOT / "src").rglob("*.rs")]
    chained = [p for p in sources
               if LET_CHAIN.search(p.read_text()) or LET_CHAIN_CONTINUED.search(p.read_text())]
    if chained:
        needs.append(((1, 88), f"let chains in {chained[0].relative_to(ROOT)}"))
    for pid in build:
        p = packages[pid]
        if p.get("rust_version"):
            needs.append((version(p["rust_version"]), f"{p['name']} {p['version']}"))
    floor, reason = max(needs)
    newest_test = max(((version(packages[t].get("rust_version")), packages[t]["name"])
                       for t in tests), default=((0,), "none"))

    print(f"check-msrv: rust-version {declared}; building needs {shown(floor)} ({reason}); "
          f"the tests' own crates need up to {shown(newest_test[0])} ({newest_test[1]})")
    if ours < floor:
        print(f"check-msrv: raise rust-version in Cargo.toml to {shown(floor)}", file=sys.stderr)
        return 1
    if ours > floor:
        print(f"check-msrv: note: rust-version {declared} is above {shown(floor)}; keep it only "
              "if calfeed itself uses something newer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
