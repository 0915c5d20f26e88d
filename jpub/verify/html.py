"""Reading the web edition back: headings of <main>, the body text without the contents <nav>, the notes,
and the contents lists with where their links lead."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
from lxml.html import HtmlElement

from jpub.verify.compare import Report, compare_lists, short
from jpub.verify.reader import EditionReader
from jpub.verify.text import ReadHeading, normalise

if TYPE_CHECKING:
    from jpub.verify.expectations import Expected


def html_tree(path: Path) -> HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def _select(node: HtmlElement, path: str) -> list[HtmlElement]:
    """The elements an XPath selects: every path here selects elements only (lxml types the result loosely)."""
    return [found for found in node.xpath(path) if isinstance(found, HtmlElement)]


# pandoc's note calls (<a class="footnote-ref"><sup>1</sup></a>) and the endnotes they lead to
_NOTE_CALLS = "//a[contains(concat(' ', normalize-space(@class), ' '), ' footnote-ref ') or @role='doc-noteref']"
_NOTE_SECTIONS = "//*[@role='doc-endnotes' or @role='doc-footnote' or self::section[@id='footnotes']]"
_NOTE_BACKLINKS = ".//a[contains(concat(' ', normalize-space(@class), ' '), ' footnote-back ') or @role='doc-backlink']"


def html_text_without_calls(element: HtmlElement) -> str:
    """An element's text without the note calls in it: a heading that calls a note reads as its text."""
    element = copy.deepcopy(element)
    for call in _select(element, "." + _NOTE_CALLS):
        call.drop_tree()  # keeps the text after it
    return element.text_content()


def html_headings(path: Path, scope: str = "//main") -> list[ReadHeading]:
    root = html_tree(path)
    found = _select(root, f"{scope}//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")
    return [ReadHeading(int(str(h.tag)[1]), html_text_without_calls(h).strip()) for h in found]  # h1 … h6: a parsed tag is a str


def html_notes_text(path: Path) -> str:
    """The notes pandoc writes as endnotes, without their back-links (↩)."""
    root = html_tree(path)
    parts: list[str] = []
    for section in _select(root, _NOTE_SECTIONS):
        for link in _select(section, _NOTE_BACKLINKS):
            link.drop_tree()
        parts.append(section.text_content())
    return "\n".join(parts)


def html_text(path: Path) -> str:
    return html_tree(path).text_content()


@dataclass(frozen=True)
class TocLink:
    depth: int  # nesting depth of the entry's list, 1 for the outermost
    text: str
    href: str


def html_toc_nav(root: HtmlElement) -> HtmlElement | None:
    """The contents <nav>: the one with class toc, else the first <nav>."""
    found = _select(root, "//nav[contains(concat(' ', normalize-space(@class), ' '), ' toc ')]") or _select(root, "//nav")
    return found[0] if found else None


def html_tocs(path: Path) -> list[list[TocLink]] | None:
    """Each contents list in the contents <nav> (a page may carry one for narrow and one for wide screens)."""
    nav = html_toc_nav(html_tree(path))
    if nav is None:
        return None
    lists = [node for node in nav.iter("ul", "ol") if not any(a.tag in ("ul", "ol") or _is_figure_list(a) for a in _ancestors_below(node, nav))]
    found: list[list[TocLink]] = []
    for outer in lists:
        links: list[TocLink] = []
        for anchor in outer.iter("a"):
            depth = sum(1 for a in _ancestors_below(anchor, nav) if a.tag in ("ul", "ol"))
            links.append(TocLink(depth, anchor.text_content().strip(), anchor.get("href", "")))
        found.append(links)
    return found


def _is_figure_list(element: HtmlElement) -> bool:
    """The 図表目次 beside the 目次 in the contents <nav> (verify reads it with the captions)."""
    return "lof" in (element.get("class") or "").split()


def _ancestors_below(node: HtmlElement, top: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for ancestor in node.iterancestors():
        if ancestor is top:
            break
        found.append(ancestor)
    return found


def html_body_text(path: Path) -> str:
    """The text of <body> without the contents, scripts and styles."""
    root = html_tree(path)
    body = root.find("body") if root.tag != "body" else root
    body = body if body is not None else root
    for node in _select(body, ".//nav | .//script | .//style | .//template" + " | ." + _NOTE_SECTIONS + " | ." + _NOTE_CALLS):
        node.drop_tree()
    return body.text_content()


def compare_toc(report: Report, path: Path, want: Expected) -> None:
    lists = html_tocs(path)
    if lists is None:
        report.error("verify-toc", "目次（<nav>）がありません")
        return
    if not lists:
        report.error("verify-toc", "目次（<nav>）に項目の一覧がありません")
    root = html_tree(path)
    for links in lists:
        compare_lists(report, "verify-toc", "目次の項目", want.toc, [ReadHeading(link.depth, link.text) for link in links])
        for link in links:
            target = root.get_element_by_id(link.href[1:], None) if link.href.startswith("#") else None
            if target is None:
                report.error("verify-toc", f"目次のリンク先がありません: 「{link.text}」（{link.href or 'href なし'}）")
            elif normalise(target_text := html_text_without_calls(target)) != normalise(link.text):
                report.error("verify-toc", f"目次のリンク先が違う見出しです: 「{link.text}」→「{short(target_text)}」")


def reader() -> EditionReader:
    from jpub.verify.html_figures import compare_figures

    return EditionReader(headings=html_headings, text=html_body_text, toc=compare_toc, notes=html_notes_text, figures=compare_figures)
