"""Numbered figures and tables as Word numbers them, so its 図表目次 and "update fields" work and keep them.

A caption's number is a bookmark around the label and a SEQ field (図表1- + SEQ 図表 = 図表1-2): the cached
result is the number every edition shows. The first of a series in its 章 (or 部, as the scheme says) sets
the value with ``\\r``, so Word and LibreOffice, recounting, come to the same numbers — LibreOffice ignores
SEQ's ``\\s`` (restart at a heading level). A number written by hand is set with ``\\r`` every time: the
author's number stays. A reference is a REF field to that bookmark (its cached result the number), or, when
it shows something else than the whole number (``[-@fig:id]``), a hyperlink to it.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from jpub.crossref import Target
from jpub.crossref.numbers import NUMBER_CLASS
from jpub.crossref.references import XREF_CLASS
from jpub.editions.docx.styles import w
from jpub.pandoc_ast import Block, Element, Inline, plain_text, rebuild

BOOKMARK_IDS = 800_000  # w:id of these bookmarks: far above the ones pandoc numbers from 0


def bookmark_name(ident: str) -> str:
    """A hidden bookmark (a leading _), like Word's own _Ref…, stable for an id: Word allows neither : nor -."""
    return f"_Ref{int(hashlib.sha1(ident.encode('utf-8')).hexdigest(), 16) % 10**9:09d}"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""


def field(instruction: str, result: str) -> str:
    """A complex field with its cached result (runs)."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def seq_instruction(target: Target) -> str:
    return f"SEQ {target.label} \\* ARABIC" + (f" \\r {target.n}" if target.restart else "")


def caption_number(target: Target, bookmark_id: int) -> str:
    """The caption's number inside its bookmark: label and prefix as text, the running number a SEQ field."""
    counted = str(target.n)
    if target.fields_agree and (not target.written or target.written.endswith(counted)):
        before = target.written[: -len(counted)] if target.written else target.before
        number = run(before) + field(seq_instruction(target), run(counted)) + ("" if target.written else run(target.after))
    else:
        number = run(target.number)
    name = bookmark_name(target.id)
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{name}"/>{number}<w:bookmarkEnd w:id="{bookmark_id}"/>'


def hyperlink(anchor: str, text: str) -> str:
    return f'<w:hyperlink w:anchor={quoteattr(anchor)} w:history="1">{run(text)}</w:hyperlink>'


def reference(target: Target, text: str) -> str:
    if target.number and text == target.number:
        return field(f"REF {bookmark_name(target.id)} \\h", run(text))
    return hyperlink(bookmark_name(target.id) if target.number else target.id, text)


def _raw(xml: str) -> Inline:
    return {"t": "RawInline", "c": ["openxml", xml]}


def _is_number(node: dict[str, Any]) -> bool:
    return node.get("t") == "Span" and NUMBER_CLASS in node["c"][0][1]


def with_fields(blocks: list[Block], targets: Mapping[str, Target]) -> list[Block]:
    """The blocks with caption numbers as bookmarked SEQ fields and references as REF fields."""
    ids: Iterator[int] = itertools.count(BOOKMARK_IDS)

    def replace(node: dict[str, Any]) -> Element | None:
        kind = node.get("t")
        if kind in ("Figure", "Table"):
            target = targets.get(node["c"][0][0])
            if target is not None and target.number:
                numbered: Target = target
                caption = rebuild(node["c"][1], lambda e: _raw(caption_number(numbered, next(ids))) if _is_number(e) else None)
                return {"t": kind, "c": [node["c"][0], caption, *rebuild(node["c"][2:], replace)]}
        if kind == "Link" and XREF_CLASS in node["c"][0][1]:
            target = targets.get(node["c"][2][0][1:])
            if target is not None:
                return _raw(reference(target, plain_text(node["c"][1])))
        return None

    return rebuild(blocks, replace)


def caption_descriptions(body: etree._Element) -> None:
    """A table's description (w:tblCaption, what screen readers announce) as its caption reads, number included:
    pandoc writes it from the caption's text, which leaves out the number's field."""
    for table in body.iter(w("tbl")):
        description = table.find(f"{w('tblPr')}/{w('tblCaption')}")
        caption = table.getprevious()
        while caption is not None and caption.tag != w("p"):
            caption = caption.getprevious()
        if description is None or caption is None or caption.find(f".//{w('instrText')}") is None:
            continue
        text = "".join(node.text or "" for node in caption.iter(w("t")))
        description.set(w("val"), text)
