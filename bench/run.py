"""Benchmark: our build against the bare tools, and our PDF against Typst, at 1×, 10× (and 50×) the document.

    python bench/run.py [--source FILE] [--sizes 1 10 50] [--runs 3]

(a) ``build.py`` writing all three editions vs the bare tools one after another: pandoc → standalone HTML,
the ``weasyprint`` command on that HTML, pandoc → DOCX. (b) ``build.py pdf`` vs pandoc → Typst →
``typst.compile`` (``pip install typst``). Every command runs in its own process; runs alternate between the
contenders (the order reverses on every run) and the table shows the median wall time and the peak resident
memory of the command's process tree (from wait4). The bare tools and Typst read the source already rendered
through Jinja (prepared once per size, outside the timing). Bigger documents repeat the numbered body with the
部 (or 章) renumbered, see bench/scale.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from scale import write_scaled  # noqa: E402

from jpub import pandoc, pipeline  # noqa: E402

PYTHON = sys.executable
WEASYPRINT = str(Path(sys.executable).with_name("weasyprint"))
TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


@dataclass(frozen=True)
class Job:
    """One size of the document: the source for build.py, its renderings for the bare tools, a scratch dir."""

    source: Path
    rendered: dict[str, Path]  # format -> Markdown rendered through Jinja, with plain front matter
    work: Path


Commands = Callable[[Job, Path], list[list[str]]]


def ours_all(job: Job, out: Path) -> list[list[str]]:
    return [[PYTHON, str(ROOT / "build.py"), "--source", str(job.source), "--out", str(out)]]


def bare_tools(job: Job, out: Path) -> list[list[str]]:
    exe, html = pandoc.executable(), out / "bare.html"
    return [
        [exe, str(job.rendered["html"]), "-f", "markdown", "-t", "html5", "-s", "-o", str(html)],
        [WEASYPRINT, str(html), str(out / "bare.pdf")],
        [exe, str(job.rendered["docx"]), "-f", "markdown", "-t", "docx", "-o", str(out / "bare.docx")],
    ]


def ours_pdf(job: Job, out: Path) -> list[list[str]]:
    return [[PYTHON, str(ROOT / "build.py"), "pdf", "--source", str(job.source), "--out", str(out)]]


def typst_pdf(job: Job, out: Path) -> list[list[str]]:
    typ = out / "doc.typ"
    return [
        [pandoc.executable(), str(job.rendered["pdf"]), "-f", "markdown", "-t", "typst", "-s", "-V", "mainfont=Noto Serif CJK JP", "-o", str(typ)],
        [PYTHON, "-c", TYPST_COMPILE, str(typ), str(out / "typst.pdf")],
    ]


CONTENDERS: dict[str, Commands] = {
    "ours: 3 editions": ours_all,
    "bare tools": bare_tools,
    "ours: PDF": ours_pdf,
    "Typst PDF": typst_pdf,
}
PAIRS = (("ours: 3 editions", "bare tools"), ("ours: PDF", "Typst PDF"))  # (ours, theirs): the table's ratios
PDF_OF = {"ours: PDF": "out-ours-PDF-0/*.pdf", "bare tools": "out-baretools-0/bare.pdf", "Typst PDF": "out-TypstPDF-0/typst.pdf"}


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float


def measure(commands: list[list[str]]) -> Sample:
    """Wall time of the commands one after another; peak RSS of the largest process in any of their trees."""
    started, peak = time.perf_counter(), 0
    for command in commands:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
        if child.returncode != 0:
            raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}\n{errors}")
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
    return Sample(time.perf_counter() - started, peak / 1024)


def prepare(source: Path, factor: int, work: Path) -> Job:
    scaled = write_scaled(source, factor, work)
    draft = pipeline.read(scaled)
    meta = draft.meta
    rendered = {}
    for fmt, text in draft.renderings.items():
        front = yaml.safe_dump({"title": meta.title, "lang": meta.lang}, allow_unicode=True)
        path = scaled.parent / f"rendered-{fmt}.md"
        path.write_text(f"---\n{front}---\n\n{text.text}", encoding="utf-8")
        rendered[fmt] = path
    return Job(scaled, rendered, scaled.parent)


def run_size(job: Job, names: list[str], runs: int) -> dict[str, list[Sample]]:
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for run in range(runs):
        for name in names if run % 2 == 0 else list(reversed(names)):
            out = job.work / f"out-{name.replace(' ', '').replace(':', '-')}-{run}"
            out.mkdir(parents=True, exist_ok=True)
            samples[name].append(measure(CONTENDERS[name](job, out)))
            print(f"  {name:<18} run {run + 1}: {samples[name][-1].seconds:6.2f} s  {samples[name][-1].peak_mb:6.0f} MB", file=sys.stderr)
    return samples


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.seconds for s in samples), statistics.median(s.peak_mb for s in samples))


def have_typst() -> bool:
    return subprocess.run([PYTHON, "-c", "import typst"], capture_output=True).returncode == 0


def versions() -> str:
    import weasyprint

    typst = subprocess.run([PYTHON, "-c", "import importlib.metadata as m; print(m.version('typst'))"], capture_output=True, text=True)
    pandoc_version = subprocess.run([pandoc.executable(), "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {pandoc_version}, WeasyPrint {weasyprint.__version__}, "
        f"typst-py {typst.stdout.strip() or 'not installed'}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
    )


PAGES_OF = {"ours: 3 editions": "ours: PDF"}  # whose PDF a contender's time is divided by (the same document)


def pdf_pages(work: Path, names: list[str]) -> dict[str, int]:
    """Pages of each contender's PDF (the layouts differ: ours has a cover, 目次 and a 40×38 grid)."""
    counts = {}
    for name, pattern in PDF_OF.items():
        found = next(work.glob(pattern), None) if name in names else None
        if found is not None:
            counts[name] = len(PdfReader(str(found)).pages)
    return counts


