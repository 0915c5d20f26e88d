"""The print edition: HTML for print, typeset by WeasyPrint."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import warnings
from dataclasses import dataclass

import lxml.html
from weasyprint import CSS, HTML

from jpub import page_templates
from jpub.editions import figure_list
from jpub.editions.fragments import TocEntry, chapter_level, html_fragments, toc_depth, toc_tree
from jpub.editions.pdf import grid, justify, leaders, page_flow, pydyf_patch, unbreakable
from jpub.editions.pdf.layout import GRID, HEADINGS, LANDSCAPE_GRID, HeadingStyle, heading_role
from jpub.editions.pdf.links import printed_text
from jpub.editions.pdf.notes import as_footnotes
from jpub.editions.pdf.tables import SIZES, fit_tables
from jpub.editions.pdf.typography import LONGEST_PHRASE, phrases, refine_tree
from jpub.fetching import SourceTreeFetcher
from jpub.images import Embedder, embed
from jpub.pandoc_ast import Heading, Inline, plain_text, walk_blocks
from jpub.publication import Document, Publication
from jpub.svg import Faces

pydyf_patch.install()
# Japanese composition inside WeasyPrint's layout: 両端揃え, numbers kept with their units, the line grid, even
# 目次 leaders. Each is pinned to WeasyPrint 70.0; on another version it warns and is left out (the PDF is
# plainer, not wrong).
justify.install()
unbreakable.install()
grid.install(GRID.pitch_pt)
leaders.install()

COVER_LINE = 34  # characters of 11 pt in the cover box (136 mm)
COVER_LINES = 10  # lines of material that fit between the title and the foot


def _display(text: str) -> list[tuple[str, bool]]:
    """(phrase, unbreakable) for a cover line."""
    return [(part, len(part) <= LONGEST_PHRASE) for part in phrases(text)]


@dataclass(frozen=True)
class CoverFit:
    prose: bool  # a paragraph longer than a line of the box: set as text, not centred
    fits: bool  # the material fits between title and foot: the foot sits at the bottom of the page


def cover_fit(cover_html: str) -> CoverFit:
    if not cover_html.strip():
        return CoverFit(False, True)
    root = lxml.html.fragment_fromstring(cover_html, create_parent="div")
    lengths = [len(el.text_content().strip()) for el in root if isinstance(el.tag, str)]
    lines = sum(max(1, math.ceil(n / COVER_LINE)) for n in lengths)
    return CoverFit(any(n > COVER_LINE for n in lengths), lines <= COVER_LINES)


def _phrased(inlines: list[Inline]) -> list[Inline]:
    """A heading's words as unbreakable phrases, so 「…に関して講じた施策」 breaks between phrases, not inside one."""
    out: list[Inline] = []
    for node in inlines:
        if node["t"] == "Str":
            out.extend(
                {"t": "Span", "c": [["", ["phrase"], []], [{"t": "Str", "c": part}]]} if whole else {"t": "Str", "c": part}
                for part, whole in _display(node["c"])
            )
        elif node["t"] in ("Emph", "Strong", "Span"):
            content = node["c"]
            out.append({"t": node["t"], "c": [content[0], _phrased(content[1])] if node["t"] == "Span" else _phrased(content)})
        else:
            out.append(node)
    return out


TOC_RESERVED_EM = 3.25  # of a 目次 line: the page-number column (2 em) and the shortest leader with its padding


