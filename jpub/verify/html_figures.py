"""The web edition's figures and tables read back: each caption (number and text) on the element with the
figure's id, each reference link's text and where it leads, the 図表目次 beside the 目次."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html

from jpub.crossref.numbers import NUMBER_CLASS
from jpub.crossref.references import XREF_CLASS
from jpub.verify.compare import Report, short
from jpub.verify.html import html_tree
from jpub.verify.text import normalise

if TYPE_CHECKING:
    from jpub.verify.expectations import Expected

RULE = "verify-figures"


def _classed(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def compare_figures(report: Report, path: Path, want: Expected) -> None:
    root = html_tree(path)
    for target in want.figures:
        element = root.get_element_by_id(target.id, None)
        caption = None if element is None else next(iter(element.xpath("./figcaption | ./caption")), None)
        if caption is None:
            report.error(RULE, f"図表がありません（キャプションつきの id {target.id}）: 「{short(target.entry)}」", target.caption)
            continue
        number = "".join(caption.xpath(f".//span[{_classed(NUMBER_CLASS)}]//text()"))
        if number != target.number or normalise(caption.text_content()) != normalise(target.entry):
            report.error(RULE, f"キャプションが違います: 期待「{short(target.entry)}」、実際「{short(caption.text_content())}」", target.caption)
    links = [(a.text_content(), a.get("href", "")) for a in root.xpath(f"//main//a[{_classed(XREF_CLASS)}]")]
    expected = [(text, f"#{ident}") for text, ident in want.references]
    if links != expected:
        wrong = next((pair for pair in zip(expected, links, strict=False) if pair[0] != pair[1]), None)
        detail = f"期待「{wrong[0][0]}」→{wrong[0][1]}、実際「{wrong[1][0]}」→{wrong[1][1]}" if wrong else f"期待 {len(expected)} 件、実際 {len(links)} 件"
        report.error(RULE, f"図表への参照が違います: {detail}")
    for text, href in links:
        if root.get_element_by_id(href[1:], None) is None:
            report.error(RULE, f"図表への参照の行き先がありません: 「{text}」（{href}）")
    _compare_lists(report, root, want)


def _compare_lists(report: Report, root: lxml.html.HtmlElement, want: Expected) -> None:
    """Each copy of the 図表目次 (the narrow screen's and the wide one's): its entries, in order, and their links."""
    lists = root.xpath(f"//nav//*[{_classed('lof')}]")
    if want.figure_lists and not lists:
        report.error(RULE, "図表目次がありません")
    entries = [(t.entry, f"#{t.id}") for series in want.figure_lists for t in series.entries]
    for found in lists:
        read = [(a.text_content().strip(), a.get("href", "")) for a in found.iter("a")]
        if [(normalise(text), href) for text, href in read] != [(normalise(text), href) for text, href in entries]:
            report.error(RULE, f"図表目次の項目が違います: 期待 {len(entries)} 件（{short(entries[0][0]) if entries else 'なし'} …）、実際 {len(read)} 件")
