"""Table column widths from the cells' text, for the print and Word editions.

A cell may break only between its words (文節, roughly): 「避難者数（最大・人）」 between 「避難者数」 and
「（最大・人）」, never inside 「都道府県」, and a figure never. So each column has a least width — its widest
word — and a most width — its widest line when nothing wraps. As in CSS's automatic table layout, every
column gets its least width and the room that is left goes to the columns in proportion to what wrapping
costs them (most − least). A table whose words do not fit even so is set in smaller type, step by step,
down to a floor; below that its words may break.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jpub.blocks import is_numeric

Measure = Callable[[str], float]  # a text's width in em of its size

LONGEST_WORD = 12  # characters: a longer run is not kept whole (it could not fit a narrow column anyway)
_OPENING = "「『（［｛〔〈《【(["
_CLOSING = "」』）］｝〕〉》】)]、。，．"
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_SPACE = " \u3000"


def words(text: str) -> list[str]:
    """The pieces a cell's text may break between: after a run of kana (a particle, 送り仮名) that a
    non-kana follows, between katakana and kanji (ハザードマップ｜公表), before an opening bracket, after a
    closing one, at spaces. A bracketed group stays whole; a figure is one piece."""
    text = text.strip()
    if not text or is_numeric(text):
        return [text] if text else []
    out: list[str] = []
    current = ""
    depth = 0
    for index, ch in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else ""
        if ch in _SPACE:
            if current:
                out.append(current)
            current = ""
            continue
        if ch in _OPENING and current and depth == 0:
            out.append(current)
            current = ""
        current += ch
        depth += ch in _OPENING
        depth -= ch in _CLOSING and depth > 0 and ch not in "、。，．"
        ends_kana = _HIRAGANA.match(ch) and following and not _HIRAGANA.match(following) and following not in _CLOSING
        ends_group = ch in _CLOSING and depth == 0 and following and following not in _CLOSING
        ends_script = bool(following) and _script(ch) != _script(following) and {_script(ch), _script(following)} == {"katakana", "kanji"}
        if depth == 0 and (ends_kana or ends_group or ends_script):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _script(ch: str) -> str:
    if ("\u30a0" <= ch <= "\u30ff" and ch != "・") or ch == "ー":  # the middle dot joins: 国・地域 is one word
        return "katakana"
    if "\u3400" <= ch <= "\u9fff" or ch in "々〆":
        return "kanji"
    return "other"


def estimated_width(text: str) -> float:
    """A text's width in em without the font at hand: a wide or ambiguous character one em, others 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.6 for ch in text)


@dataclass(frozen=True)
class Need:
    least: float  # em: the widest word, which is never broken
    most: float  # em: the widest line, when nothing wraps


def need(lines: Sequence[str], measure: Measure) -> Need:
    """What one cell needs: ``lines`` are its lines as written (a cell may hold line breaks)."""
    least = most = 0.0
    for line in lines:
        most = max(most, measure(line.strip()))
        for word in words(line):
            if len(word) <= LONGEST_WORD or is_numeric(word):
                least = max(least, measure(word))
            else:
                least = max(least, measure(word[:2]))
    return Need(least, most)


def column_needs(rows: Sequence[Sequence[tuple[int, Need]]], columns: int) -> list[Need]:
    """Each column's need from the cells that span it alone: ``rows`` of (first column, need)."""
    least, most = [0.0] * columns, [0.0] * columns
    for row in rows:
        for column, cell in row:
            if column < columns:
                least[column] = max(least[column], cell.least)
                most[column] = max(most[column], cell.most)
    return [Need(a, b) for a, b in zip(least, most, strict=True)]


def distribute(least: Sequence[float], most: Sequence[float], available: float) -> list[float] | None:
    """Widths that fill ``available``: every column its least, the rest in proportion to most − least (when
    everything fits on one line, in proportion to most); None when even the least widths do not fit."""
    if sum(least) > available + 1e-9:
        return None
    if sum(most) <= available:
        total = sum(most) or 1.0
        return [available * m / total if sum(most) else available / len(most) for m in most]
    slack = [max(m - a, 0.0) for a, m in zip(least, most, strict=True)]
    room = available - sum(least)
    total = sum(slack) or 1.0
    return [a + room * s / total for a, s in zip(least, slack, strict=True)]


@dataclass(frozen=True)
class Sizes:
    """The type sizes a table may take, largest first, and the room each cell takes besides its text."""

    body_pt: float = 9.0
    floor_pt: float = 7.0
    step_pt: float = 0.5
    padding_em: float = 0.7  # left plus right padding, in em of the table's size
    padding_pt: float = 0.0  # and in points, where the padding does not scale with the type (Word)
    rule_pt: float = 0.5
    slack_pt: float = 0.6  # kept over a word's measured width: the layout engine's rounding must never break it

    def extra(self, size_pt: float) -> float:
        """What a cell takes besides its text: padding, its share of the rules, the slack."""
        return self.padding_em * size_pt + self.padding_pt + self.rule_pt + self.slack_pt

    def steps(self) -> list[float]:
        count = round((self.body_pt - self.floor_pt) / self.step_pt)
        return [round(self.body_pt - i * self.step_pt, 2) for i in range(count + 1)]


@dataclass(frozen=True)
class Layout:
    size_pt: float
    widths_pt: tuple[float, ...]
    fits: bool  # False: even at the floor size some word is wider than its column, and may break

    @property
    def fractions(self) -> tuple[float, ...]:
        total = sum(self.widths_pt) or 1.0
        return tuple(width / total for width in self.widths_pt)


def layout(needs: Sequence[Need], available_pt: float, sizes: Sizes = Sizes()) -> Layout:
    """The largest size at which every column's words fit ``available_pt``, and the widths at that size."""
    for size in sizes.steps():
        extra = sizes.extra(size)
        found = distribute([n.least * size + extra for n in needs], [n.most * size + extra for n in needs], available_pt)
        if found is not None:
            return Layout(size, tuple(found), True)
    size = sizes.floor_pt
    least = [n.least * size + sizes.extra(size) for n in needs]
    total = sum(least) or 1.0
    return Layout(size, tuple(available_pt * width / total for width in least), False)
