"""Page numbers in the 目次 as Word writes them in a TOC it generated itself.

Each entry is a hyperlink to its heading's bookmark holding the title; with a page it also holds a tab
(the toc style's right tab, drawn with its leader) and a ``PAGEREF <bookmark> \\h`` field whose cached
result is the page. The TOC field around the entries is left as it is, so Word can still update it.
Without a page the entry keeps its title alone: no number is ever made up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from jpub.editions.docx.ooxml import el, w

_TOC = re.compile(r"^\s*TOC\b")


@dataclass(frozen=True)
class Entry:
    link: etree._Element  # the w:hyperlink holding the entry
    anchor: str  # the bookmark it links to: a heading's id
    title: str


def toc_paragraphs(body: etree._Element) -> list[etree._Element]:
    """The paragraphs inside the result of any TOC field (the 目次, and lists of figures beside it)."""
    out: list[etree._Element] = []
    depth, toc_depth = 0, 0  # field nesting; the nesting at which a TOC field is open (0: none)
    for paragraph in body.iterchildren(w("p")):
        inside = toc_depth > 0
        for node in paragraph.iter(w("fldChar"), w("instrText")):
            if node.tag == w("instrText"):
                if toc_depth == 0 and _TOC.match(node.text or ""):
                    toc_depth, inside = depth, True
                continue
            kind = node.get(w("fldCharType"))
            depth += {"begin": 1, "end": -1}.get(kind or "", 0)
            if toc_depth and depth < toc_depth:
                toc_depth = 0
        if inside:
            out.append(paragraph)
    return out


def _title_runs(link: etree._Element) -> list[etree._Element]:
    """The runs of an entry up to its tab: the title (what follows is its page number)."""
    runs = []
    for run in link.findall(w("r")):
        if run.find(w("tab")) is not None or run.find(w("fldChar")) is not None:
            break
        runs.append(run)
    return runs


def entries(body: etree._Element) -> list[Entry]:
    found = []
    for paragraph in toc_paragraphs(body):
        for link in paragraph.iterchildren(w("hyperlink")):
            anchor = link.get(w("anchor"))
            if anchor:
                title = "".join(t.text or "" for run in _title_runs(link) for t in run.iter(w("t")))
                found.append(Entry(link, anchor, title))
    return found


def _hidden_on_the_web(*children: etree._Element) -> Any:
    """A run Word hides in Web layout, as it marks a TOC's tab and page number (the \\z switch)."""
    return el("r", None, el("rPr", None, el("webHidden")), *children)


def set_page(entry: Entry, page: str | None) -> None:
    """The entry's title, then (when its page is known) the tab and the PAGEREF field cached with it."""
    keep = _title_runs(entry.link)
    for child in list(entry.link):
        if child not in keep:
            entry.link.remove(child)
    if page is None:
        return
    entry.link.extend(
        [
            _hidden_on_the_web(el("tab")),
            _hidden_on_the_web(el("fldChar", {"fldCharType": "begin"})),
            _hidden_on_the_web(el("instrText", None, text=f" PAGEREF {entry.anchor} \\h ")),
            _hidden_on_the_web(el("fldChar", {"fldCharType": "separate"})),
            _hidden_on_the_web(el("t", None, text=page)),
            _hidden_on_the_web(el("fldChar", {"fldCharType": "end"})),
        ]
    )
