"""Checks of a built print PDF, read back from the file: 禁則, bookmarks, fonts, extractable text.

Each check reads what it needs from the PDF and hands it to a pure function returning Diagnostics
(path = the PDF, no line: the page and line on it are in the message). ``check`` runs them all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lxml import etree
from pypdf.generic import DictionaryObject, IndirectObject

from jpub.diagnostics import Diagnostic
from jpub.verify.pdf import open_pdf, pdf_outline

# JLReq 3.1.7 行頭禁則: closing brackets, hyphens, dividing punctuation, middle dots, full stops,
# commas, iteration marks, the prolonged sound mark and small kana (cl-02 … cl-07, cl-09 … cl-11).
LINE_START_PROHIBITED = frozenset(
    "」』）］｝〕〉》】〙〗”’｣)]}"
    "‐〜゠–"
    "！？‼⁇⁈⁉!?"
    "・：；:;"
    "。．."
    "、，,"
    "ヽヾゝゞ々〻"
    "ー"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
# JLReq 3.1.8 行末禁則: opening brackets (cl-01).
LINE_END_PROHIBITED = frozenset("「『（［｛〔〈《【〘〖“‘｢([{")
# List markers the print stylesheet draws: a line's first word when it is one of these alone.
MARKERS = frozenset("・－")


class HeadingLike(Protocol):
    level: int
    text: str


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    number: int  # 1-based, on its page, in pdftotext's reading order
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.words)


def _diagnostic(pdf: Path | str, rule: str, message: str, severity: str = "error") -> Diagnostic:
    return Diagnostic(str(pdf), 0, 0, severity, rule, message)  # type: ignore[arg-type]


# ---- reading the PDF ------------------------------------------------------------------------------


def read_lines(pdf: Path) -> list[Line]:
    """Every text line with its words, from ``pdftotext -bbox-layout``."""
    result = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True)
    root = etree.fromstring(result.stdout, etree.XMLParser(recover=True, huge_tree=True))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    lines = []
    for page_no, page in enumerate(root.iterfind(".//x:page", ns), start=1):
        for number, line in enumerate(page.iterfind(".//x:line", ns), start=1):
            words = tuple(w.text or "" for w in line.iterfind("x:word", ns))
            lines.append(Line(page_no, number, words))
    return lines


def read_outline(pdf: Path) -> list[tuple[int, str]]:
    """The bookmarks as (depth, title), depth 1 at the top, in document order."""
    return [(item.level, item.text) for item in pdf_outline(Path(pdf))]


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def read_fonts(pdf: Path) -> dict[str, bool]:
    """Every font the pages use: base name (subset tag dropped) → whether its program is embedded."""
    fonts: dict[str, bool] = {}
    seen: set[int] = set()

    def embedded(font: DictionaryObject) -> bool:
        descendants = _resolve(font.get("/DescendantFonts"))
        target = _resolve(descendants[0]) if descendants else font
        descriptor = _resolve(target.get("/FontDescriptor")) or {}
        return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))

    def visit(resources) -> None:
        resources = _resolve(resources)
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            name = re.sub(r"^[A-Z]{6}\+", "", name)
            fonts[name] = fonts.get(name, False) or embedded(font)
        for xobject in (_resolve(resources.get("/XObject")) or {}).values():
            visit(_resolve(xobject).get("/Resources"))

    for page in open_pdf(Path(pdf)).pages:
        visit(page.get("/Resources"))
    return fonts


def read_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")


# ---- pure checks ----------------------------------------------------------------------------------


def _body_words(line: Line) -> tuple[str, ...]:
    words = line.words
    if len(words) > 1 and words[0] in MARKERS:
        return words[1:]  # a list marker, not text that wrapped onto this line
    return words


def line_start(pdf: Path | str, lines: Iterable[Line]) -> list[Diagnostic]:
    out = []
    for line in lines:
        text = "".join(_body_words(line))
        if text and text[0] in LINE_START_PROHIBITED:
            out.append(_diagnostic(pdf, "pdf-line-start", f"{line.page}ページ{line.number}行目の行頭に「{text[0]}」があります（行頭禁則）: {text[:20]}"))
    return out


def line_end(pdf: Path | str, lines: Iterable[Line]) -> list[Diagnostic]:
    out = []
    for line in lines:
        text = line.text
        if text and text[-1] in LINE_END_PROHIBITED:
            out.append(_diagnostic(pdf, "pdf-line-end", f"{line.page}ページ{line.number}行目の行末に「{text[-1]}」があります（行末禁則）: {text[-20:]}"))
    return out


def expected_outline(headings: Sequence[HeadingLike]) -> list[tuple[int, str]]:
    """(depth, text) the bookmarks must have: a heading nests under the last shallower one."""
    out, stack = [], []
    for heading in headings:
        while stack and stack[-1] >= heading.level:
            stack.pop()
        stack.append(heading.level)
        out.append((len(stack), heading.text))
    return out


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def bookmarks(pdf: Path | str, outline: Sequence[tuple[int, str]], headings: Sequence[HeadingLike]) -> list[Diagnostic]:
    expected = expected_outline(headings)
    for index, (want, got) in enumerate(zip(expected, outline, strict=False), start=1):
        if want[0] != got[0] or not _same_text(want[1], got[1]):
            message = f"{index}番目のしおりが見出しと一致しません（見出し: 階層{want[0]}「{want[1]}」、しおり: 階層{got[0]}「{got[1]}」）"
            return [_diagnostic(pdf, "pdf-bookmarks", message)]
    if len(expected) != len(outline):
        extra = outline[len(expected)] if len(outline) > len(expected) else None
        detail = f"余分なしおり「{extra[1]}」" if extra else f"しおりのない見出し「{expected[len(outline)][1]}」"
        return [_diagnostic(pdf, "pdf-bookmarks", f"しおりの数（{len(outline)}）が見出しの数（{len(expected)}）と違います: {detail}")]
    return []


def _family_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def fonts(pdf: Path | str, used: dict[str, bool], families: Iterable[str]) -> list[Diagnostic]:
    allowed = [_family_key(f) for f in families]
    out = []
    for name, is_embedded in sorted(used.items()):
        if not any(_family_key(name).startswith(key) for key in allowed):
            out.append(_diagnostic(pdf, "pdf-fonts", f"設定にないフォント {name} が使われています（代替フォントの可能性。設定: {', '.join(families)}）"))
        elif not is_embedded:
            out.append(_diagnostic(pdf, "pdf-fonts", f"フォント {name} が埋め込まれていません"))
    return out


def text(pdf: Path | str, extracted: str) -> list[Diagnostic]:
    count = extracted.count("\ufffd")
    if count:
        return [_diagnostic(pdf, "pdf-text", f"テキストとして取り出せない文字が {count} 個あります（U+FFFD。ToUnicode の欠けたフォント）")]
    return []


# ---- all of them ------------------------------------------------------------------------------------

NO_PDFTOTEXT = "pdftotext（poppler-utils）がないため禁則と本文テキストを確かめられません（apt-get install poppler-utils）"


def check(pdf: Path, headings: Sequence[HeadingLike], families: Iterable[str]) -> list[Diagnostic]:
    """Every check on one built PDF. Without poppler's pdftotext the text checks cannot run: that is an error."""
    families = list(families)
    found = bookmarks(pdf, read_outline(pdf), headings) + fonts(pdf, read_fonts(pdf), families)
    if shutil.which("pdftotext") is None:
        return found + [_diagnostic(pdf, "pdf-tools", NO_PDFTOTEXT)]
    lines = read_lines(pdf)
    return found + line_start(pdf, lines) + line_end(pdf, lines) + text(pdf, read_text(pdf))
