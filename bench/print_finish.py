"""What the print edition's finish costs: its changes to WeasyPrint's layout on and off, and the whole
``build.py pdf`` of this tree against an earlier one, at 1× and 10× the document, side by side in one run.

    .venv/bin/python bench/print_finish.py                                  # patches off / on, 1× and 10×
    .venv/bin/python bench/print_finish.py --baseline /tmp/before --runs 7  # and build.py pdf, before / after

(a) In this process, the print HTML and stylesheet are made once per size; then each round lays the document
out and writes the PDF twice — with WeasyPrint as it is and with the extensions installed (justify,
unbreakable, grid, leaders) — in alternating order. (b) With ``--baseline DIR`` (a checkout of the earlier
revision, e.g. ``git archive <rev> | tar -x -C DIR``), ``build.py pdf`` of DIR and of this tree, each a fresh
process, alternate in the same way. The machine is shared, so every figure is the median of the runs and
the comparison is their ratio (of wall time); CPU time is given beside it, less disturbed by the load.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from pypdf import PdfReader  # noqa: E402
from scale import write_scaled  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from jpub import pipeline  # noqa: E402
from jpub.editions.pdf import grid, justify, leaders, unbreakable  # noqa: E402
from jpub.editions.pdf import writer as pdf  # noqa: E402
from jpub.editions.pdf.layout import GRID  # noqa: E402

SEED = ROOT / "source" / "white-paper-summary.md"


def _patches(on: bool) -> None:
    if on:
        justify.install()
        unbreakable.install()
        grid.install(GRID.pitch_pt)
        leaders.install()
    else:
        for module in (justify, unbreakable, grid, leaders):
            module.uninstall()


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _alternate(runs: int, contenders: dict[str, Callable[[], tuple[float, float, int]]]) -> dict[str, list[tuple[float, float, int]]]:
    """Each contender ``runs`` times, the order reversed on every round, after one untimed warm-up each."""
    for run in contenders.values():
        run()
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in contenders}
    names = list(contenders)
    for round_ in range(runs):
        for name in names if round_ % 2 == 0 else reversed(names):
            results[name].append(contenders[name]())
    return results


def in_process(source: Path, runs: int) -> dict[str, list[tuple[float, float, int]]]:
    pub = pipeline.prepare(source, ["pdf"])
    html, css = pdf.print_html(pub), pdf.stylesheet(pub)

    def lay_out(on: bool) -> Callable[[], tuple[float, float, int]]:
        def run() -> tuple[float, float, int]:
            _patches(on)
            wall, cpu = time.perf_counter(), time.process_time()
            data = HTML(string=html, base_url=str(source)).render(stylesheets=[CSS(string=css)]).write_pdf(pdf_tags=True)
            return time.perf_counter() - wall, time.process_time() - cpu, _pages(data)

        return run

    try:
        return _alternate(runs, {"WeasyPrint as it is": lay_out(False), "with the extensions": lay_out(True)})
    finally:
        _patches(True)


def whole_build(source: Path, baseline: Path, work: Path, runs: int) -> dict[str, list[tuple[float, float, int]]]:
    def build(tree: Path, out: Path) -> Callable[[], tuple[float, float, int]]:
        command = [sys.executable, str(tree / "build.py"), "pdf", "--quiet", "--source", str(source), "--out", str(out)]

        def run() -> tuple[float, float, int]:
            started = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode:
                raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}")
            cpu = usage.ru_utime + usage.ru_stime  # the build and the children it forked and waited for
            return time.perf_counter() - started, cpu, _pages((out / source.with_suffix(".pdf").name).read_bytes())

        return run

    return _alternate(runs, {f"before ({baseline.name})": build(baseline, work / "before"), "after (this tree)": build(ROOT, work / "after")})


def _table(size: int, results: dict[str, list[tuple[float, float, int]]]) -> list[str]:
    """Markdown rows: medians of wall and CPU time, their ratios to the first contender, wall time per page."""
    rows, first = [], None
    for name, runs in results.items():
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        first = first or (wall, cpu)
        pages = runs[-1][2]
        rows.append(
            f"| {size}× | {name} | {pages} | {wall:.2f} s | {cpu:.2f} s | {wall / first[0]:.2f}× | {cpu / first[1]:.2f}× | {wall / pages * 1000:.0f} ms |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="a checkout of the earlier revision, for build.py pdf before / after")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        layout, builds = [], []
        for size in args.sizes:
            source = write_scaled(SEED, size, work)
            layout += _table(size, in_process(source, args.runs))
            if args.baseline:
                builds += _table(size, whole_build(source, args.baseline.resolve(), work / f"{size}x", args.runs))
    print(f"Layout and writing, one process, median of {args.runs} alternating runs:\n")
    print("| size | {} | pages | wall | CPU | wall ratio | CPU ratio | per page |\n|---|---|---:|---:|---:|---:|---:|---:|".format("WeasyPrint"))
    print("\n".join(layout))
    if builds:
        print(f"\nbuild.py pdf, fresh processes, median of {args.runs} alternating runs:\n")
        print("| size | {} | pages | wall | CPU | wall ratio | CPU ratio | per page |\n|---|---|---:|---:|---:|---:|---:|---:|".format("tree"))
        print("\n".join(builds))


if __name__ == "__main__":
    main()
