"""Numbering figures and tables: by the schemes set in ``publish:``, or checking the numbers written by hand.

A kind with a scheme (``figure-number``, ``table-number``) gets its numbers here; the same scheme text for
both kinds makes one series (図表1-1, 図表1-2 for a figure and then a table). A kind without one keeps the
numbers its captions start with (図1-2　…); they are read as the scheme their shape implies (図1-2 →
図{chapter}-{n}), so the checks can say which number each should have, and Word can still number them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from jpub.crossref import scheme as scheme_mod
from jpub.crossref.scheme import Scheme
from jpub.crossref.targets import DASHES, WRITTEN, Found, Kind
from jpub.pandoc_ast import plain_text

SEPARATOR = "\u3000"  # between a generated number and the caption: 図1-2　研究開発の体制
NUMBER_CLASS = "figure-number"


@dataclass(frozen=True)
class Target:
    """A figure or table as every edition shows it."""

    index: int  # in document order, from 0
    kind: Kind
    id: str
    caption: str  # the caption's text without its number
    label: str  # the series (図, 表, 図表); "" when the target has no number
    before: str  # the number's text before the running number: 図1-
    n: int  # the running number; 0 when the target has no number
    after: str  # the number's text after the running number (第1図: 図)
    written: str = ""  # the number as the caption writes it, when written by hand
    restart: bool = False  # Word's SEQ field sets its value here (\r) instead of counting on
    outside: str = ""  # the unit the scheme names that the target is not inside (章), else ""
    scheme: str = ""  # the scheme it was numbered by (written by hand: the one its shape implies)

    @property
    def expected(self) -> str:
        """The number the scheme gives it: 図1-2."""
        return f"{self.before}{self.n}{self.after}" if self.n else ""

    @property
    def number(self) -> str:
        """The number as shown: written by hand, or the scheme's."""
        return self.written or self.expected

    @property
    def short(self) -> str:
        """The number without its label, for ``[-@fig:id]``: 1-2."""
        return re.sub(r"^\D+", "", self.number)

    @property
    def entry(self) -> str:
        """The caption as the 図表目次 lists it: 図1-2　研究開発の体制."""
        if not self.number:
            return self.caption
        return f"{self.number}{SEPARATOR}{self.caption}" if self.caption else self.number

    @property
    def fields_agree(self) -> bool:
        """Whether Word may number it with a SEQ field: a generated number, or a written one the scheme gives too."""
        return bool(self.n) and (not self.written or same_number(self.written, self.expected))


def same_number(a: str, b: str) -> bool:
    """図１－２ and 図1-2 are the same number."""

    def key(text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        return re.sub(f"[{re.escape(DASHES)}]", "-", text).replace(" ", "")

    return key(a) == key(b)


@dataclass(frozen=True)
class WrittenNumber:
    label: str
    text: str  # the whole number with its label: 図1-2
    parts: tuple[int, ...]
    separator: str


def written_number(caption: str) -> WrittenNumber | None:
    found = WRITTEN.match(caption.strip())
    if not found:
        return None
    label, digits = found.groups()
    pieces = re.split(f"[{re.escape(DASHES)}]", digits)
    separator = digits[len(pieces[0])] if len(pieces) > 1 else "-"
    return WrittenNumber(label, found.group(0), tuple(int(p) for p in pieces), separator)


def implied_schemes(found: list[Found], configured: dict[Kind, Scheme], has_parts: bool) -> dict[str, Scheme]:
    """For each label written by hand (on a kind without a scheme), the scheme most of its numbers follow."""
    shapes: dict[str, Counter[tuple[int, str]]] = {}
    for item in found:
        if item.kind in configured:
            continue
        number = written_number(plain_text(item.caption))
        if number:
            shapes.setdefault(number.label, Counter())[(len(number.parts), number.separator)] += 1
    implied = {}
    for label, counts in shapes.items():
        (parts, separator), _count = counts.most_common(1)[0]
        implied[label] = scheme_mod.written(label, parts, has_parts, separator)
    return implied


@dataclass
class _Series:
    opening: tuple[int | None, ...] = ()
    n: int = 0


def number(found: list[Found], configured: dict[Kind, Scheme], has_parts: bool) -> tuple[Target, ...]:
    """Each figure and table with its number (in document order); the captions are not changed here."""
    implied = implied_schemes(found, configured, has_parts)
    series: dict[str, _Series] = {}
    targets = []
    for index, item in enumerate(found):
        caption = plain_text(item.caption).strip()
        written = None if item.kind in configured else written_number(caption)
        chosen = configured.get(item.kind) or (implied[written.label] if written else None)
        if chosen is None:
            targets.append(Target(index, item.kind, item.id, caption, "", "", 0, ""))
            continue
        current = series.setdefault(chosen.text, _Series())
        opening = item.place.opening(chosen.scope) if chosen.scope else ()
        restart = opening != current.opening or current.n == 0
        if opening != current.opening:
            current.opening, current.n = opening, 0
        current.n += 1
        values = {unit: item.place.value(unit) or 0 for unit in chosen.units}
        outside = next((unit for unit in chosen.units if item.place.value(unit) is None), "")
        before, after = chosen.around(values)
        target = Target(index, item.kind, item.id, caption, chosen.label, before, current.n, after, scheme=chosen.text, restart=restart, outside=outside)
        if written:
            rest = caption[len(written.text) :].lstrip(" \u3000:：")
            target = replace(target, written=written.text, caption=rest, restart=True)
            in_place = all(values.get(unit) == part for unit, part in zip(chosen.units, written.parts[:-1], strict=False))
            if not same_number(written.text, target.expected) and len(written.parts) == len(chosen.fields) and in_place:
                current.n = written.parts[-1]  # count on from the written number: one slip is one finding
        targets.append(target)
    return tuple(targets)