def toc_titles(entries: tuple[TocEntry, ...], depth: int = 0) -> dict[str, list[tuple[str, bool]]]:
    """Heading id → the 目次 entry's title in phrases. The last phrase is set unbroken with the leader, so a title
    that wraps keeps text beside its leader; one that may not fit on a line breaks between phrases, as the
    headings do (「…課題と／展望」, never 「…課／題と展望」); one that surely fits is one phrase."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for entry in entries:
        text = entry.heading.text
        line = HeadingStyle(GRID.font_pt, indent_pt=(depth + TOC_RESERVED_EM) * GRID.font_pt)
        found[entry.heading.id] = [(text, True)] if line.fits_one_line(text) else _display(text)
        found.update(toc_titles(entry.children, depth + 1))
    return found


def print_document(pub: Publication) -> Document:
    """The pdf rendering with its notes as footnotes set at the foot of the page, not as endnotes, and its
    headings broken only between phrases. A heading of the body that surely fits on one line of the full
    measure is left as it is: the phrase spans cost layout time (up to a fifth of it when every heading had
    them). Headings inside something narrower — the cover's box, a quotation, a list — always get them."""
    document = pub.documents["pdf"]
    chapter = chapter_level(document.headings)
    tree = printed_text(pub, document.ast())
    settings = pub.settings
    faces = Faces.named(settings.sans_font, settings.serif_font, settings.mono_font)
    tree["blocks"] = embed(tree["blocks"], Embedder(pub.source.path.parent, document.rendered, pub.source.display, faces))
    tree = as_footnotes(tree)
    on_the_measure = {id(block) for block in tree["blocks"]}
    for block in walk_blocks(tree["blocks"]):
        if block["t"] == "Header":
            style = HEADINGS[heading_role(block["c"][0], chapter)]
            if id(block) not in on_the_measure or not style.fits_one_line(plain_text(block["c"][2])):
                block["c"][2] = _phrased(block["c"][2])
    return dataclasses.replace(document, ast_json=json.dumps(tree, ensure_ascii=False))


def print_html(pub: Publication) -> str:
    """The whole print document as HTML, with the Japanese composition spans already added."""
    document = print_document(pub)
    fragments = html_fragments(document)
    headings = document.headings
    depth = toc_depth(pub.settings.toc_depth, headings, "pdf")
    toc = toc_tree(headings, depth)
    page = page_templates.render(
        "pdf/page.html.j2",
        pub.source.path.parent,
        meta=pub.meta,
        created=pub.meta.timestamp().isoformat(),
        cover=fragments.cover,
        cover_fit=cover_fit(fragments.cover),
        body=fragments.body,
        toc=toc,
        toc_titles=toc_titles(toc),
        figure_lists=figure_list.wanted(pub, "pdf"),
        title_phrases=_display(pub.meta.title),
        subtitle_phrases=_display(pub.meta.subtitle),
    )
    root = lxml.html.document_fromstring(page)
    fit_tables(root, pub.settings)
    page_flow.mark_breaks(root)
    refine_tree(root)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _css_id(text: str) -> str:
    """``#id`` for any id: an id selector is looked up in an index, ``[id="…"]`` is tried on every element."""
    escaped = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else f"\\{ord(ch):06x}" for ch in text)
    if escaped[:1].isdigit() or escaped[:2] in {"--"} or (escaped[:1] == "-" and escaped[1:2].isdigit()):
        escaped = f"\\{ord(escaped[0]):06x}" + escaped[1:]
    return "#" + escaped


def part_labels(headings: tuple[Heading, ...]) -> list[tuple[str, str]]:
    """(#id selector, 第N部) of every numbered heading above the 章 level: the left running head."""
    chapter = chapter_level(headings)
    return [(_css_id(h.id), _css_string(f"第{h.unit.digits}{h.unit.unit}")) for h in headings if h.unit is not None and h.level < chapter]


def stylesheet(pub: Publication) -> str:
    headings = pub.documents["pdf"].headings
    chapter = chapter_level(headings)
    return page_templates.render(
        "pdf/print.css.j2",
        pub.source.path.parent,
        settings=pub.settings,
        grid=GRID,
        landscape=LANDSCAPE_GRID,
        table_sizes=SIZES,
        headings=HEADINGS,
        chapter_level=chapter,
        part_levels=list(range(1, chapter)),
        part_labels=part_labels(headings),
        break_before=page_flow.break_before(pub.settings.page_flow),
    )


def render(pub: Publication) -> bytes:
    fetcher = SourceTreeFetcher([pub.source.path.parent, page_templates.packaged()])
    html_text, css_text = print_html(pub), stylesheet(pub)
    html = HTML(string=html_text, base_url=str(pub.source.path), url_fetcher=fetcher)
    variant = None if pub.settings.pdf_variant == "none" else pub.settings.pdf_variant
    document = html.render(stylesheets=[CSS(string=css_text)])
    # The file identifier comes from the content, so two builds of one source are the same bytes.
    identifier = hashlib.sha256((html_text + css_text + repr(pub.settings)).encode("utf-8")).hexdigest()[:32].encode("ascii")
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for PDF/A without closing it
        warnings.simplefilter("ignore", ResourceWarning)
        pdf: bytes = document.write_pdf(pdf_variant=variant, pdf_tags=True, custom_metadata=True, pdf_identifier=identifier)
        return pdf
