"""Checks of a built print PDF, read back from the file: 禁則, fonts, extractable text. (Its bookmarks are
compared with the headings by verify itself.)

Each check reads what it needs from the PDF and hands it to a pure function returning Diagnostics
(path = the PDF, no line: the page and line on it are in the message). ``check`` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pypdf.generic import ArrayObject, DictionaryObject

from jpub.diagnostics import Diagnostic, Severity
from jpub.verify.pdf import Line, dictionary, open_pdf, read_lines, resolved

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


def _diagnostic(pdf: Path | str, rule: str, message: str, severity: Severity = "error") -> Diagnostic:
    return Diagnostic(str(pdf), 0, 0, severity, rule, message)


# ---- reading the PDF ------------------------------------------------------------------------------


def read_fonts(pdf: Path) -> dict[str, bool]:
    """Every font the pages use: base name (subset tag dropped) → whether its program is embedded."""
    fonts: dict[str, bool] = {}
    seen: set[int] = set()

    def embedded(font: DictionaryObject) -> bool:
        descendants = resolved(font.get("/DescendantFonts"))  # a composite font's program is its descendant's
        target = dictionary(descendants[0]) if isinstance(descendants, ArrayObject) and descendants else font
        descriptor = dictionary(target.get("/FontDescriptor")) if target is not None else None
        return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))

    def visit(value: object) -> None:
        resources = dictionary(value)
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        for entry in (dictionary(resources.get("/Font")) or {}).values():
            font = dictionary(entry)
            if font is None:
                continue
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            name = re.sub(r"^[A-Z]{6}\+", "", name)
            fonts[name] = fonts.get(name, False) or embedded(font)
        for entry in (dictionary(resources.get("/XObject")) or {}).values():
            xobject = dictionary(entry)
            if xobject is not None:
                visit(xobject.get("/Resources"))

    for page in open_pdf(Path(pdf)).pages:
        visit(page.get("/Resources"))
    return fonts


# ---- pure checks ----------------------------------------------------------------------------------


def _body_words(line: Line) -> tuple[str, ...]:
    words = line.words
    if words and words[0] in MARKERS:
        return words[1:]  # a list marker (drawn on its own or before its text), not text that wrapped onto this line
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


def check(pdf: Path, families: Iterable[str]) -> list[Diagnostic]:
    """Every check on one built PDF."""
    lines = read_lines(pdf)
    return fonts(pdf, read_fonts(pdf), list(families)) + line_start(pdf, lines) + line_end(pdf, lines) + text(pdf, "".join(line.text for line in lines))
