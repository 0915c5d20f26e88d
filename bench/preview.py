"""Benchmark: how soon a save shows in ``jpub preview``, against ``typst watch`` on the same text.

    python bench/preview.py [--source FILE] [--saves 100] [--bursts 10] [--variants worker thread]

For each variant of the preview (``worker``: the PDF in its warm worker process, as ``jpub preview`` runs;
``thread``: the PDF in a thread of the server) a real server is started on a free port over a copy of the
source's folder, and ``--saves`` saves are made to each, one after another, each waiting for the PDF of the one
before; the saves alternate between the variants, so both see the same load. A save alternates one phrase of the text (``--edit``). Measured from just before
the file is written, as a client of the page's event stream sees it:

- diagnostics: the state carrying that save's checks arrives;
- web edition: the state announcing its web edition arrives and the page's fetch of that file has completed
  (what the browser then lays out is not counted);
- PDF: the state announcing its PDF arrives, and the first page's image has been fetched.

Memory is the resident set of the server and of its PDF worker after saves 1, 10, 25, 50, 75 and the last. CPU is the
processor time the server and its worker used for one save, all its builds included: on a machine shared with
other work, wall times grow with the load and CPU times much less.
``--bursts`` pairs then save a second time while the first save's PDF is still being built: the second save's
diagnostics and web edition show what a PDF build in progress costs them.

The peer is ``typst watch`` (the ``typst`` package's ``Compiler.watch``) on the same text converted by pandoc
(as bench/run.py does, print rendering, Noto Serif CJK JP): the same phrase alternated in the .typ file, timed
until the new PDF is complete on disk.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jpub import pandoc, pipeline  # noqa: E402

BOUND = 120.0
EDIT = ("振り返りながら", "振り返りつつ")
RUN_THREAD_VARIANT = (
    "import sys; from pathlib import Path; from jpub.preview import app; sys.exit(app.run(Path(sys.argv[1]), Path(sys.argv[2]), 0, pdf_in_process=True))"
)
TYPST_MISSED = 10.0  # seconds without a new PDF after which typst watch is taken to have missed a change
TYPST_WATCH = "import sys, typst; typst.Compiler(sys.argv[1]).watch(sys.argv[2])"


class Server:
    """A preview in a subprocess, and its event stream read in a thread."""

    def __init__(self, source: Path, out: Path, variant: str):
        if variant == "worker":
            command = [sys.executable, str(ROOT / "build.py"), "preview", "--source", str(source), "--out", str(out), "--port", "0"]
        else:
            command = [sys.executable, "-c", RUN_THREAD_VARIANT, str(source), str(out)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        self.port = int(first.split("http://127.0.0.1:")[1].split("/")[0])
        self.states: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.latest: dict[str, Any] = {}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=BOUND)
        connection.request("GET", "/events")
        self._events = connection.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        data = ""
        try:
            for raw in self._events:
                line = raw.decode().rstrip("\n")
                if line.startswith("data: "):
                    data = line[6:]
                elif not line and data:
                    self.states.put((time.perf_counter(), json.loads(data)))
                    data = ""
        except (OSError, ValueError):
            pass

    def wait_for(self, holds: Callable[[dict[str, Any]], bool]) -> float:
        """When the first state for which ``holds`` is true arrived (the latest one included)."""
        if self.latest and holds(self.latest):
            return time.perf_counter()
        while True:
            arrived, self.latest = self.states.get(timeout=BOUND)
            if holds(self.latest):
                return arrived

    def fetch(self, path: str) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=BOUND)
        connection.request("GET", path)
        body = connection.getresponse().read()
        connection.close()
        return body

    def children(self) -> list[int]:
        """The server's child processes, whichever of its threads started them (a replaced worker is started by
        the PDF lane's thread, and /proc lists children per thread)."""
        tasks = Path(f"/proc/{self.process.pid}/task")
        found = []
        for task in tasks.iterdir():
            try:
                found += [int(pid) for pid in (task / "children").read_text().split()]
            except FileNotFoundError:  # a thread that has just ended
                pass
        return found

    def rss_mib(self) -> tuple[float, float]:
        """(server, PDF worker) resident memory; the worker is the largest of the server's child processes."""
        return _rss(self.process.pid), max((_rss_or_none(pid) for pid in self.children()), default=0.0)

    def cpu_seconds(self) -> tuple[float, float]:
        """Processor time so far of the server (with pandoc's and pdftoppm's runs once they end) and of its worker."""
        return _cpu(self.process.pid), sum(_cpu_or_none(pid) for pid in self.children())

    def stop(self) -> None:
        self.process.terminate()  # stops the preview as Ctrl-C does
        try:
            self.process.wait(BOUND)
        except subprocess.TimeoutExpired:
            print("the preview did not stop within the bound: killed", file=sys.stderr)
            self.process.kill()
            self.process.wait(BOUND)


