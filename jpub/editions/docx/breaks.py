"""Page breaks in the Word edition: headings as ``publish: page-flow`` says, and the author's explicit breaks.

The heading styles carry the page flow (``pageBreakBefore`` on 部, and on 章 unless they run on); a
heading that directly follows another one that starts a page shares its page. An explicit break
(``::: pagebreak``, ``\\newpage``) goes through pandoc as an empty marker paragraph and becomes "page break
before" on the block after it; a break with nothing after it, or before a block that starts a page
anyway, adds no page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from docx.oxml.parser import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.text.parfmt import ParagraphFormat
from lxml import etree

from jpub import page_flow
from jpub.editions.docx.ooxml import w
from jpub.pandoc_ast import Block

MARK = "JpubPageBreak"  # the marker paragraph's style id: consumed by ``apply``, never left in the file
_MARK_XML = f'<w:p><w:pPr><w:pStyle w:val="{MARK}"/></w:pPr></w:p>'


def mark(blocks: list[Block]) -> list[Block]:
    """The blocks with every explicit break replaced by a marker paragraph (a break div's content follows it)."""
    out: list[Block] = []
    for block in blocks:
        if page_flow.is_page_break(block):
            out.append({"t": "RawBlock", "c": ["openxml", _MARK_XML]})
            if block["t"] == "Div":
                out.extend(mark(block["c"][1]))
        elif block["t"] == "Div":
            out.append({**block, "c": [block["c"][0], mark(block["c"][1])]})
        else:
            out.append(block)
    return out


def style_of(paragraph: etree._Element) -> str:
    found = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return (found.get(w("val")) or "") if found is not None else ""


def paragraph_format(paragraph: etree._Element) -> ParagraphFormat:
    """python-docx's paragraph format of a body paragraph (a CT_P: the body was parsed by python-docx)."""
    return ParagraphFormat(cast(BaseOxmlElement, paragraph))


def set_break(paragraph: etree._Element, on: bool) -> None:
    paragraph_format(paragraph).page_break_before = on


def _next_block(node: etree._Element) -> etree._Element | None:
    following = node.getnext()
    while following is not None and following.tag not in (w("p"), w("tbl")):
        following = following.getnext()
    return following


def break_carrier() -> Any:
    """An empty paragraph, 1 pt high, that starts a page: what a table after a break needs (a table row
    cannot break the page before itself)."""
    paragraph = OxmlElement("w:p")
    fmt = paragraph_format(paragraph)
    fmt.page_break_before = True
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    return paragraph


def explicit_breaks(body: etree._Element) -> set[etree._Element]:
    """Each marker becomes a break before the block after it; returns the paragraphs that now break."""
    broken: set[etree._Element] = set()
    for marker in [p for p in body.iter(w("p")) if style_of(p) == MARK]:
        following = _next_block(marker)
        parent = marker.getparent()
        if parent is not None:
            parent.remove(marker)
        if following is None:
            continue  # nothing after the break: no empty page
        if following.tag == w("tbl"):
            carrier = break_carrier()
            following.addprevious(carrier)
            following = carrier
        set_break(following, True)
        broken.add(following)
    return broken


def heading_level(paragraph: etree._Element) -> int | None:
    style = style_of(paragraph)
    return int(style[-1]) if style[:-1] == "Heading" and style[-1:].isdigit() else None


def page_starts(body: etree._Element, chapter: int, flow: Mapping[str, str], broken: set[etree._Element]) -> list[etree._Element]:
    """The headings that start a page; one that would start a page right under another that did (a 章
    directly under its 部) is set to share that page instead."""
    starts: list[etree._Element] = []
    previous: etree._Element | None = None
    for block in body.iterchildren(w("p"), w("tbl")):
        level = heading_level(block) if block.tag == w("p") else None
        if level is not None and page_flow.starts_page(level, chapter, flow):
            if starts and previous is starts[-1] and block not in broken:
                set_break(block, False)  # shares the page of the heading right above it
            else:
                starts.append(block)
        previous = block
    return starts


def apply(body: etree._Element, chapter: int, flow: Mapping[str, str]) -> list[etree._Element]:
    """Explicit breaks and shared pages; returns the headings that start a page (where sections may begin)."""
    return page_starts(body, chapter, flow, explicit_breaks(body))
