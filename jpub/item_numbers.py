"""Item numbers below the numbered headings, as 公用文 writes them in horizontal text: 第1 → 1 → （1） → ア →
（ア） → a → （a） (公用文作成の考え方, 2022), or a document's own order (``publish: numbering``).

A level is written by one example of its first number: ``（1）``, ``ア``, ``a``. The forms of one level are
told apart — （1） (1) （１） ⑴ are one level written four ways — so that a document can keep to one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DEFAULT_LADDER = ("第1", "1", "（1）", "ア", "（ア）", "a", "（a）")
AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_COUNTERS = {  # the first number of each kind of counter, as a ladder entry writes it
    "1": "arabic",
    "１": "arabic",
    "ア": "aiueo",
    "ｱ": "aiueo",
    "イ": "iroha",
    "a": "lower",
    "ａ": "lower",
    "A": "upper",
    "Ａ": "upper",
    "①": "circled",
}
_DIGITS = {
    "arabic": "[0-9０-９]{1,3}",
    "aiueo": f"[{AIUEO}ｱ-ﾝ]",
    "iroha": f"[{IROHA}]",
    "lower": "[a-zａ-ｚ]",
    "upper": "[A-ZＡ-Ｚ]",
    "circled": "[①-⑳]",
}
_OPEN, _CLOSE = "（(", "）)"
_PARENTHESISED = re.compile("[⑴-⒇]")  # ⑴ is (1) in one character
_SEPARATOR = " \u3000"


@dataclass(frozen=True)
class Level:
    counter: str  # arabic, aiueo, iroha, lower, upper, circled
    prefix: str  # 第, （ or ""
    suffix: str  # ）or ""
    example: str  # as written in the ladder

    @property
    def bare(self) -> bool:
        return not self.prefix and not self.suffix

    def label(self, value: int) -> str:
        return f"{self.prefix}{counter_text(self.counter, value)}{self.suffix}"


@dataclass(frozen=True)
class Marker:
    """An item number at the start of a heading, paragraph or list item."""

    rank: int  # position of its level in the ladder (0 = outermost)
    value: int
    written: str  # as written: （１）
    form: str  # its form, the number left out: （Ｎ）, (N), ⑴, ｱ
    end: int  # where the title starts after it (and its separator) in the text read


def counter_text(counter: str, value: int) -> str:
    if counter == "aiueo":
        return AIUEO[value - 1] if 1 <= value <= len(AIUEO) else "?"
    if counter == "iroha":
        return IROHA[value - 1] if 1 <= value <= len(IROHA) else "?"
    if counter == "lower":
        return chr(ord("a") + value - 1) if 1 <= value <= 26 else "?"
    if counter == "upper":
        return chr(ord("A") + value - 1) if 1 <= value <= 26 else "?"
    if counter == "circled":
        return chr(ord("①") + value - 1) if 1 <= value <= 20 else "?"
    return str(value)


def level_of(example: str) -> Level | None:
    """The level a ladder entry stands for: ``（1）`` → arabic in （）; None when it holds no number."""
    for index, ch in enumerate(example):
        counter = _COUNTERS.get(ch)
        if counter:
            prefix, suffix = example[:index], example[index + 1 :]
            if prefix in ("", "第", "（", "(") and suffix in ("", "）", ")"):
                return Level(counter, _wide(prefix), _wide(suffix), example)
    if len(example) == 1 and _PARENTHESISED.match(example):
        return Level("arabic", "（", "）", example)
    return None


def _wide(text: str) -> str:
    return text.replace("(", "（").replace(")", "）")


def ladder(entries: tuple[str, ...]) -> tuple[Level, ...]:
    levels = tuple(level for level in (level_of(e) for e in (entries or DEFAULT_LADDER)) if level)
    return levels or tuple(level for level in (level_of(e) for e in DEFAULT_LADDER) if level)


_UNIT_AFTER = "年月日時分秒歳人件回個名社校倍割円点つ本枚台組冊頭匹杯着軒隻票通位番号条項章節部月期代次度週泊"  # 10 年後: a quantity, not an item number


def _pattern(level: Level) -> re.Pattern[str]:
    digits = _DIGITS[level.counter]
    opener = f"[{_OPEN}]" if level.prefix == "（" else re.escape(level.prefix)
    closer = f"[{_CLOSE}]" if level.suffix == "）" else re.escape(level.suffix)
    if level.bare or level.prefix == "第":
        # a bare number is one only with a space after it, and Japanese text after that (1 人, a pen are not)
        after = "(?=\\S)" if level.counter in ("aiueo", "iroha") else f"(?=[^\\x00-\\x7f\\s{_UNIT_AFTER}])"
        if level.counter == "arabic" and level.bare:  # 1　目的, or 1．目的 (a period is a form of its own)
            return re.compile(f"(({digits})(?:．|(?=[{_SEPARATOR}])))(?!{digits})[{_SEPARATOR}]*{after}")
        return re.compile(f"({opener}({digits}){closer})(?!{digits})[{_SEPARATOR}]+{after}")
    if level.prefix == "（" and level.counter == "arabic":
        return re.compile(f"((?:{opener}({digits}){closer})|([⑴-⒇]))[{_SEPARATOR}]*(?=\\S)")
    return re.compile(f"({opener}({digits}){closer})[{_SEPARATOR}]*(?=\\S)")


def value_of(counter: str, text: str) -> int:
    if counter == "circled":
        return ord(text) - ord("①") + 1
    text = unicodedata.normalize("NFKC", text)
    if counter == "arabic":
        return int(text)
    if counter == "aiueo":
        return AIUEO.index(text) + 1
    if counter == "iroha":
        return IROHA.index(text) + 1
    return ord(text.lower()) - ord("a") + 1


def form_of(written: str, counter: str) -> str:
    """The written number with its digits replaced: （１） → （Ｎ）, (1) → (N), (ｲ) → (ｶ) (half-width kana)."""
    if _PARENTHESISED.fullmatch(written):
        return "⑴"
    if counter == "circled":
        return "①"
    out = []
    for ch in written:
        if ch.isdigit():
            out.append("Ｎ" if unicodedata.east_asian_width(ch) == "F" else "N")
        elif counter in ("lower", "upper") and ch.isalpha():
            out.append("ｘ" if unicodedata.east_asian_width(ch) == "F" else "x")
        elif counter in ("aiueo", "iroha") and ch not in "第（()）":
            out.append("ｶ" if unicodedata.east_asian_width(ch) == "H" else "カ")
        else:
            out.append(ch)
    return "".join(out)


_HALF_KANA = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF66, 0xFF9E)}


def render_form(form: str, counter: str, value: int) -> str:
    """A number written in a form: 2 in the form (N) is (2), in （Ｎ） is （２）, in ⑴ is ⑵."""
    if form == "⑴":
        return chr(ord("⑴") + value - 1) if 1 <= value <= 20 else f"({value})"
    if form == "①":
        return counter_text("circled", value)
    text = counter_text(counter, value)
    out = []
    for ch in form:
        if ch in "NxカＮｘ":
            out.append(text.translate(_TO_WIDE) if ch in "Ｎｘ" else text)
        elif ch == "ｶ":
            out.append("".join(_HALF_KANA.get(k, k) for k in text))
        else:
            out.append(ch)
    return "".join(out)


_TO_WIDE = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


class Reader:
    """Reads the item number at the start of a text against a ladder."""

    def __init__(self, levels: tuple[Level, ...]):
        self.levels = levels
        # wrapped forms before bare ones: 第1 before 1, （ア） before ア
        self.patterns = sorted(((rank, _pattern(level)) for rank, level in enumerate(levels)), key=lambda p: levels[p[0]].bare)

    def read(self, text: str) -> Marker | None:
        for rank, pattern in self.patterns:
            found = pattern.match(text)
            if not found:
                continue
            level = self.levels[rank]
            written = found.group(1)
            if pattern.groups >= 3 and found.group(3):
                value = ord(found.group(3)) - ord("⑴") + 1
            else:
                try:
                    value = value_of(level.counter, found.group(2))
                except ValueError:
                    continue
            return Marker(rank, value, written, form_of(written, level.counter), found.end())
        return None