def _cpu(pid: int) -> float:
    """User and system time of a process, and of its children that have ended (fields 14–17 of /proc/pid/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_or_none(pid: int) -> float:
    try:
        return _cpu(pid)
    except FileNotFoundError:  # ended since it was listed
        return 0.0


def _rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().split("\n"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_or_none(pid: int) -> float:
    try:
        return _rss(pid)
    except FileNotFoundError:
        return 0.0


@dataclass
class Run:
    diagnostics: list[float] = field(default_factory=list)
    web: list[float] = field(default_factory=list)
    pdf: list[float] = field(default_factory=list)
    burst_diagnostics: list[float] = field(default_factory=list)
    burst_web: list[float] = field(default_factory=list)
    cpu_server: list[float] = field(default_factory=list)  # processor seconds per save
    cpu_worker: list[float] = field(default_factory=list)
    memory: dict[int, tuple[float, float]] = field(default_factory=dict)


def _toggle(path: Path, count: int) -> None:
    """Save ``path`` with the phrase swapped (``count``: which save this is, for the message)."""
    text = path.read_text(encoding="utf-8")
    old, new = EDIT if EDIT[0] in text else EDIT[::-1]
    assert old in text, f"save {count}: neither {EDIT[0]} nor {EDIT[1]} is in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _save_and_wait_web(server: Server, source: Path, count: int, run: Run, burst: bool) -> int:
    checked = server.latest["checked"]
    web = server.latest["editions"]["html"]["generation"]
    begin = time.perf_counter()
    _toggle(source, count)
    diagnostics = server.wait_for(lambda s: s["checked"] > checked) - begin
    server.wait_for(lambda s: s["editions"]["html"]["generation"] > web)
    html = server.latest["editions"]["html"]
    server.fetch(f"/out/{html['file']}?v={html['generation']}")
    (run.burst_diagnostics if burst else run.diagnostics).append(diagnostics)
    (run.burst_web if burst else run.web).append(time.perf_counter() - begin)
    return int(html["generation"])


def _one_save(server: Server, source: Path, count: int, run: Run) -> None:
    """A save, its web edition, then its PDF and first page's image; times, processor time and memory."""
    begin, cpu = time.perf_counter(), server.cpu_seconds()
    generation = _save_and_wait_web(server, source, count, run, burst=False)
    server.wait_for(lambda s: s["editions"]["pdf"]["generation"] >= generation and not s["editions"]["pdf"]["building"])
    server.fetch(f"/pdf/pages/1.png?v={generation}")
    run.pdf.append(time.perf_counter() - begin)
    after = server.cpu_seconds()
    run.cpu_server.append(after[0] - cpu[0])
    run.cpu_worker.append(after[1] - cpu[1])


def _burst(server: Server, source: Path, count: int, run: Run) -> None:
    """Two saves: the second as soon as the first's web edition is there, while the first's PDF builds."""
    _save_and_wait_web(server, source, count, run, burst=False)
    generation = _save_and_wait_web(server, source, count + 1, run, burst=True)
    server.wait_for(lambda s: s["editions"]["pdf"]["generation"] >= generation and not s["editions"]["pdf"]["building"])


def measure_previews(tmp: Path, source: Path, variants: list[str], saves: int, bursts: int) -> dict[str, Run]:
    """One server per variant, each over its own copy of the source's folder, all running at once; the saves
    alternate between them (the order reversed every time), so a change in the machine's load falls on all of
    them alike. A server waiting for its next save uses no processor time."""
    servers: dict[str, tuple[Server, Path]] = {}
    runs = {variant: Run() for variant in variants}
    try:
        for variant in variants:
            folder = tmp / variant
            shutil.copytree(source.resolve().parent, folder)
            servers[variant] = (Server(folder / source.name, folder / "out", variant), folder / source.name)
        for server, _ in servers.values():
            server.wait_for(lambda s: s["editions"]["pdf"]["generation"] >= 1 and not s["editions"]["pdf"]["building"])
        for count in range(1, saves + 1):
            for variant in variants if count % 2 else variants[::-1]:
                server, copy = servers[variant]
                _one_save(server, copy, count, runs[variant])
                if count in (1, 10, 25, 50, 75, saves):
                    runs[variant].memory[count] = server.rss_mib()
        for index, count in enumerate(range(saves + 1, saves + 1 + 2 * bursts, 2)):
            for variant in variants if index % 2 else variants[::-1]:
                _burst(*servers[variant], count, runs[variant])
    finally:
        for server, _ in servers.values():
            server.stop()
    return runs


def typst_source(source: Path, folder: Path) -> Path:
    draft = pipeline.read(source, {}, ["pdf"])
    markdown = folder / "rendered.md"
    markdown.write_text(f'---\ntitle: "{draft.meta.title}"\nlang: ja\n---\n\n{draft.renderings["pdf"].text}', encoding="utf-8")
    typ = folder / "doc.typ"
    command = [pandoc.executable(), str(markdown), "-f", "markdown", "-t", "typst", "-s", "--wrap=none", "-V", "mainfont=Noto Serif CJK JP", "-o", str(typ)]
    subprocess.run(command, check=True)
    return typ