def table(results: dict[int, dict[str, Sample]], pages: dict[int, dict[str, int]], names: list[str]) -> str:
    """Medians, the ratio, and the ratio per PDF page: how much of a gap is more pages, how much cost per page."""
    pairs = [p for p in PAIRS if p[0] in names and p[1] in names]
    head = ["size", "PDF pages (" + " / ".join(n for n in PDF_OF if n in names) + ")"]
    for ours, theirs in pairs:
        head += [ours, theirs, "ratio", "per page"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for factor, row in results.items():
        count = pages[factor]
        cells = [f"{factor}×", " / ".join(str(count[n]) for n in PDF_OF if n in count)]
        for ours, theirs in pairs:
            a, b = row[ours], row[theirs]
            per_page = (a.seconds / count[PAGES_OF.get(ours, ours)]) / (b.seconds / count[theirs])
            cells += [f"{a.seconds:.2f} s, {a.peak_mb:.0f} MB", f"{b.seconds:.2f} s, {b.peak_mb:.0f} MB", f"{a.seconds / b.seconds:.2f}×", f"{per_page:.2f}×"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT / "source" / "white-paper-summary.md")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10], help="multiples of the document (default: 1 10; add 50 for the long run)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per contender and size (median shown; default 3)")
    args = parser.parse_args(argv)
    names = list(CONTENDERS)
    if not have_typst():
        print("typst is not installed (pip install typst): the Typst column is left out", file=sys.stderr)
        names = [n for n in names if n != "Typst PDF"]
    print(versions(), file=sys.stderr)
    results: dict[int, dict[str, Sample]] = {}
    pages: dict[int, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="jpub-bench-") as tmp:
        for index, factor in enumerate(args.sizes):
            job = prepare(args.source, factor, Path(tmp))
            print(f"{factor}×: {job.source}", file=sys.stderr)
            if index == 0:
                run_size(job, names, 1)  # warm-up (font caches, imports), not counted
            samples = run_size(job, names, args.runs)
            results[factor] = {name: median(s) for name, s in samples.items()}
            pages[factor] = pdf_pages(job.work, names)
    print(table(results, pages, names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
