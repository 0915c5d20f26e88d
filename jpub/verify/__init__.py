"""Reading the built editions back and confirming each agrees with its own rendering of the source.

For every edition: the headings (text, level, order), every paragraph, list item and table cell (compared
with all whitespace removed, NFKC), the notes' text, the contents (PDF 目次 pages, the DOCX TOC field's
cached entries, the HTML <nav> links), and the numbered figures and tables: captions with their numbers, the
references' text and targets (and pages, in print), the 図表目次. Differences are diagnostics naming the edition's file; any error exits 1.

A text that calls a note is compared as its pieces before and after each call, in order: the editions put
the call's number into the text (the PDF, the HTML) or not (Word), and the number is not the source's.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import lxml.etree
import pypdf.errors
from docx.opc.exceptions import PackageNotFoundError

from jpub import diagnostics, forked, pipeline
from jpub.diagnostics import Diagnostic
from jpub.editions import EDITIONS, FORMATS
from jpub.verify.compare import Report, compare_lists, compare_texts
from jpub.verify.expectations import Expected, expected
from jpub.verify.reader import MissingTool

UNREADABLE = (
    OSError,
    ValueError,
    KeyError,
    zipfile.BadZipFile,
    pypdf.errors.PyPdfError,
    lxml.etree.LxmlError,
    PackageNotFoundError,
    subprocess.CalledProcessError,
)


def verify_edition(fmt: str, path: Path, want: Expected, src_display: str, *, main: bool = True, extra: bool = True) -> list[Diagnostic]:
    """The edition's headings, texts, notes and contents (``main``), and its own further checks (``extra``)."""
    report = Report(path, src_display, want.document)
    if not path.is_file():
        if main:
            report.error("verify-output", "出力がありません（先に build.py でビルドしてください）")
        return report.found
    reader = EDITIONS[fmt].reader()
    try:
        if main:
            compare_lists(report, "verify-headings", "見出し", want.headings, reader.headings(path))
            compare_texts(report, want.texts, reader.text(path))
            if want.notes:
                compare_texts(report, want.notes, reader.notes(path), "注の本文")
            reader.toc(report, path, want)
            reader.figures(report, path, want)
        if extra:
            report.found.extend(reader.extra(path, want))
    except MissingTool as exc:
        report.error(exc.rule, exc.message)
    except UNREADABLE as exc:
        report.error("verify-output", f"読み込めません（{type(exc).__name__}: {exc}）")
    return report.found


def verify(source: Path, out: Path, formats: Sequence[str] = FORMATS) -> list[Diagnostic]:
    """Every edition read back. Where the process can fork, the PDF is read here while a forked child reads
    the other editions."""
    pub = pipeline.prepare(source, formats)
    display = pub.source.display
    jobs = [(fmt, pipeline.output_path(source, out, fmt), expected(pub, fmt)) for fmt in formats]

    def pdf() -> list[Diagnostic]:
        return [d for fmt, path, want in jobs if fmt == "pdf" for d in verify_edition(fmt, path, want, display)]

    def rest() -> dict[str, list[Diagnostic]]:
        return {fmt: verify_edition(fmt, path, want, display) for fmt, path, want in jobs if fmt != "pdf"}

    pdf_found, by_format = forked.side_by_side(pdf, rest, fork="pdf" in formats and len(formats) > 1)
    by_format["pdf"] = pdf_found
    return [d for fmt in formats for d in by_format.get(fmt, [])]


def run(source: Path, out: Path, quiet: bool = False) -> int:
    found = verify(source, out)
    sys.stdout.write(diagnostics.as_text([d for d in found if d.severity == "error"] if quiet else found))
    if diagnostics.has_errors(found):
        print(f"verify: {len(found)} 件の食い違いがあります", file=sys.stderr)
        return 1
    if not quiet:
        print(f"verify: {', '.join(str(pipeline.output_path(source, out, f)) for f in FORMATS)} は原稿と一致しています", file=sys.stderr)
    return 0
