"""The 第N部/章/節/項 numbering of Japanese official documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = ("部", "章", "節", "項")  # outermost first
ID_PREFIX = {"部": "part", "章": "chapter", "節": "section", "項": "item"}

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBERED = re.compile(r"^第([0-9０-９〇一二三四五六七八九十百]+)(部|章|節|項)([\s　:：.．、]*)(.*)$")


@dataclass(frozen=True)
class UnitNumber:
    """A parsed 第N○ prefix: 第１章 → value 1, digits '１', form 'fullwidth'."""

    unit: str
    value: int
    digits: str
    separator: str
    title: str

    @property
    def form(self) -> str:
        if self.digits.isascii():
            return "arabic"
        if all("０" <= ch <= "９" for ch in self.digits):
            return "fullwidth"
        return "kanji"

    @property
    def label(self) -> str:
        return f"第{self.value}{self.unit}"


def kanji_value(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 百五 → 105; digit-by-digit forms (一〇) too."""
    if "十" not in text and "百" not in text:
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        else:
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
    return total + current


def digits_value(digits: str) -> int:
    if all(ch.isdigit() for ch in digits):
        return int(digits)  # int() reads full-width digits too
    return kanji_value(digits)


def parse(text: str) -> UnitNumber | None:
    """The unit number at the start of a heading's text, or None for an unnumbered heading."""
    found = _NUMBERED.match(text.strip())
    if not found:
        return None
    digits, unit, separator, title = found.groups()
    try:
        value = digits_value(digits)
    except (KeyError, ValueError):
        return None
    return UnitNumber(unit, value, digits, separator, title.strip())
