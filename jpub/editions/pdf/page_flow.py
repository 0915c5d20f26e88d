"""Where pages break: the page-flow setting of 部 and 章, and the explicit ``::: pagebreak``.

An empty ``::: pagebreak`` (pandoc's ``\\newpage`` is read as one, jpub/pandoc_ast.py) becomes a forced break
before the block that follows it — class ``break-before`` — and the div itself goes: a div of its own would be a
box that a break before a 部 heading, a second pagebreak or the end of the document leaves alone on a page of
its own. So a break that would make an empty page is never made: two breaks in a row, or one before a heading
that opens a page anyway, are one break; one at the end of the document is none. A pagebreak div with content
breaks before itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml.html import HtmlElement

from jpub.pandoc_ast import PAGE_BREAK

BREAK_CLASS = "break-before"
# The setting's values as CSS break-before values.
BREAK_BEFORE = {"new-page": "page", "recto": "recto", "run-on": "auto"}


def break_before(page_flow: Mapping[str, str]) -> dict[str, str]:
    """{"part": …, "chapter": …} as CSS ``break-before`` values."""
    return {unit: BREAK_BEFORE[flow] for unit, flow in page_flow.items()}


def _is_break(element: HtmlElement) -> bool:
    return element.tag == "div" and PAGE_BREAK in (element.get("class") or "").split()


def _is_empty(element: HtmlElement) -> bool:
    return len(element) == 0 and not (element.text or "").strip()


def _following(element: HtmlElement, scope: HtmlElement) -> HtmlElement | None:
    """The element after ``element``, climbing out of the blocks it ends (a pagebreak at the end of a div
    breaks before what follows the div), but not out of ``scope``."""
    while element is not scope:
        sibling = element.getnext()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()  # a comment
        if sibling is not None:
            return sibling
        parent = element.getparent()
        assert parent is not None  # scope is an ancestor: the climb stops there
        element = parent
    return None


def _add_break(element: HtmlElement) -> None:
    classes = (element.get("class") or "").split()
    if BREAK_CLASS not in classes:
        element.set("class", " ".join([*classes, BREAK_CLASS]))


def _drop(element: HtmlElement) -> None:
    """Remove ``element`` but not the text after it."""
    parent, tail = element.getparent(), element.tail
    assert parent is not None  # a div inside <main>
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def mark_breaks(root: HtmlElement) -> None:
    """Turn the body's pagebreak divs into ``break-before`` classes on what follows them (see the docstring)."""
    main = root.find(".//main")
    if main is None:
        return
    for div in [el for el in main.iter("div") if _is_break(el)]:
        if not _is_empty(div):
            _add_break(div)
            continue
        target = _following(div, main)
        while target is not None and _is_break(target) and _is_empty(target):
            target = _following(target, main)
        if target is not None:
            _add_break(target)
        _drop(div)
