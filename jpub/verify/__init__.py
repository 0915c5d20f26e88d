"""Reading the built editions back and confirming each agrees with its own rendering of the source.

For every edition: the headings (text, level, order), every paragraph, list item and table cell (compared
with all whitespace removed, NFKC), the notes' text, and the contents (PDF 目次 pages, the DOCX TOC field's
cached entries, the HTML <nav> links). Differences are diagnostics naming the edition's file; any error exits 1.

A text that calls a note is compared as its pieces before and after each call, in order: the editions put
the call's number into the text (the PDF, the HTML) or not (Word), and the number is not the source's.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx.opc.exceptions
import lxml.etree
import pypdf.errors

from jpub import diagnostics, forked, publication
from jpub.diagnostics import Diagnostic
from jpub.editions import EDITIONS
from jpub.publication import Document
from jpub.source_template import FORMATS
from jpub.verify import readers
from jpub.verify.expectations import Expected, expected
from jpub.verify.readers import ReadHeading, normalise

MAX_TEXT_REPORTS = 20  # per edition; the rest are counted
UNREADABLE = (
    OSError,
    ValueError,
    KeyError,
    zipfile.BadZipFile,
    pypdf.errors.PyPdfError,
    lxml.etree.LxmlError,
    docx.opc.exceptions.PackageNotFoundError,
    subprocess.CalledProcessError,
)


# --- messages ---------------------------------------------------------------------------------------------

_MARKUP = re.compile(r"[*_`\\|#>]")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(src_display: str, document: Document | None, text: str, heading: bool) -> str:
    """「（原稿 file:line）」: the source line of the heading, or of the first line holding the start of the text."""
    key = normalise(text)
    if not key or document is None:
        return ""
    lines = document.rendered.text.splitlines()
    for number, line in enumerate(lines, start=1):
        candidate = normalise(_MARKUP.sub("", line))
        if (candidate == key and line.startswith("#")) if heading else key[:12] in candidate:
            return f"（原稿 {src_display}:{document.rendered.source_line(number)}）"
    return ""


class _Report:
    def __init__(self, path: Path, src_display: str, document: Document | None):
        self.path, self.src_display, self.document = str(path), src_display, document
        self.found: list[Diagnostic] = []

    def error(self, rule: str, message: str, text: str = "", heading: bool = False) -> None:
        """An error; ``text`` (a heading's when ``heading``) adds where the source has it."""
        where = _where(self.src_display, self.document, text, heading) if text else ""
        self.found.append(Diagnostic(self.path, 0, 0, "error", rule, message + where))


def _label(item: ReadHeading) -> str:
    return f"「{item.text}」（レベル{item.level}）"


def compare_lists(report: _Report, rule: str, noun: str, want: tuple[ReadHeading, ...], got: list[ReadHeading]) -> None:
    """A readable diff of two heading lists: changed, missing and extra entries, in document order."""
    keys_want = [(h.level, normalise(h.text)) for h in want]
    keys_got = [(h.level, normalise(h.text)) for h in got]
    matcher = difflib.SequenceMatcher(a=keys_want, b=keys_got, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(a1 - a0, b1 - b0) if op == "replace" else 0
        for i in range(pairs):
            e, a = want[a0 + i], got[b0 + i]
            report.error(rule, f"{noun}が違います: 期待{_label(e)}、実際{_label(a)}", e.text, heading=True)
        for e in want[a0 + pairs : a1]:
            report.error(rule, f"{noun}がありません: 期待{_label(e)}", e.text, heading=True)
        for a in got[b0 + pairs : b1]:
            report.error(rule, f"余分な{noun}があります: {_label(a)}")


def _occurrences(haystack: str, needle: str, limit: int = 500) -> list[int]:
    found, at = [], haystack.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def in_order(haystack: str, needles: list[str]) -> set[int]:
    """Indexes of the needles on a longest chain of occurrences in increasing position (patience sorting):
    one moved or missing text is then reported alone, not with everything after it."""
    tails: list[int] = []  # tails[k]: the smallest last position of a chain of length k + 1
    nodes: list[tuple[int, object]] = []  # the node ending that chain: (needle index, previous node)
    for index, needle in enumerate(needles):
        for position in reversed(_occurrences(haystack, needle)):  # at most one occurrence per needle per chain
            k = bisect.bisect_left(tails, position)
            node = (index, nodes[k - 1] if k else None)
            if k == len(tails):
                tails.append(position)
                nodes.append(node)
            else:
                tails[k], nodes[k] = position, node
    chain, node = set(), nodes[-1] if nodes else None
    while node is not None:
        chain.add(node[0])
        node = node[1]
    return chain


def compare_texts(report: _Report, want: tuple[str, ...], body: str, noun: str = "本文") -> None:
    """Every expected text, in source order, in the edition's text (whitespace removed on both sides).
    ``noun`` names what is compared in the messages: 本文, or 注の本文."""
    haystack = normalise(body)
    needles = [normalise(text) for text in want]
    chain = in_order(haystack, needles)
    problems = []
    for index, text in enumerate(want):
        if index in chain:
            continue
        if needles[index] in haystack:
            problems.append((f"{noun}が原稿の順序どおりの位置にありません: 「{_short(text)}」", text))
        else:
            problems.append((f"{noun}がありません: 「{_short(text)}」", text))
    for message, text in problems[:MAX_TEXT_REPORTS]:
        report.error("verify-text", message, text)
    if len(problems) > MAX_TEXT_REPORTS:
        report.error("verify-text", f"ほかに {len(problems) - MAX_TEXT_REPORTS} 件の{noun}が見つからないか順序が違います")


# --- the contents, edition by edition -----------------------------------------------------------------------

_TOC_FURNITURE = re.compile(r"^[\s.\d・…‥·\-–—目次]*$")
_LEADERS = re.compile(r"[.…‥·・]{2,}\s*\d*")


@functools.lru_cache(maxsize=4)
def _pdf_pages(path: Path, _mtime_ns: int, _size: int) -> list[str]:
    return readers.pdf_page_texts(path)


def pdf_pages(path: Path) -> list[str]:
    """Page texts, read once per file version (the body text and the 目次 both need them)."""
    stat = path.stat()
    return _pdf_pages(path, stat.st_mtime_ns, stat.st_size)


def toc_pdf(report: _Report, path: Path, want: Expected) -> None:
    text = readers.pdf_toc_text(path, pdf_pages(path))
    if text is None:
        report.error("verify-toc", "目次のページが見つかりません")
        return
    haystack = normalise(text)
    cursor = 0
    for entry in want.toc:
        needle = normalise(entry.text)
        at = haystack.find(needle, cursor)
        if at < 0:
            report.error("verify-toc", f"目次に項目がありません: 「{entry.text}」", entry.text, heading=True)
            continue
        _extra(report, haystack[cursor:at])
        cursor = at + len(needle)
    _extra(report, haystack[cursor:])


def _extra(report: _Report, gap: str) -> None:
    if not _TOC_FURNITURE.match(gap):
        report.error("verify-toc", f"目次に余分な項目があります: 「{_short(_LEADERS.sub(' ', gap).strip())}」")


def toc_docx(report: _Report, path: Path, want: Expected) -> None:
    toc = readers.docx_toc(path)
    if toc is None:
        report.error("verify-toc", "目次（TOC フィールド）がありません")
        return
    if toc.depth is not None and toc.depth != want.toc_depth:
        report.error("verify-toc", f"目次の深さが違います: 期待 1-{want.toc_depth}、実際 {toc.instruction}")
    if not toc.entries:
        report.error("verify-toc", "目次フィールドに項目が入っていません（Word で開くまで目次が空です）")
        return
    by_level = tuple(ReadHeading(h.level, h.text) for h in want.headings if h.level <= want.toc_depth)
    compare_lists(report, "verify-toc", "目次の項目", by_level, list(toc.entries))


def toc_html(report: _Report, path: Path, want: Expected) -> None:
    lists = readers.html_tocs(path)
    if lists is None:
        report.error("verify-toc", "目次（<nav>）がありません")
        return
    if not lists:
        report.error("verify-toc", "目次（<nav>）に項目の一覧がありません")
    root = readers.html_tree(path)
    for links in lists:
        compare_lists(report, "verify-toc", "目次の項目", want.toc, [ReadHeading(link.depth, link.text) for link in links])
        for link in links:
            target = root.get_element_by_id(link.href[1:], None) if link.href.startswith("#") else None
            if target is None:
                report.error("verify-toc", f"目次のリンク先がありません: 「{link.text}」（{link.href or 'href なし'}）")
            elif normalise(target_text := readers.html_text_without_calls(target)) != normalise(link.text):
                report.error("verify-toc", f"目次のリンク先が違う見出しです: 「{link.text}」→「{_short(target_text)}」")


def pdf_post_build(path: Path, want: Expected) -> list[Diagnostic]:
    """The print edition's post-build checks: 禁則, fonts, extractable text. Its bookmark check is left out:
    verify-headings compares the bookmarks already, with a full diff."""
    from jpub.verify import pdf_checks

    headings = want.document.headings
    return [d for d in pdf_checks.check(path, headings, want.fonts) if d.rule != "pdf-bookmarks"]


@dataclass(frozen=True)
class EditionReader:
    headings: Callable[[Path], list[ReadHeading]]
    text: Callable[[Path], str]
    toc: Callable[[_Report, Path, Expected], None]
    notes: Callable[[Path], str]  # where the notes' text is: the PDF's pages (at their foot), Word's footnotes
    extra: Callable[[Path, Expected], list[Diagnostic]] = lambda path, want: []


READERS: dict[str, EditionReader] = {
    "pdf": EditionReader(readers.pdf_outline, lambda path: "\n".join(pdf_pages(path)), toc_pdf, readers.pdf_text, pdf_post_build),
    "docx": EditionReader(readers.docx_headings, readers.docx_body_text, toc_docx, readers.docx_notes_text),
    "html": EditionReader(readers.html_headings, readers.html_body_text, toc_html, readers.html_notes_text),
}


def verify_edition(fmt: str, path: Path, want: Expected, src_display: str, *, main: bool = True, extra: bool = True) -> list[Diagnostic]:
    """The edition's headings, texts, notes and contents (``main``), and its own further checks (``extra``)."""
    report = _Report(path, src_display, want.document)
    if not path.is_file():
        if main:
            report.error("verify-output", "出力がありません（先に build.py でビルドしてください）")
        return report.found
    reader = READERS[fmt]
    try:
        if main:
            compare_lists(report, "verify-headings", "見出し", want.headings, reader.headings(path))
            compare_texts(report, want.texts, reader.text(path))
            if want.notes:
                compare_texts(report, want.notes, reader.notes(path), "注の本文")
            reader.toc(report, path, want)
        if extra:
            report.found.extend(reader.extra(path, want))
    except UNREADABLE as exc:
        report.error("verify-output", f"読み込めません（{type(exc).__name__}: {exc}）")
    return report.found


def verify(source: Path, out: Path, formats: tuple[str, ...] = FORMATS) -> list[Diagnostic]:
    """Every edition read back. Reading the PDF's pages is the longest part, so where the process can fork
    it runs here while a forked child reads the other editions and runs the PDF's post-build checks."""
    pub = publication.prepare(source, formats)
    display = pub.source.display
    jobs = [(fmt, out / f"{source.stem}{EDITIONS[fmt].suffix}", expected(pub, fmt)) for fmt in formats]

    def pdf_main() -> list[Diagnostic]:
        return [d for fmt, path, want in jobs if fmt == "pdf" for d in verify_edition(fmt, path, want, display, extra=False)]

    def rest() -> dict[str, list[Diagnostic]]:
        return {fmt: verify_edition(fmt, path, want, display, main=fmt != "pdf") for fmt, path, want in jobs}

    pdf_found, by_format = forked.side_by_side(pdf_main, rest, fork="pdf" in formats and len(formats) > 1)
    if any(d.rule == "verify-output" for d in pdf_found):
        by_format["pdf"] = []  # an unreadable PDF is named once, as when its checks stop at the first failure
    by_format["pdf"] = pdf_found + by_format.get("pdf", [])
    return [d for fmt in formats for d in by_format.get(fmt, [])]


def run(source: Path, out: Path, quiet: bool = False) -> int:
    found = verify(source, out)
    sys.stdout.write(diagnostics.as_text([d for d in found if d.severity == "error"] if quiet else found))
    if diagnostics.has_errors(found):
        print(f"verify: {len(found)} 件の食い違いがあります", file=sys.stderr)
        return 1
    if not quiet:
        print(f"verify: {', '.join(str(out / (source.stem + EDITIONS[f].suffix)) for f in FORMATS)} は原稿と一致しています", file=sys.stderr)
    return 0
