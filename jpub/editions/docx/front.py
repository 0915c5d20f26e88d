"""The front of the Word edition as pandoc blocks: the cover page, then the 目次 as a Word TOC field.

The TOC field's cached result already lists the entries, each a hyperlink to its heading's bookmark
(pandoc names bookmarks after heading ids), so the 目次 is there before Word refreshes the field.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from xml.sax.saxutils import escape

from jpub.editions import figure_list, fragments
from jpub.editions.docx import fields, heading_breaks
from jpub.editions.docx.styles import data, line_measures
from jpub.editions.fragments import TocEntry, toc_tree
from jpub.pandoc_ast import Block
from jpub.publication import Publication

COVER_TOP_TWIPS = 3120  # the cover's first line sits about 55 mm down, as on the print edition's cover
TOC_TITLE = "目次"
TOC_STYLES = 4  # toc 1–4 are defined in templates/docx/styles.yaml; deeper entries use toc 4
NUMBER_ROOM_EM = 4.0  # the leader's least and a page number, beside an entry's last line


def raw(xml: str) -> Block:
    return {"t": "RawBlock", "c": ["openxml", xml]}


def paragraph(style: str, text: str, extra_ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def style_name(style_id: str) -> str:
    """pandoc's custom-style takes a style's name (which may be Japanese), not its id."""
    return str(next(spec["name"] for spec in data()["styles"] if spec["id"] == style_id))


def cover(pub: Publication, material: list[Block]) -> list[Block]:
    """Subtitle, title, the ::: cover material, era date and author, as on the print edition's cover."""
    meta = pub.meta
    lines = [("Subtitle", meta.subtitle), ("Title", meta.title)]
    blocks: list[Block] = []
    for style, text in lines:
        if text:
            top = "" if blocks else f'<w:spacing w:before="{COVER_TOP_TWIPS}"/>'
            blocks.append(raw(paragraph(style, text, top)))
    if material:
        blocks.append({"t": "Div", "c": [["", [], [["custom-style", style_name("CoverText")]]], material]})
    for style, text in (("Date", meta.era_date), ("Author", meta.author)):
        if text:
            blocks.append(raw(paragraph(style, text)))
    return blocks


def toc_depth(pub: Publication) -> int:
    document = pub.documents["docx"]
    return fragments.toc_depth(pub.settings.toc_depth, document.headings, "docx")


def _flatten(entries: tuple[TocEntry, ...]) -> Iterator[TocEntry]:
    for entry in entries:
        yield entry
        yield from _flatten(entry.children)


def toc_instruction(depth: int) -> str:
    return f'TOC \\o "1-{depth}" \\h \\z \\u'


def entry_title(text: str, measure_em: float) -> str:
    """An entry's title as run content, broken between phrases (w:br) where it will not fit beside its page
    number, as headings are (the cached entries only: Word lays out its own when it updates the field)."""
    cuts = [0, *heading_breaks.plan(text, measure_em), len(text)]
    pieces = [f'<w:t xml:space="preserve">{escape(text[a:b])}</w:t>' for a, b in itertools.pairwise(cuts)]
    return "<w:br/>".join(pieces)


def toc(pub: Publication) -> list[Block]:
    """目次: a TOC field over outline levels 1..depth, its result filled with hyperlinked entries."""
    depth = toc_depth(pub)
    entries = list(_flatten(toc_tree(pub.documents["docx"].headings, depth)))
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {toc_instruction(depth)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    out = [raw(paragraph("TOCHeading", TOC_TITLE))]
    if not entries:
        return [*out, raw(f"<w:p>{begin}{end}</w:p>")]
    measures = line_measures()
    for i, entry in enumerate(entries):
        heading = entry.heading
        style = f"TOC{min(heading.level, TOC_STYLES)}"
        title = entry_title(heading.text, measures[style] - NUMBER_ROOM_EM)
        link = f'<w:hyperlink w:anchor="{escape(heading.id)}" w:history="1"><w:r>{title}</w:r></w:hyperlink>'
        last = end if i == len(entries) - 1 else ""
        out.append(raw(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{begin if i == 0 else ""}{link}{last}</w:p>'))
    return out


def figure_lists(pub: Publication) -> list[Block]:
    """図表目次: for each series a TOC field over its SEQ fields (TOC \\c "図表"), its result filled with
    hyperlinked entries, so the list is there before Word refreshes the field."""
    lists = figure_list.wanted(pub, "docx")
    out = [raw(paragraph("TOCHeading", figure_list.TITLE))] if lists else []
    for series in lists:
        if len(lists) > 1:
            out.append(raw(paragraph("FigureListHeading", series.label)))
        instruction = f'TOC \\h \\z \\c "{series.label}"'
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        for i, target in enumerate(series.entries):
            last = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == len(series.entries) - 1 else ""
            link = fields.hyperlink(fields.bookmark_name(target.id), target.entry)
            out.append(raw(f'<w:p><w:pPr><w:pStyle w:val="TableofFigures"/></w:pPr>{begin if i == 0 else ""}{link}{last}</w:p>'))
    return out


def front(pub: Publication, material: list[Block]) -> list[Block]:
    return cover(pub, material) + toc(pub) + figure_lists(pub)
