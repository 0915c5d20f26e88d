"""No 和欧間 at the head or the end of a line (JLReq 3.2.5): the margin of a ``wa-l`` span that begins a line
and of a ``wa-r`` span that ends one is taken out once the line is broken, so a line that begins with 「AI」 is
not indented by it and one that ends with it is flush. typography.refine puts the margins on the spans; where
the lines break is known only to the layout."""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes

START_CLASS, END_CLASS = "wa-l", "wa-r"
_INLINE = (boxes.LineBox, boxes.InlineBox)


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or box.element_tag.endswith(("::before", "::after", "::marker")):
        return set()
    return set((element.get("class") or "").split())


def _in_flow(box: Any) -> list[Any]:
    return [c for c in box.children if c.is_in_normal_flow() and not (isinstance(c, boxes.TextBox) and not c.text)]


def trim_start(line: Any) -> None:
    """Take the left margin off a ``wa-l`` span that begins ``line`` (at any depth of inline boxes with no left
    spacing of their own), moving it and everything after it left."""
    chain: list[tuple[Any, Any]] = []  # (parent, child) down to the span
    box = line
    while isinstance(box, _INLINE):
        kids = _in_flow(box)
        if not kids or not isinstance(kids[0], boxes.InlineBox):
            return
        first = kids[0]
        if first.margin_left and START_CLASS in _classes(first):
            margin = first.margin_left
            first.margin_left = 0
            first.translate(-margin, 0)  # its content moves to where its margin began...
            first.position_x += margin  # ...and the box itself stays at the line's start
            for parent, child in [*chain, (box, first)]:
                siblings = parent.children
                for sibling in siblings[siblings.index(child) + 1 :]:
                    sibling.translate(-margin, 0)
                parent.width -= margin
            return
        if first.margin_left or first.padding_left or first.border_left_width:
            return
        chain.append((box, first))
        box = first


def trim_end(line: Any) -> None:
    """Take the right margin off a ``wa-r`` span that ends ``line``."""
    chain: list[Any] = []  # the boxes that hold the span, which narrow with it
    box = line
    while isinstance(box, _INLINE):
        kids = _in_flow(box)
        if not kids or not isinstance(kids[-1], boxes.InlineBox):
            return
        last = kids[-1]
        if last.margin_right and END_CLASS in _classes(last):
            margin = last.margin_right
            last.margin_right = 0
            for parent in [*chain, box]:
                parent.width -= margin
            return
        if last.margin_right or last.padding_right or last.border_right_width:
            return
        chain.append(box)
        box = last
