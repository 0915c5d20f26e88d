"""In-body contents lists: a list of numbered titles must match the headings it announces."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jpub.checks.model import Finding, expected_found
from jpub.checks.view import GLYPHS, Doc, Heading, Item, numbered
from jpub.numbering import UNITS, UnitNumber

_MARKUP = re.compile(r"\*\*|__|\\(?=[^\w\s])")


@dataclass(frozen=True)
class Entry:
    item: Item
    unit: UnitNumber


def _clean(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split())


def _entry(item: Item) -> Entry | None:
    unit = numbered(_clean(item.text).lstrip(GLYPHS + " \u3000"))
    return Entry(item, unit) if unit and (unit.separator or not unit.title) else None


def _lists(doc: Doc) -> Iterator[list[Entry]]:
    """Runs of sibling list items whose every item is a numbered title of one unit."""
    group: list[Item] = []
    for item in doc.items:
        if group and item.indent > group[-1].indent and not _interrupted(doc, group[-1], item):
            continue  # a nested item belongs to the item above it
        if group and (item.indent != group[-1].indent or _interrupted(doc, group[-1], item)):
            yield from _as_contents(group)
            group = []
        group.append(item)
    yield from _as_contents(group)


def _interrupted(doc: Doc, before: Item, after: Item) -> bool:
    for index in range(before.index + 1, after.index):
        text = doc.lines[index].text
        if text.strip() and len(text) - len(text.lstrip()) <= before.indent:
            return True
    return False


def _as_contents(group: list[Item]) -> Iterator[list[Entry]]:
    entries = [_entry(item) for item in group]
    if len(entries) >= 2 and all(entries) and len({e.unit.unit for e in entries if e}) == 1:
        yield [e for e in entries if e]


def _targets(doc: Doc, entries: list[Entry]) -> list[Heading]:
    """The headings the list announces: that unit, below the list, inside the enclosing outer unit."""
    first, last = entries[0].item.index, entries[-1].item.index
    rank = UNITS.index(entries[0].unit.unit)
    stack: list[int] = []  # positions in doc.headings of the open headings above the list
    for pos, heading in enumerate(doc.headings):
        if heading.index > first:
            break
        while stack and doc.headings[stack[-1]].level >= heading.level:
            stack.pop()
        stack.append(pos)
    outer = [p for p in stack if doc.headings[p].unit and UNITS.index(doc.headings[p].unit.unit) < rank]  # type: ignore[union-attr]
    anchor = outer[-1] if outer else None
    direct = anchor is not None and doc.headings[anchor].unit.unit == UNITS[rank - 1]  # type: ignore[union-attr]
    found = []
    for heading in doc.headings:
        if heading.index <= last:
            continue
        if anchor is not None and heading.level <= doc.headings[anchor].level:
            break
        if heading.unit and heading.unit.unit == UNITS[rank] and (not direct or heading.parent == anchor):
            found.append(heading)
    return found


def contents_list(doc: Doc) -> Iterator[Finding]:
    """Numbers, titles and order of a contents list against the headings; nothing missing or extra."""
    for entries in _lists(doc):
        yield from _compare(doc, entries, _targets(doc, entries))


def _compare(doc: Doc, entries: list[Entry], headings: list[Heading]) -> Iterator[Finding]:
    unit = entries[0].unit.unit
    wanted = [h.unit for h in headings if h.unit]
    j = 0
    previous = ""
    for entry in entries:
        line, column = doc.at(entry.item.index, entry.item.start, _clean(entry.item.text)[:8] or None)
        if not wanted:
            subject = f"本文中の目次（箇条書き）の {entry.unit.label} は"
            yield Finding(line, column, expected_found(subject, f"この後の{unit}の見出しと対応", "対応する見出しなし"))
            continue
        values = [w.value for w in wanted]
        if j < len(wanted) and entry.unit.value == wanted[j].value:
            match = j
        else:
            subject = f"本文中の目次（箇条書き）の {previous} の次は" if previous else "本文中の目次（箇条書き）の最初は"
            shown = wanted[j].label if j < len(wanted) else "箇条書きの終わり"
            yield Finding(line, column, expected_found(subject, shown, entry.unit.label))
            match = values.index(entry.unit.value, j) if entry.unit.value in values[j:] else -1
        previous = entry.unit.label
        if match < 0:
            j += 1  # written in place of the expected one
            continue
        title, written = _clean(wanted[match].title), _clean(entry.unit.title)
        if title != written:
            yield Finding(line, column, expected_found(f"本文中の目次（箇条書き）の {entry.unit.label} の題名は", f"「{title}」", f"「{written}」"))
        j = match + 1
    if wanted and j < len(wanted):
        entry = entries[-1]
        line, column = doc.at(entry.item.index, entry.item.start, _clean(entry.item.text)[:8] or None)
        yield Finding(line, column, expected_found(f"本文中の目次（箇条書き）の {entry.unit.label} の次は", wanted[j].label, "箇条書きの終わり"))
