"""Builds of the default source by several revisions of this repository, side by side.

Each revision is checked out into a temporary git worktree and run with this checkout's virtual
environment, so only jpub's own code differs between the contenders. For each size (the default source
repeated, bench/scale.py), every revision builds all three editions and then the PDF alone; the order of
the revisions reverses on every round, the first round is a warm-up, and the table shows the median wall
time and CPU time (user + system of the whole process tree) of the timed rounds. The builds keep their
cache in a folder of the run's own: from the second round on, a revision whose Word edition is laid out
by LibreOffice finds its layout kept (the same file each round), as a rebuild of an unchanged Word
edition does; revisions before the layout pass run no LibreOffice at all.

    .venv/bin/python bench/revisions.py c8b9c2d HEAD            # 1× and 10×, three timed rounds
    .venv/bin/python bench/revisions.py --rounds 5 --sizes 1 A B C
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale import write_scaled

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
SOURCE = Path("source") / "white-paper-summary.md"
EPOCH = "1700000000"  # the same date for every build: nothing differs but the code


def checkout(revision: str, into: Path) -> Path:
    tree = into / revision.replace("/", "-")
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), revision], check=True)
    return tree


def timed(command: list[str], cwd: Path, cache: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``command`` (the CPU of every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "JPUB_CACHE_DIR": str(cache)}
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def pages(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))


def compare(trees: dict[str, Path], factor: int, rounds: int, work: Path) -> None:
    sources = {name: write_scaled(tree / SOURCE, factor, work / f"{factor}x-{name}") for name, tree in trees.items()}
    times: dict[tuple[str, str], list[tuple[float, float]]] = {(name, kind): [] for name in trees for kind in ("all", "pdf")}
    order = list(trees)
    for number in range(rounds + 1):
        for name in order if number % 2 == 0 else order[::-1]:
            for kind, targets in (("all", []), ("pdf", ["pdf"])):
                out = work / f"out-{factor}x-{name}-{kind}"
                command = [str(PYTHON), "build.py", *targets, "--source", str(sources[name]), "--out", str(out), "--quiet"]
                measured = timed(command, trees[name], work / "cache")
                if number:  # the first round warms the caches up
                    times[name, kind].append(measured)
    print(f"\n{factor}× (median of {rounds})\n")
    print("| revision | PDF pages | 3 editions: wall | CPU | PDF alone: wall | CPU |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in trees:
        pdf = next((work / f"out-{factor}x-{name}-pdf").glob("*.pdf"))
        cells = [f"{statistics.median(t[i] for t in times[name, kind]):.2f} s" for kind in ("all", "pdf") for i in (0, 1)]
        print(f"| {name} | {pages(pdf)} | " + " | ".join(cells) + " |")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="+", help="git revisions (commits, branches, tags)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10], help="how many times the source is repeated")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (after one warm-up round)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="jpub-revisions-"))
    trees: dict[str, Path] = {}
    try:
        for revision in args.revisions:
            trees[revision] = checkout(revision, work / "trees")
        for factor in args.sizes:
            compare(trees, factor, args.rounds, work)
    finally:
        for tree in trees.values():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
