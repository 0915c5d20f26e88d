"""Numbered headings (第N部/章/節/項): sequence, parents, heading levels, and the form of the numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from jpub.checks.model import Finding, Place, expected_found
from jpub.checks.view import Doc, Heading, numbered
from jpub.numbering import UNITS, UnitNumber

MARKS = {1: "#", 2: "##", 3: "###", 4: "####", 5: "#####", 6: "######"}
SEPARATOR_NAMES = {" ": "半角空白", "\u3000": "全角空白", "": "区切りなし"}
FORM_NAMES = {"arabic": "半角数字", "fullwidth": "全角数字", "kanji": "漢数字"}


def _numbered(doc: Doc) -> list[tuple[Heading, UnitNumber]]:
    """Every numbered heading, with its number."""
    return [(h, h.unit) for h in doc.headings if h.unit]


def _parent_unit(doc: Doc, heading: Heading) -> UnitNumber | None:
    """The number of the numbered heading ``heading`` sits in, if it sits in one."""
    return doc.headings[heading.parent].unit if heading.parent is not None else None


def _at(doc: Doc, heading: Heading) -> Place:
    return doc.at(heading.index, heading.start, heading.text[:12] or None)


def _label(unit: UnitNumber, value: int | None = None) -> str:
    return f"第{unit.value if value is None else value}{unit.unit}"


def start(doc: Doc) -> Iterator[Finding]:
    """The first 章 under each 部 (節 under each 章, 項 under each 節) is number 1."""
    yield from (finding for kind, finding in _sequence(doc) if kind == "start")


def sequence(doc: Doc) -> Iterator[Finding]:
    """Each number is the previous one plus 1: no gap, no duplicate, no going back."""
    yield from (finding for kind, finding in _sequence(doc) if kind == "next")


def _sequence(doc: Doc) -> Iterator[tuple[str, Finding]]:
    last: dict[tuple[int | None, str], int] = {}
    for heading, unit in _numbered(doc):
        key = (heading.parent, unit.unit)
        previous = last.get(key)
        last[key] = unit.value
        where = _at(doc, heading)
        if previous is None and unit.value != 1:
            above = _parent_unit(doc, heading)
            parent = _label(above) if above else "文書"
            message = expected_found(f"{parent} の最初の{unit.unit}は", _label(unit, 1), _label(unit))
            yield "start", Finding(where, message)
        elif previous is not None and unit.value != previous + 1:
            message = expected_found(f"{_label(unit, previous)} の次は", _label(unit, previous + 1), _label(unit))
            yield "next", Finding(where, message)


def parent(doc: Doc) -> Iterator[Finding]:
    """A unit sits inside its parent unit: 項 in a 節, 節 in a 章, 章 in a 部 when the document has 部."""
    numbered_headings = _numbered(doc)
    used = {unit.unit for _heading, unit in numbered_headings}
    top = min((UNITS.index(u) for u in used), default=0)
    for heading, unit in numbered_headings:
        rank = UNITS.index(unit.unit)
        if rank <= top:
            continue
        wanted = UNITS[rank - 1]
        above = _parent_unit(doc, heading)
        if above is None or above.unit != wanted:
            found = f"{_label(above)} の直下" if above else "上位の見出しなし"
            where = _at(doc, heading)
            yield Finding(where, expected_found(f"{_label(unit)} は", f"{wanted} の中", found))


def expected_levels(doc: Doc) -> dict[str, int]:
    """Each unit's heading level, inferred from the document: its usual level, deeper than the unit above."""
    levels: dict[str, Counter[int]] = {}
    for heading, number in _numbered(doc):
        levels.setdefault(number.unit, Counter())[heading.level] += 1
    expected: dict[str, int] = {}
    floor = 0
    for unit in UNITS:
        if unit in levels:
            usual = min(levels[unit].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            expected[unit] = max(usual, floor + 1)
            floor = expected[unit]
    return expected


def level(doc: Doc) -> Iterator[Finding]:
    """Every 章 at one heading level (every 節, 項, 部 too), each unit deeper than the one above it."""
    expected = expected_levels(doc)
    for heading, unit in _numbered(doc):
        want = expected[unit.unit]
        if heading.level != want:
            where = _at(doc, heading)
            subject = f"{_label(unit)} の見出しレベルは"
            yield Finding(where.at_column(1), expected_found(subject, MARKS.get(want, "#" * want), "#" * heading.level))


def skip(doc: Doc) -> Iterator[Finding]:
    """No heading level is skipped on the way down (# then ###)."""
    previous = 0
    for heading in doc.headings:
        if previous and heading.level > previous + 1:
            where = doc.at(heading.index, 0)
            message = expected_found(f"{'#' * previous} の次の見出しは", f"{'#' * (previous + 1)} まで", "#" * heading.level)
            yield Finding(where.at_column(1), message)
        previous = heading.level


def _labels(doc: Doc) -> Iterator[tuple[int, int, UnitNumber]]:
    """Every number written as a heading or a list item: (line index, column of 第, unit)."""
    for heading, unit in _numbered(doc):
        yield heading.index, heading.start, unit
    for item in (item for listed in doc.lists for item in listed.items):
        written = numbered(item.text)
        if written:
            yield item.index, item.start, written


def _written(unit: UnitNumber) -> str:
    return f"第{unit.digits}{unit.unit}"


def width(doc: Doc) -> Iterator[Finding]:
    """Digits of heading numbers have one width: 第１章 among 第2章 is flagged."""
    labels = [x for x in _labels(doc) if x[2].form != "kanji"]
    forms = Counter(unit.form for _i, _c, unit in labels)
    if len(forms) < 2:
        return
    usual = "arabic" if forms["arabic"] >= forms["fullwidth"] else "fullwidth"
    for index, column, unit in labels:
        if unit.form != usual:
            where = doc.at(index, column, _written(unit))
            yield Finding(where, expected_found("番号の数字は", f"{FORM_NAMES[usual]}（{_as(unit, usual)}）", f"{FORM_NAMES[unit.form]}（{_written(unit)}）"))


def kanji(doc: Doc) -> Iterator[Finding]:
    """Kanji numerals (第二節) in a document that numbers with Arabic digits."""
    labels = list(_labels(doc))
    if not any(unit.form != "kanji" for _i, _c, unit in labels):
        return
    usual = Counter(u.form for _i, _c, u in labels if u.form != "kanji").most_common(1)[0][0]
    for index, column, unit in labels:
        if unit.form == "kanji":
            where = doc.at(index, column, _written(unit))
            yield Finding(where, expected_found("番号は", f"算用数字（{_as(unit, usual)}）", f"漢数字（{_written(unit)}）"))


def _as(unit: UnitNumber, form: str) -> str:
    digits = str(unit.value)
    if form == "fullwidth":
        digits = "".join(chr(ord(ch) + 0xFEE0) for ch in digits)  # 0-9 → ０-９
    return f"第{digits}{unit.unit}"


def separator(doc: Doc) -> Iterator[Finding]:
    """One separator between number and title throughout (the document's usual one)."""
    labels = [x for x in _labels(doc) if x[2].title]
    counts = Counter(unit.separator for _i, _c, unit in labels)
    if len(counts) < 2:
        return
    usual = min(counts.items(), key=lambda kv: (-kv[1], kv[0] != " "))[0]
    for index, column, unit in labels:
        if unit.separator != usual:
            where = doc.at(index, column, _written(unit))
            yield Finding(where, expected_found(f"{_written(unit)} の番号と題名の区切りは", _name(usual), _name(unit.separator)))


def _name(separator: str) -> str:
    return SEPARATOR_NAMES.get(separator, f"「{separator}」")
