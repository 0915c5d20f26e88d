"""What a save sets off: the checks and the web edition at once, the PDF behind them, Word on request.

Each kind of build has its own lane (one at a time, the newest request kept). A save goes to the web lane and the
PDF lane at once. Each reads, guards, parses and checks the source exactly as a build does and writes its
edition only when the checks find no error; the web lane also publishes the diagnostics. A save with errors
changes no file, so the page goes on showing the last good editions. Every file is written atomically: a request for it gets the old file or
the new one, never half of one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from jpub import diagnostics, pipeline
from jpub.diagnostics import Diagnostic
from jpub.errors import DocumentError
from jpub.preview.lanes import Lane
from jpub.preview.pdf_worker import PdfBuilder, PdfJob
from jpub.preview.stages import checked
from jpub.preview.state import Board, Snapshot
from jpub.publication import Publication

EDITIONS = ("html", "pdf", "docx")


@dataclass(frozen=True)
class Target:
    """The source previewed, where its editions go, and the command-line settings that win over its own."""

    source: Path
    out: Path
    overrides: Mapping[str, Any]

    def file(self, edition: str) -> Path:
        return pipeline.output_path(self.source, self.out, edition)


class Builder:
    def __init__(self, target: Target, board: Board, pdf: PdfBuilder, log: Callable[[str], None]):
        self.target, self.board, self._pdf_builder, self._log = target, board, pdf, log
        self._generation = 0
        self._counter = threading.Lock()
        self._shown: tuple[Diagnostic, ...] | None = None
        self.web: Lane[int] = Lane("web", self._web)
        self.pdf: Lane[PdfJob] = Lane("pdf", self._pdf)
        self.docx: Lane[int] = Lane("docx", self._docx)

    def saved(self) -> int:
        """A save (or the start): a new generation, to be checked and built."""
        with self._counter:
            self._generation += 1
            generation = self._generation
        self.board.update(lambda s: replace(s, generation=max(s.generation, generation)))
        self.board.edition("pdf", building=True)  # stale from now on
        self.web.request(generation)
        self.pdf.request(PdfJob(generation, self.target.source, self.target.out, dict(self.target.overrides)))
        return generation

    def word(self) -> None:
        """Build the Word edition of the source as it is now."""
        self.board.edition("docx", building=True)
        self.docx.request(self.board.snapshot.generation)

    def idle(self) -> bool:
        return all(lane.idle() for lane in (self.web, self.pdf, self.docx))

    def stop(self, timeout: float) -> None:
        """No more builds: a PDF under way is abandoned (the last good one stays), the others may finish."""
        self._pdf_builder.stop()
        for lane in (self.pdf, self.web, self.docx):
            lane.stop(timeout)

    # --- the lanes' builds ---------------------------------------------------------------------------------

    def _web(self, generation: int) -> None:
        begin = time.perf_counter()
        pub, found = checked(self.target.source, self.target.overrides, ["html", "pdf"])
        self._report(generation, found)
        if pub is None or diagnostics.has_errors(found):
            return
        seconds = self._write(generation, "html", pub, begin)
        if seconds is not None:
            self._log(f"{_clock()} 保存 {generation}: ウェブ版 {seconds:.2f} s")

    def _write(self, generation: int, edition: str, pub: Publication, begin: float) -> float | None:
        """Render and write one edition; its seconds, or None when it failed (the last good file stays)."""
        try:
            pipeline.write(pipeline.render(pub, [edition]), pub, self.target.out)
        except DocumentError as exc:
            self._failed(edition, diagnostics.as_text(exc.diagnostics).strip())
            return None
        except OSError as exc:
            self._failed(edition, f"{exc.filename or self.target.out}: error: ファイルの読み書きに失敗しました: {exc.strerror or exc}")
            return None
        seconds = time.perf_counter() - begin
        self.board.edition(edition, file=self.target.file(edition).name, generation=generation, building=False, seconds=seconds, problem="")
        return seconds

    def _pdf(self, job: PdfJob) -> None:
        self.board.edition("pdf", building=True)
        result = self._pdf_builder.build(job)
        if result.built:
            pages = len(PdfReader(self.target.file("pdf")).pages)
            self.board.edition(
                "pdf", file=self.target.file("pdf").name, generation=result.generation, building=False, seconds=result.seconds, pages=pages, problem=""
            )
            self._log(f"{_clock()} 保存 {result.generation}: PDF {result.seconds:.2f} s（{pages} ページ）")
        elif result.refused:
            self.board.edition("pdf", building=False)
        else:
            self._failed("pdf", result.problem)

    def _docx(self, generation: int) -> None:
        begin = time.perf_counter()
        pub, found = checked(self.target.source, self.target.overrides, ["docx"])
        if pub is None or diagnostics.has_errors(found):
            errors = [d for d in found if d.severity == "error"]
            self._failed("docx", "エラーがあるため Word 版を作りませんでした:\n" + diagnostics.as_text(errors).strip())
            return
        seconds = self._write(generation, "docx", pub, begin)
        if seconds is not None:
            self._log(f"{_clock()} Word 版 {self.target.file('docx')}  {seconds:.2f} s")

    def _failed(self, edition: str, problem: str) -> None:
        self.board.edition(edition, building=False, problem=problem)
        self._log(problem)

    def _report(self, generation: int, found: list[Diagnostic]) -> None:
        """Diagnostics to the page always; to the terminal when they differ from the last ones printed."""
        shown = tuple(found)

        def change(snapshot: Snapshot) -> Snapshot:
            if generation < snapshot.checked:
                return snapshot
            return replace(snapshot, checked=generation, diagnostics=shown, failed=diagnostics.has_errors(shown))

        self.board.update(change)
        if shown != self._shown:
            self._log(diagnostics.as_text(shown).rstrip() if shown else f"{_clock()} 保存 {generation}: チェックで問題は見つかりませんでした")
            self._shown = shown
        errors = sum(d.severity == "error" for d in shown)
        if errors:
            self._log(f"{_clock()} 保存 {generation}: エラー {errors} 件、警告 {len(shown) - errors} 件 — 前回の正常な版を表示しています")


def _clock() -> str:
    return time.strftime("%H:%M:%S")
