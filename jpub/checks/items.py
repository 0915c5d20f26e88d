"""Item numbers below the numbered headings (第1 → 1 → （1） → ア → （ア） → a → （a）), written as headings or at
the start of paragraphs and list items: each starts at 1 under its parent, runs on without gaps or
repeats, keeps the ladder's order, and each level keeps one form.

The numbers are read from the lines as written, not from pandoc's parse: pandoc turns ``(1)`` paragraphs
into an ordered list and numbers it itself, so a gap in the source would not show in the parse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from jpub import item_numbers as markers
from jpub.checks.model import Finding, Place, expected_found
from jpub.checks.view import NUMBER_PREFIX, Doc, Heading

_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+][ \t]+)?(?:#{1,6}[ \t]+)?(?:\*\*|__)?")
_ESCAPE = re.compile(r"\\(?=[^\w\s])")


@dataclass(frozen=True)
class Node:
    """A heading, or an item number at the start of a heading, paragraph or list item, in document order."""

    index: int  # rendered line
    column: int  # where the number starts in the line
    marker: markers.Marker | None  # None for a heading without an item number
    level: int  # heading level; 0 for a paragraph or list item
    heading: Heading | None
    list_id: int  # the ordered list the item belongs to, -1 otherwise


def reader(doc: Doc) -> markers.Reader:
    return markers.Reader(markers.ladder(doc.ladder))


def read_at(read: markers.Reader, text: str) -> tuple[int, markers.Marker | None]:
    """(column where the text starts after list bullets, #s and **, the item number there)."""
    start = _PREFIX.match(text)
    column = start.end() if start else 0
    rest = _ESCAPE.sub("", text[column:])
    return column, read.read(rest)


def lead_end(doc: Doc, text: str) -> int:
    """Where the number at the start of a line (第1章, （1）, ア) and the space after it end; -1 without one."""
    number = NUMBER_PREFIX.match(text)
    if number:
        return number.end()
    column, marker = read_at(reader(doc), text)
    return column + marker.end if marker else -1


def nodes(doc: Doc) -> list[Node]:
    read = reader(doc)
    headings = {heading.index: heading for heading in doc.headings}
    found: list[Node] = []
    for block in doc.blocks:
        if block.cover or block.first < 0 or block.kind not in ("Header", "Para", "Plain"):
            continue
        column, marker = read_at(read, doc.lines[block.first].prose)
        list_id = block.item[0] if block.item and block.ordered else -1
        if block.kind == "Header":
            heading = headings.get(block.first)
            if heading is not None and heading.unit is None:
                found.append(Node(block.first, column, marker, block.level, heading, list_id))
            elif heading is not None:
                found.append(Node(block.first, column, None, block.level, heading, list_id))
        elif marker is not None:
            found.append(Node(block.first, column, marker, 0, None, list_id))
    return found


@dataclass(frozen=True)
class Placed:
    node: Node
    parent: Node | None
    first: bool  # the first number of its level under its parent
    previous: markers.Marker | None  # the number before it at its level under its parent
    deeper_before: markers.Marker | None  # a number of a deeper level written before it under the same parent
    auto: bool  # in an ordered list numbered by the renderer (1. 1. 1.): its written values say nothing


def placed(doc: Doc) -> Iterator[Placed]:
    """Every item number with its parent: the nearest heading or shallower item number above it."""
    found = nodes(doc)
    auto = _auto_numbered(found)
    stack: list[Node] = []
    last: dict[tuple[int, int], markers.Marker] = {}  # (id of parent, rank) → last number
    deepest: dict[int, markers.Marker] = {}  # id of parent → the deepest number written directly under it
    for node in found:
        if node.heading is not None:  # a heading closes the paragraphs' numbers and the headings at its level or below
            while stack and (stack[-1].heading is None or stack[-1].level >= node.level or _closes(node, stack[-1])):
                stack.pop()
        else:
            marker = node.marker
            assert marker is not None  # a node that is no heading is an item number
            while stack and (above := stack[-1].marker) is not None and above.rank >= marker.rank:
                stack.pop()
        parent = stack[-1] if stack else None
        stack.append(node)
        if node.marker is None:
            continue
        key = id(parent) if parent else 0
        previous = last.get((key, node.marker.rank))
        deeper = deepest.get(key)
        last[(key, node.marker.rank)] = node.marker
        if deeper is None or node.marker.rank > deeper.rank:
            deepest[key] = node.marker
        yield Placed(node, parent, previous is None, previous, deeper if deeper and deeper.rank > node.marker.rank else None, node.list_id in auto)


def _closes(heading: Node, open_node: Node) -> bool:
    """A heading with an item number closes the numbers of its level and deeper, whatever their heading level."""
    return heading.marker is not None and open_node.marker is not None and open_node.marker.rank >= heading.marker.rank


def _auto_numbered(found: list[Node]) -> set[int]:
    """Ordered lists whose every item is written with the same number (1. 1. 1.): the renderer numbers them."""
    values: dict[int, set[int]] = {}
    counts: Counter[int] = Counter()
    for node in found:
        if node.list_id >= 0 and node.marker is not None:
            values.setdefault(node.list_id, set()).add(node.marker.value)
            counts[node.list_id] += 1
    return {list_id for list_id, seen in values.items() if len(seen) == 1 and counts[list_id] > 1}


def _where(doc: Doc, node: Node) -> Place:
    marker = node.marker
    return doc.at(node.index, node.column, marker.written if marker else None)


def _label(doc: Doc, marker: markers.Marker, value: int) -> str:
    """Another number of a marker's level, in the form the marker is written in: (3) after (2)."""
    return markers.render_form(marker.form, markers.ladder(doc.ladder)[marker.rank].counter, value)


def _parent_name(node: Node | None) -> str:
    if node is None:
        return "文書"
    if node.marker is not None:
        return node.marker.written
    heading = node.heading
    assert heading is not None
    return heading.unit.label if heading.unit else f"「{heading.text[:16]}」"


def start(doc: Doc) -> Iterator[Finding]:
    """The first number of each level under each parent (heading or number) is 1: （1）, ア, a."""
    for item in placed(doc):
        marker = item.node.marker
        assert marker is not None
        if item.first and marker.value != 1 and not item.auto:
            wanted = _label(doc, marker, 1)
            yield Finding(_where(doc, item.node), expected_found(f"{_parent_name(item.parent)} の下の最初の番号は", wanted, marker.written))


def sequence(doc: Doc) -> Iterator[Finding]:
    """Each number is the one before it at its level plus 1: no gap, no repeat, no going back."""
    for item in placed(doc):
        marker, previous = item.node.marker, item.previous
        assert marker is not None
        if previous is not None and marker.value != previous.value + 1 and not item.auto:
            wanted = _label(doc, marker, previous.value + 1)
            yield Finding(_where(doc, item.node), expected_found(f"{previous.written} の次は", wanted, marker.written))


def order(doc: Doc) -> Iterator[Finding]:
    """Levels in the ladder's order: ア is not written above （1）, and （1） is followed by ア, not （ア）."""
    levels = markers.ladder(doc.ladder)
    reported: set[tuple[int, int]] = set()
    for item in placed(doc):
        marker, parent = item.node.marker, item.parent
        assert marker is not None
        key = (id(parent), marker.rank)
        if item.deeper_before is not None and key not in reported:
            reported.add(key)
            deeper = item.deeper_before
            message = expected_found(f"{marker.written} は", f"{deeper.written} より上の階層（{_ladder_text(levels)}）", f"{deeper.written} の後")
            yield Finding(_where(doc, item.node), message)
        elif parent is not None and parent.marker is not None and marker.rank > parent.marker.rank + 1 and key not in reported:
            reported.add(key)
            wanted = levels[parent.marker.rank + 1].label(1)
            message = expected_found(f"{parent.marker.written} の下の番号は", f"{wanted} から", marker.written, _ladder_text(levels))
            yield Finding(_where(doc, item.node), message)


def _ladder_text(levels: tuple[markers.Level, ...]) -> str:
    return "→".join(level.example for level in levels)


def form(doc: Doc) -> Iterator[Finding]:
    """One form for each level: （1） and (1), or ア and ｱ, are not mixed; a declared order sets the form."""
    levels = markers.ladder(doc.ladder)
    items = list(placed(doc))
    forms: dict[int, Counter[str]] = {}
    for item in items:
        marker = item.node.marker
        assert marker is not None
        forms.setdefault(marker.rank, Counter())[marker.form] += 1
    for item in items:
        marker = item.node.marker
        assert marker is not None
        declared = markers.form_of(levels[marker.rank].example, levels[marker.rank].counter) if doc.ladder else None
        usual = declared or min(forms[marker.rank].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if marker.form != usual and (declared or len(forms[marker.rank]) > 1):
            wanted = markers.render_form(usual, levels[marker.rank].counter, marker.value)
            note = "publish: numbering の書式" if declared else "文書の多数派"
            yield Finding(_where(doc, item.node), expected_found("番号の書式は", wanted, marker.written, note))
