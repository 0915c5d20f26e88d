"""Print edition speed: ``build.py pdf`` against the bare ``weasyprint`` command on the same HTML and CSS.

    .venv/bin/python bench/pdf_bench.py                 # 1×, 10×, 50× the seed, best of 2
    .venv/bin/python bench/pdf_bench.py --factors 1 10 --repeat 3

Each run is a fresh process (imports included, as a user pays them); peak memory is the child's
maximum resident set (``wait4``). The bare run is given the print HTML and stylesheet our build
typesets, written to files, once plain and once with the same PDF options (PDF/UA-1, metadata).
Prints a Markdown table for docs/pdf.md.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from pypdf import PdfReader  # noqa: E402
from scale import write_scaled  # noqa: E402

from jpub import pipeline  # noqa: E402
from jpub.editions.pdf import writer as pdf  # noqa: E402

SEED = ROOT / "source" / "white-paper-summary.md"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    pages: int


def measure(command: list[str], output: Path) -> Run:
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}\n{child.stderr.read().decode()}")
    child.stderr.close()
    return Run(seconds, usage.ru_maxrss / 1024, len(PdfReader(str(output)).pages))


def best(command: list[str], output: Path, repeat: int) -> Run:
    runs = [measure(command, output) for _ in range(repeat)]
    return min(runs, key=lambda r: r.seconds)


def bench(factor: int, work: Path, repeat: int) -> dict[str, Run]:
    source = write_scaled(SEED, factor, work)
    pub = pipeline.prepare(source, ["pdf"])
    html, css = source.with_suffix(".print.html"), source.with_suffix(".print.css")
    html.write_text(pdf.print_html(pub), encoding="utf-8")
    css.write_text(pdf.stylesheet(pub), encoding="utf-8")
    out = source.parent / "out"
    ours = [sys.executable, str(ROOT / "build.py"), "pdf", "--source", str(source), "--out", str(out)]
    bare = [sys.executable, "-m", "weasyprint", "-s", str(css), str(html), str(source.parent / "bare.pdf")]
    same = [*bare[:-1], "--pdf-variant", "pdf/ua-1", "--custom-metadata", str(source.parent / "same.pdf")]
    return {
        "build.py pdf": best(ours, out / source.with_suffix(".pdf").name, repeat),
        "weasyprint (plain)": best(bare, Path(bare[-1]), repeat),
        "weasyprint (PDF/UA-1)": best(same, Path(same[-1]), repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    subset = ctypes.util.find_library("harfbuzz-subset")
    print(f"libharfbuzz-subset: {subset or 'MISSING (WeasyPrint falls back to fontTools, ~15x slower)'}; cores: {os.cpu_count()}\n")
    print("| size | command | pages | seconds | pages/s | peak MB |")
    print("|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for factor in args.factors:
            for label, run in bench(factor, Path(tmp), args.repeat).items():
                print(f"| {factor}× | {label} | {run.pages} | {run.seconds:.2f} | {run.pages / run.seconds:.1f} | {run.peak_mb:.0f} |", flush=True)


if __name__ == "__main__":
    main()
