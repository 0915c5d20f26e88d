"""Japanese eras (元号): ranges and conversion to the era form used on covers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    first_day: dt.date
    last_day: dt.date | None  # None for the current era

    def year_of(self, gregorian: int) -> int:
        return gregorian - self.first_day.year + 1

    def gregorian(self, era_year: int) -> int:
        return self.first_day.year + era_year - 1


ERAS = (
    Era("明治", dt.date(1868, 10, 23), dt.date(1912, 7, 29)),
    Era("大正", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    Era("昭和", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("平成", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("令和", dt.date(2019, 5, 1), None),
)
BY_NAME = {era.name: era for era in ERAS}


def era_of(day: dt.date) -> Era:
    for era in reversed(ERAS):
        if day >= era.first_day:
            return era
    raise ValueError(f"{day} is before 明治")


def era_date(day: dt.date) -> str:
    """2024-06-11 → 令和6年6月11日; the first year is written 元年."""
    era = era_of(day)
    year = era.year_of(day.year)
    return f"{era.name}{'元' if year == 1 else year}年{day.month}月{day.day}日"


_ERA_DATE = re.compile(r"^\s*(明治|大正|昭和|平成|令和)\s*(元|\d+)\s*年\s*(\d+)\s*月\s*(\d+)\s*日\s*$")


def parse_era_date(text: str) -> dt.date | None:
    """令和7年6月10日 (or 令和元年5月1日) → the date; None when the text is not such a date or not a real day."""
    found = _ERA_DATE.match(text)  # \d and int() take full-width digits as they are
    if not found:
        return None
    name, year, month, day = found.groups()
    era = BY_NAME[name]
    try:
        date = dt.date(era.gregorian(1 if year == "元" else int(year)), int(month), int(day))
    except ValueError:
        return None
    inside = date >= era.first_day and (era.last_day is None or date <= era.last_day)
    return date if inside else None