def _complete_pdf(path: Path, after: int) -> bool:
    try:
        stat = path.stat()
        if stat.st_mtime_ns <= after:
            return False
        with path.open("rb") as stream:
            stream.seek(max(0, stat.st_size - 32))
            return b"%%EOF" in stream.read()
    except OSError:
        return False


def measure_typst(folder: Path, source: Path, saves: int) -> tuple[list[float], list[float], dict[int, float]]:
    typ, pdf = typst_source(source, folder), folder / "typst.pdf"
    watcher = subprocess.Popen([sys.executable, "-c", TYPST_WATCH, str(typ), str(pdf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times, cpu, memory, missed = [], [], {}, []
    try:
        if not _poll(lambda: _complete_pdf(pdf, 0), BOUND):
            raise SystemExit("typst watch wrote no PDF")
        for count in range(1, saves + 1):
            before, used = pdf.stat().st_mtime_ns, _cpu(watcher.pid)
            begin = time.perf_counter()
            _toggle(typ, count)
            if count in (1, 10, 25, 50, 75, saves):
                memory[count] = _rss(watcher.pid)
            if not _poll(lambda b=before: _complete_pdf(pdf, b), TYPST_MISSED):
                missed.append(count)  # the change went unnoticed: saved again, and the save not counted
                typ.write_text(typ.read_text(encoding="utf-8"), encoding="utf-8")
                if not _poll(lambda b=before: _complete_pdf(pdf, b), BOUND):
                    raise SystemExit("typst watch wrote no PDF")
                continue
            times.append(time.perf_counter() - begin)
            cpu.append(_cpu(watcher.pid) - used)
    finally:
        watcher.terminate()
        watcher.wait(BOUND)
    if missed:
        print(f"typst watch missed the change of saves {missed} (saved again; not counted)", file=sys.stderr)
    return times, cpu, memory


def _poll(done: Callable[[], bool], bound: float) -> bool:
    """Whether ``done()`` became true within ``bound`` seconds."""
    deadline = time.monotonic() + bound
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)  # the benchmark's own polling interval: 2 ms of resolution
    return True


def summary(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"{statistics.median(values):.3f} / {p90:.3f} / {max(values):.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT / "source" / "white-paper-summary.md")
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--variants", nargs="+", choices=("worker", "thread"), default=["worker", "thread"])
    args = parser.parse_args(argv)
    print(f"{platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="jpub-bench-preview-") as tmp:
        print(f"preview, PDF in {' and '.join(args.variants)}: {args.saves} saves, {args.bursts} bursts", file=sys.stderr)
        runs = measure_previews(Path(tmp), args.source, args.variants, args.saves, args.bursts)
        for variant, run in runs.items():
            memory = {count: f"{server:.0f}+{worker:.0f}" for count, (server, worker) in run.memory.items()}
            print(f"  {variant}: diagnostics {summary(run.diagnostics)}, web {summary(run.web)}, PDF {summary(run.pdf)}, MiB {memory}", file=sys.stderr)
        folder = Path(tmp) / "typst"
        folder.mkdir()
        print(f"typst watch: {args.saves} saves", file=sys.stderr)
        typst_times, typst_cpu, typst_memory = measure_typst(folder, args.source, args.saves)
    print(f"\nseconds after a save: median / 90th percentile / max; load average {os.getloadavg()[0]:.1f} at the end\n")
    head = "| | diagnostics | web edition | PDF (first page image fetched) | CPU: server | CPU: PDF worker | while a PDF builds: diagnostics | … web edition |"
    print(head)
    print("|---|---|---|---|---|---|---|---|")
    for variant, run in runs.items():
        cells = [run.diagnostics, run.web, run.pdf, run.cpu_server, run.cpu_worker, run.burst_diagnostics, run.burst_web]
        print(f"| jpub preview, PDF in {variant} | " + " | ".join(summary(values) for values in cells) + " |")
    print(f"| typst watch | — | — | {summary(typst_times)} | — | {summary(typst_cpu)} | — | — |")
    print("\nresident memory, MiB (server + PDF worker), after save:\n")
    marks = sorted(next(iter(runs.values())).memory) if runs else []
    print("| | " + " | ".join(str(m) for m in marks) + " |")
    print("|---|" + "---|" * len(marks))
    for variant, run in runs.items():
        print(f"| jpub preview, PDF in {variant} | " + " | ".join(f"{run.memory[m][0]:.0f} + {run.memory[m][1]:.0f}" for m in marks) + " |")
    print("| typst watch | " + " | ".join(f"{typst_memory[m]:.0f}" for m in marks) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
