"""Era dates (令和・平成…) and calendar dates: years that exist, dates inside their era, paired years."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from jpub.checks.model import Finding, Place, expected_found
from jpub.checks.view import Doc
from jpub.eras import BY_NAME, Era, era_of

_N = "[0-9０-９]"
_ERA_NAMES = "明治|大正|昭和|平成|令和"
_DATE = re.compile(
    rf"(?P<era>{_ERA_NAMES})(?P<ey>元|{_N}{{1,2}})年(?P<efy>度)?(?:(?P<em>{_N}{{1,2}})月(?:(?P<ed>{_N}{{1,2}})日)?)?"
    rf"(?:[（(](?P<pg>{_N}{{4}})年(?P<pgfy>度)?[）)])?"
    rf"|(?<![0-9０-９])(?P<gy>{_N}{{4}})年(?P<gfy>度)?(?:(?P<gm>{_N}{{1,2}})月(?:(?P<gd>{_N}{{1,2}})日)?)?"
    rf"(?:[（(](?P<pera>{_ERA_NAMES})(?P<pey>元|{_N}{{1,2}})年(?P<pefy>度)?[）)])?"
    rf"|(?<![0-9０-９.．])(?P<mm>{_N}{{1,2}})月(?:(?P<md>{_N}{{1,2}})日)?"
)


@dataclass(frozen=True)
class Found:
    where: Place
    text: str
    groups: dict[str, str | None]


def _int(text: str | None) -> int | None:
    if not text:
        return None
    return 1 if text == "元" else int(text)  # int() reads full-width digits too


def _dates(doc: Doc) -> Iterator[Found]:
    for line in doc.lines:
        if line.code or not any(ch in line.prose for ch in "年月"):
            continue
        for match in _DATE.finditer(line.prose):
            where = doc.at(line.index, match.start(), match.group(0))
            yield Found(where, match.group(0), match.groupdict())


def _max_year(era: Era) -> int | None:
    return era.year_of(era.last_day.year) if era.last_day else None


def _era_form(day: dt.date, fiscal: bool = False) -> str:
    era = era_of(day)
    year = era.year_of(day.year)
    return f"{era.name}{'元' if year == 1 else year}年{'度' if fiscal else ''}"


def _era_dates(doc: Doc) -> Iterator[tuple[Found, Era, int, int | None, bool]]:
    """(match, era, era year, the era's last year, whether that year existed) for every era date."""
    for found in _dates(doc):
        if found.groups["era"]:
            era, year = BY_NAME[found.groups["era"]], _int(found.groups["ey"]) or 0
            last = _max_year(era)
            yield found, era, year, last, 1 <= year and (last is None or year <= last)


def era_year(doc: Doc) -> Iterator[Finding]:
    """An era year that never existed: 令和0年, 平成32年, 昭和65年, 大正16年, 明治46年."""
    for found, era, year, last, existed in _era_dates(doc):
        g = found.groups
        if not existed:
            limit = f"{era.name}元年〜{last}年" if last else f"{era.name}元年以降"
            note = f"{era.gregorian(year)}年は {_era_form(dt.date(era.gregorian(year), 12, 31))}" if year >= 1 and era.gregorian(year) >= 1868 else ""
            yield Finding(found.where, expected_found("元号の年は", limit, f"{era.name}{g['ey']}年", note))


def era_range(doc: Doc) -> Iterator[Finding]:
    """A date outside its era: 平成31年5月, 令和元年4月, 昭和64年1月8日, 昭和64年度."""
    for found, era, year, _last, existed in _era_dates(doc):
        g = found.groups
        if not existed:
            continue  # era-year reports it
        gregorian = era.gregorian(year)
        month, day = _int(g["em"]), _int(g["ed"])
        written = f"{era.name}{g['ey']}年{'度' if g['efy'] else ''}"
        if g["efy"]:
            april = dt.date(gregorian, 4, 1)
            if not _inside(era, april, april) and written != "令和元年度":
                yield Finding(found.where, expected_found(f"{gregorian}年度は", _era_form(april, True), written))
            continue
        if month is None or not 1 <= month <= 12:
            continue
        if day is not None:
            if not 1 <= day <= calendar.monthrange(gregorian, month)[1]:
                continue  # date-invalid reports it
            first = final = dt.date(gregorian, month, day)
        else:
            first, final = dt.date(gregorian, month, 1), dt.date(gregorian, month, calendar.monthrange(gregorian, month)[1])
        if not _inside(era, first, final):
            right = _era_form(final if final < era.first_day else first)
            shown = f"{right}{month}月" + (f"{day}日" if day else "")
            yield Finding(
                found.where,
                expected_found(f"{gregorian}年{month}月" + (f"{day}日" if day else "") + " は", shown, f"{written}{month}月" + (f"{day}日" if day else "")),
            )


def _inside(era: Era, first: dt.date, final: dt.date) -> bool:
    """The span [first, final] meets the era; 明治 is checked by year only (its start is reckoned from 1 January)."""
    begins = dt.date(era.first_day.year, 1, 1) if era.name == "明治" else era.first_day
    return final >= begins and (era.last_day is None or first <= era.last_day)


def era_gregorian(doc: Doc) -> Iterator[Finding]:
    """A Gregorian year in parentheses that disagrees: 令和7年（2024年）, 2024年（令和5年）."""
    for found in _dates(doc):
        g = found.groups
        if g["era"] and g["pg"]:
            era, year = BY_NAME[g["era"]], _int(g["ey"]) or 0
            fiscal = "度" if g["efy"] else ""
            if _int(g["pg"]) != era.gregorian(year) and year >= 1:
                subject = f"{era.name}{g['ey']}年{fiscal} は"
                yield Finding(found.where, expected_found(subject, f"{era.gregorian(year)}年{fiscal}", f"{g['pg']}年{g['pgfy'] or ''}"))
        elif g["gy"] and g["pera"]:
            era, year, gregorian = BY_NAME[g["pera"]], _int(g["pey"]) or 0, _int(g["gy"]) or 0
            if era.gregorian(year) != gregorian:
                fiscal = "度" if g["gfy"] else ""
                expected = _era_form(dt.date(gregorian, 4 if fiscal else 12, 1 if fiscal else 31), bool(fiscal)) if gregorian >= 1868 else "明治より前"
                written = f"{era.name}{g['pey']}年{g['pefy'] or ''}"
                yield Finding(found.where, expected_found(f"{g['gy']}年{fiscal} は", expected, written))


def date_invalid(doc: Doc) -> Iterator[Finding]:
    """A month or day that does not exist: 13月, 2月30日, 令和5年2月29日 (2023 is not a leap year)."""
    for found in _dates(doc):
        g = found.groups
        if g["era"]:
            year: int | None = BY_NAME[g["era"]].gregorian(_int(g["ey"]) or 0)
            month, day, prefix = _int(g["em"]), _int(g["ed"]), f"{g['era']}{g['ey']}年"
        elif g["gy"]:
            year, month, day, prefix = _int(g["gy"]), _int(g["gm"]), _int(g["gd"]), f"{g['gy']}年"
        else:
            year, month, day, prefix = None, _int(g["mm"]), _int(g["md"]), ""
        if month is None:
            continue
        if not 1 <= month <= 12:
            yield Finding(found.where, expected_found("月は", "1〜12月", f"{month}月"))
        elif day is not None:
            days = calendar.monthrange(year, month)[1] if year and year >= 1 else (29 if month == 2 else calendar.monthrange(2001, month)[1])
            if not 1 <= day <= days:
                yield Finding(found.where, expected_found(f"{prefix}{month}月の日は", f"1〜{days}日", f"{day}日"))


def gannen(doc: Doc) -> Iterator[Finding]:
    """元年 and 1年 mixed in one document: the first year of an era is written 元年."""
    dates = [f for f in _dates(doc) if f.groups["era"] or f.groups["pera"]]
    years = [(f, f.groups["ey"] or f.groups["pey"]) for f in dates]
    if not any(y == "元" for _f, y in years):
        return
    for found, year in years:
        if year and year != "元" and _int(year) == 1:
            era = found.groups["era"] or found.groups["pera"]
            yield Finding(found.where, expected_found("元号の最初の年は", f"{era}元年（文書内の表記）", f"{era}{year}年"))
