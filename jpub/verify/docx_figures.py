"""The Word edition's figures and tables read back as Word will read them: each caption with its bookmarked
number and SEQ field (identifier, cached result, \\r), each REF field's cached result against the bookmark it
names, the references in order, and the 図表目次's TOC \\c fields with their cached entries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import docx
import lxml.etree

from jpub.editions.docx.fields import bookmark_name
from jpub.verify.compare import Report, short
from jpub.verify.text import normalise

if TYPE_CHECKING:
    from jpub.verify.expectations import Expected

RULE = "verify-figures"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SERIES = re.compile(r'\\c\s+"([^"]+)"')


@dataclass
class Field:
    instruction: str = ""
    result: str = ""
    in_result: bool = False


@dataclass
class Paragraph:
    style: str
    text: str
    fields: list[Field] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, anchor) of its hyperlinks


@dataclass(frozen=True)
class WordDocument:
    paragraphs: tuple[Paragraph, ...]
    bookmarks: dict[str, str]  # name → the text it encloses


def read(path: Path) -> WordDocument:
    """Every paragraph with its fields and hyperlinks, and what each bookmark encloses, in one pass."""
    body = docx.Document(str(path)).element.body
    paragraphs: list[Paragraph] = []
    bookmarks: dict[str, str] = {}
    open_marks: dict[str, str] = {}  # w:id → name
    for node in body.iter(f"{_W}p", f"{_W}bookmarkStart", f"{_W}bookmarkEnd"):
        if node.tag != f"{_W}p" and node.getparent().tag == f"{_W}p":
            continue  # read with its paragraph
        if node.tag == f"{_W}bookmarkStart":
            open_marks[node.get(f"{_W}id", "")] = node.get(f"{_W}name", "")
            bookmarks.setdefault(node.get(f"{_W}name", ""), "")
        elif node.tag == f"{_W}bookmarkEnd":
            open_marks.pop(node.get(f"{_W}id", ""), None)
        else:
            paragraphs.append(_paragraph(node, open_marks, bookmarks))
    return WordDocument(tuple(paragraphs), bookmarks)


def _paragraph(node: lxml.etree._Element, open_marks: dict[str, str], bookmarks: dict[str, str]) -> Paragraph:
    style = node.find(f"{_W}pPr/{_W}pStyle")
    paragraph = Paragraph(style.get(f"{_W}val", "") if style is not None else "", "")
    stack: list[Field] = []
    texts: list[str] = []
    for element in node.iter():
        tag = element.tag
        if tag == f"{_W}bookmarkStart":
            open_marks[element.get(f"{_W}id", "")] = element.get(f"{_W}name", "")
            bookmarks.setdefault(element.get(f"{_W}name", ""), "")
        elif tag == f"{_W}bookmarkEnd":
            open_marks.pop(element.get(f"{_W}id", ""), None)
        elif tag == f"{_W}fldChar":
            kind = element.get(f"{_W}fldCharType")
            if kind == "begin":
                stack.append(Field())
                paragraph.fields.append(stack[-1])
            elif kind == "separate" and stack:
                stack[-1].in_result = True
            elif kind == "end" and stack:
                stack.pop()
        elif tag == f"{_W}instrText" and stack:
            stack[-1].instruction += element.text or ""
        elif tag == f"{_W}t":
            text = element.text or ""
            texts.append(text)
            for current in stack:
                if current.in_result:
                    current.result += text
            for name in open_marks.values():
                bookmarks[name] += text
        elif tag == f"{_W}hyperlink":
            paragraph.links.append((_link_title(element), element.get(f"{_W}anchor", "")))
    paragraph.text = "".join(texts)
    return paragraph


def _link_title(link: lxml.etree._Element) -> str:
    """A hyperlink's text up to its first tab: a list entry's title, without the page number after it."""
    pieces = []
    for node in link.iter(f"{_W}t", f"{_W}tab"):
        if node.tag == f"{_W}tab":
            break
        pieces.append(node.text or "")
    return "".join(pieces)


def compare_figures(report: Report, path: Path, want: Expected) -> None:
    document = read(path)
    _captions(report, document, want)
    _references(report, document, want)
    _lists(report, document, want)


def _captions(report: Report, document: WordDocument, want: Expected) -> None:
    captions = [p for p in document.paragraphs if any(f.instruction.split()[:1] == ["SEQ"] for f in p.fields)]
    texts = {normalise(p.text): p for p in document.paragraphs}
    for target in want.figures:
        paragraph = texts.get(normalise(target.entry))
        if paragraph is None:
            report.error(RULE, f"キャプションがありません: 「{short(target.entry)}」", target.caption)
            continue
        name = bookmark_name(target.id)
        if normalise(document.bookmarks.get(name, "")) != normalise(target.number):
            report.error(RULE, f"キャプション「{short(target.entry)}」の番号にブックマーク {name} がありません（参照先になりません）")
        if not target.fields_agree or (target.written and not target.written.endswith(str(target.n))):
            continue
        seq = next((f for f in paragraph.fields if f.instruction.split()[:1] == ["SEQ"]), None)
        restart = f"\\r {target.n}" in (seq.instruction if seq else "")
        if seq is None or seq.instruction.split()[1:2] != [target.label] or seq.result != str(target.n) or restart != target.restart:
            found = f"{seq.instruction.strip()} → {seq.result}" if seq else "なし"
            report.error(RULE, f"キャプション「{short(target.entry)}」の SEQ フィールドが違います: 期待 SEQ {target.label} → {target.n}、実際 {found}")
    if len(captions) < sum(1 for t in want.figures if t.fields_agree):
        report.error(RULE, f"SEQ フィールドのあるキャプションが足りません: 期待 {sum(1 for t in want.figures if t.fields_agree)} 件、実際 {len(captions)} 件")


def _references(report: Report, document: WordDocument, want: Expected) -> None:
    """Every REF field shows what its bookmark encloses; the references, in order, say what the source says."""
    by_id = {target.id: target for target in want.document.figures}
    expected = [(text, bookmark_name(ident) if ident in by_id and by_id[ident].number else ident) for text, ident in want.references]
    read: list[tuple[str, str]] = []
    for paragraph in document.paragraphs:
        if paragraph.style in ("TableofFigures",) or paragraph.style.upper().startswith("TOC"):
            continue
        for found in paragraph.fields:
            words = found.instruction.split()
            if words[:1] == ["REF"] and len(words) > 1:
                read.append((found.result, words[1]))
                if words[1] not in document.bookmarks:
                    report.error(RULE, f"参照「{found.result}」のブックマーク {words[1]} がありません（フィールドの更新でエラーになります）")
                elif normalise(document.bookmarks[words[1]]) != normalise(found.result):
                    report.error(RULE, f"参照「{found.result}」がブックマークの内容「{document.bookmarks[words[1]]}」と違います")
        read += [(text, anchor) for text, anchor in paragraph.links if anchor in {a for _, a in expected}]
    if [(normalise(t), a) for t, a in read] != [(normalise(t), a) for t, a in expected]:
        report.error(RULE, f"図表への参照が違います: 期待 {[t for t, _ in expected][:5]}…、実際 {[t for t, _ in read][:5]}…")


def _lists(report: Report, document: WordDocument, want: Expected) -> None:
    """Each series' TOC \\c field and the entries cached in its result."""
    read: dict[str, list[tuple[str, str]]] = {}
    current = None
    for paragraph in document.paragraphs:
        series = next((m.group(1) for f in paragraph.fields if f.instruction.split()[:1] == ["TOC"] for m in [_SERIES.search(f.instruction)] if m), None)
        if series is not None:
            current = read.setdefault(series, [])
        if paragraph.style == "TableofFigures" and current is not None:
            current.extend(paragraph.links)
    wanted = {s.label: [(t.entry, bookmark_name(t.id)) for t in s.entries] for s in want.figure_lists}
    for label, entries in wanted.items():
        got = read.get(label)
        if got is None:
            report.error(RULE, f'図表目次がありません（TOC \\c "{label}" のフィールド）')
        elif [(normalise(t), a) for t, a in got] != [(normalise(t), a) for t, a in entries]:
            report.error(RULE, f"図表目次「{label}」の項目が違います: 期待 {len(entries)} 件（{short(entries[0][0])} …）、実際 {len(got)} 件")
    for label in read.keys() - wanted.keys():
        report.error(RULE, f'余分な図表目次があります（TOC \\c "{label}"）')
