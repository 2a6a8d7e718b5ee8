"""Compiling the harness's small libical programs (libical_*.c beside this file) on demand."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def compile_libical_program(name: str, build_dir: Path) -> Path:
    """Compile HERE/<name>.c against libical into build_dir/<name>, unless it is up to date.

    Several checks may run at once (cargo runs tests in parallel): the program is compiled
    under a private name and renamed into place, so nobody ever runs a half-written binary.
    Raises RuntimeError with the compiler's message when it cannot be built.
    """
    source = HERE / f"{name}.c"
    binary = build_dir / name
    newest = max(p.stat().st_mtime for p in [source, *HERE.glob("*.h")])
    if binary.exists() and binary.stat().st_mtime >= newest:
        return binary
    try:
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libical"], check=True,
                               capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError("pkg-config cannot find libical (run tests/interop/setup.sh)") from exc
    build_dir.mkdir(parents=True, exist_ok=True)
    partial = build_dir / f"{name}.{os.getpid()}.tmp"
    cmd = [os.environ.get("CC", "cc"), "-O2", "-std=c11", "-D_POSIX_C_SOURCE=200809L",
           "-o", str(partial), str(source), *shlex.split(flags)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"compiling {name} failed (exit {done.returncode}):\n"
                           + done.stderr.strip()[-2000:])
    os.replace(partial, binary)
    return binary
