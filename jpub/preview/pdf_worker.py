"""The print edition, built in a worker process that stays warm between saves.

WeasyPrint lays a page out in Python and holds the interpreter lock while it does: in a thread of the server
it takes turns with the checks and the web edition of the next save, where a process can use a free core. The worker is a fresh
interpreter (``spawn``: nothing of the server's threads or locks is inherited, so it can be started at any
time) that imports WeasyPrint once and then builds one PDF per request, on the other core.

A save is sent to the worker at once, beside the web edition's checks in the server, not after them: the
worker reads, parses and checks the source itself (a Publication does not cross a process boundary, and two
cores check faster than one waits), and like any build it writes nothing when the checks find an error.

``InProcessPdf`` builds in a thread of the server instead. On this shared machine the benchmark found the two
equally fast (docs/performance.md); the worker is kept because it leaves the server small, its memory can be
bounded by replacing it, and a crash in WeasyPrint or Pango ends the worker, not the preview.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from jpub import diagnostics, pipeline, preflight
from jpub.errors import DocumentError
from jpub.preview.stages import checked

STOP_SECONDS = 5.0
# WeasyPrint and Pango keep about half a megabyte of every PDF they make (measured here: 74 → 84 MiB over 16
# builds of the default source, after a full collection and malloc_trim each time; sharing one
# FontConfiguration between builds did not stop it). A worker is replaced by a fresh one after this many builds,
# the new one started while the old one is idle, so the memory of a long session stays bounded.
BUILDS_PER_WORKER = 40


@dataclass(frozen=True)
class PdfJob:
    generation: int
    source: Path
    out: Path
    overrides: Mapping[str, Any]


@dataclass(frozen=True)
class PdfResult:
    generation: int
    built: bool
    seconds: float
    refused: bool = False  # the checks found errors (the web lane shows them): nothing was written
    problem: str = ""  # diagnostics as text when the build failed


def build(job: PdfJob) -> PdfResult:
    """Check, render and write the PDF; problems as text, never raised."""
    begin = time.perf_counter()
    pub, found = checked(job.source, job.overrides, ["pdf"])
    if pub is None or diagnostics.has_errors(found):
        return PdfResult(job.generation, False, time.perf_counter() - begin, refused=True)
    try:
        pipeline.write(pipeline.render(pub, ["pdf"]), pub, job.out)
    except DocumentError as exc:
        return PdfResult(job.generation, False, time.perf_counter() - begin, problem=diagnostics.as_text(exc.diagnostics).strip())
    except OSError as exc:
        problem = f"{exc.filename or job.out}: error: ファイルの読み書きに失敗しました: {exc.strerror or exc}"
        return PdfResult(job.generation, False, time.perf_counter() - begin, problem=problem)
    return PdfResult(job.generation, True, time.perf_counter() - begin)


class PdfBuilder(Protocol):
    def build(self, job: PdfJob) -> PdfResult: ...

    def stop(self) -> None: ...


class InProcessPdf:
    """In the calling thread."""

    def build(self, job: PdfJob) -> PdfResult:
        return build(job)

    def stop(self) -> None:
        pass


class WorkerPdf:
    """In a warm worker process; one that dies (killed, out of memory) is replaced for the next request."""

    def __init__(self) -> None:
        self._stopping = False
        self._builds = 0
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs,), name="jpub-preview-pdf", daemon=True)
        self.process.start()
        theirs.close()

    def build(self, job: PdfJob) -> PdfResult:
        try:
            self._connection.send(job)
            result: PdfResult = self._connection.recv()
        except (EOFError, OSError):
            if self._stopping:  # stopped on purpose: the last good PDF stays, nothing to report
                return PdfResult(job.generation, False, 0.0, refused=True)
            code = self.process.exitcode
            self._end()
            self._start()
            why = f"終了コード {code}。メモリ不足などが考えられます。次の保存で作り直します"
            problem = f"{job.source}: error: PDF を作るプロセスが終了しました（{why}） [child-process]"
            return PdfResult(job.generation, False, 0.0, problem=problem)
        self._builds += 1
        if self._builds >= BUILDS_PER_WORKER:
            self._replace()
        return result

    def _replace(self) -> None:
        """A fresh worker for the next request; the old one, idle, leaves when its connection closes."""
        connection, process = self._connection, self.process
        self._builds = 0
        self._start()
        connection.close()
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join(STOP_SECONDS)

    def stop(self) -> None:
        """Stop the worker now. A PDF under way is abandoned: SIGTERM unwinds it in the worker, so its temporary
        file is removed and the last good PDF stays; the build waiting for it returns."""
        self._stopping = True
        self._end()

    def _end(self) -> None:
        self.process.terminate()
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(STOP_SECONDS)


def _serve(connection: Connection) -> None:
    """The worker's loop: one job in, one result out, until told to stop or the server goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server decides
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    try:
        preflight.import_weasyprint()  # warm before the first save; a missing Pango is reported by that build
    except DocumentError:
        pass
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):  # the server went away
            return
        connection.send(build(job))
        gc.collect()  # while the server shows the PDF: what the build left behind (see lanes.py) …
        _release_free_memory()  # … and the freed memory back to the system, so the resident size means what is kept


def _release_free_memory() -> None:
    """glibc keeps freed memory for later; malloc_trim gives it back (elsewhere there is nothing to do)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _exit_on_terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds the build: the atomic write removes its temporary file
