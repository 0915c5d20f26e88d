"""Growth of a full build with document size: time and peak memory at 1×, 10× and 30× (linear is the aim).

    python bench/limits.py [--sizes 1 10 30]

Each size is built by ``build.py`` (all three editions) in its own process; peak memory is the process
tree's maximum resident set (wait4). The per-1× columns show whether cost grows linearly.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import write_scaled  # noqa: E402


def measure(source: Path, out: Path) -> tuple[float, int]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--source", str(source), "--out", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"build of {source} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "source" / "white-paper-summary.md")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 30])
    args = parser.parse_args()
    print("| size | wall time | per 1× | peak memory | MiB per 1× |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            source = write_scaled(args.source, size, Path(folder) / f"x{size}")
            seconds, mib = measure(source, Path(folder) / f"out{size}")
            print(f"| {size}× | {seconds:.2f} s | {seconds / size:.2f} s | {mib} MiB | {mib / size:.0f} |", flush=True)


if __name__ == "__main__":
    main()
