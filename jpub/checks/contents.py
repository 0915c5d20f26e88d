"""In-body contents lists: a list of numbered titles must match the headings it announces."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jpub.checks.model import Finding, expected_found
from jpub.checks.view import GLYPHS, Doc, Heading, Item, numbered
from jpub.numbering import UNITS, UnitNumber

_MARKUP = re.compile(r"\*\*|__|\\(?=[^\w\s])")
_CAPTION = re.compile(r"構成|目次|^内容$")


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
    """Lists (as pandoc parsed them) whose every item is a numbered title of one unit. A list of one is a
    contents list when a caption announces it (「第1部の構成」, 「目次」) or it names the first heading it
    would announce, number and title: a 構成 cut to its first item."""
    for listed in doc.lists:
        entries = [_entry(item) for item in listed.items]
        if not entries or not all(entries) or len({e.unit.unit for e in entries if e}) != 1:
            continue
        found = [e for e in entries if e]
        if len(found) >= 2 or _CAPTION.search(_clean(listed.caption)) or _names_first(doc, found[0]):
            yield found


def _names_first(doc: Doc, entry: Entry) -> bool:
    targets = _targets(doc, [entry])
    first = targets[0].unit if targets else None
    return first is not None and entry.unit.value == first.value == 1 and _clean(first.title) == _clean(entry.unit.title)


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
    outer = [p for p in stack if (unit := doc.headings[p].unit) and UNITS.index(unit.unit) < rank]
    anchor = outer[-1] if outer else None
    anchor_unit = doc.headings[anchor].unit if anchor is not None else None
    direct = anchor_unit is not None and anchor_unit.unit == UNITS[rank - 1]
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


def _extra(entries: list[Entry], position: int, wanted: list[UnitNumber], j: int) -> bool:
    """An entry with no heading of its own, followed by the entry of the heading expected here."""
    following = entries[position + 1] if position + 1 < len(entries) else None
    values = [w.value for w in wanted]
    return following is not None and j < len(wanted) and entries[position].unit.value not in values and following.unit.value == wanted[j].value


def _compare(doc: Doc, entries: list[Entry], headings: list[Heading]) -> Iterator[Finding]:
    unit = entries[0].unit.unit
    wanted = [h.unit for h in headings if h.unit]
    j = 0
    previous = ""
    for position, entry in enumerate(entries):
        where = doc.at(entry.item.index, entry.item.start, _clean(entry.item.text)[:8] or None)
        if not wanted:
            subject = f"本文中の目次（箇条書き）の {entry.unit.label} は"
            yield Finding(where, expected_found(subject, f"この後の{unit}の見出しと対応", "対応する見出しなし"))
            continue
        values = [w.value for w in wanted]
        if j < len(wanted) and entry.unit.value == wanted[j].value:
            match = j
        elif _extra(entries, position, wanted, j):
            subject = f"本文中の目次（箇条書き）の {entry.unit.label} は"
            yield Finding(where, expected_found(subject, f"この後の{unit}の見出しと対応", "対応する見出しなし"))
            previous = entry.unit.label
            continue  # an entry too many: the next one is the expected heading
        else:
            subject = f"本文中の目次（箇条書き）の {previous} の次は" if previous else "本文中の目次（箇条書き）の最初は"
            shown = wanted[j].label if j < len(wanted) else "箇条書きの終わり"
            yield Finding(where, expected_found(subject, shown, entry.unit.label))
            match = values.index(entry.unit.value, j) if entry.unit.value in values[j:] else -1
        previous = entry.unit.label
        if match < 0:
            j += 1  # written in place of the expected one
            continue
        title, written = _clean(wanted[match].title), _clean(entry.unit.title)
        if title != written:
            yield Finding(where, expected_found(f"本文中の目次（箇条書き）の {entry.unit.label} の題名は", f"「{title}」", f"「{written}」"))
        j = match + 1
    if wanted and j < len(wanted):
        entry = entries[-1]
        where = doc.at(entry.item.index, entry.item.start, _clean(entry.item.text)[:8] or None)
        yield Finding(where, expected_found(f"本文中の目次（箇条書き）の {entry.unit.label} の次は", wanted[j].label, "箇条書きの終わり"))
