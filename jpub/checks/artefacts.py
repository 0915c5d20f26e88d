"""More of what copying from a PDF leaves: half-width katakana, a decimal split by a space (5. 0) and digits
spaced out one by one (2 0 2 4年). Each has one reading, so check --fix may repair it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from jpub.checks import items
from jpub.checks.koyobun import JAPANESE, lines
from jpub.checks.markup import writes_latin_joined
from jpub.checks.model import Finding, expected_found
from jpub.checks.view import Doc, edits

_WIDE = re.compile(f"[{JAPANESE}]")


def flanked(text: str, start: int, end: int, joined: bool, lead: int = -1) -> tuple[int, int]:
    """The span of spaced-out letters or digits with the spaces around it that the same copying left between
    it and Japanese text (生成 A I 技術 → 生成AI技術), in a document that writes them joined; the space after a
    number at the start of the line (``lead``: 第4章 A I…) is the author's separator."""
    if not joined:
        return start, end
    if start >= 2 and text[start - 1] == " " and _WIDE.match(text[start - 2]) and lead != start:
        start -= 1
    if end + 1 < len(text) and text[end] == " " and _WIDE.match(text[end + 1]):
        end += 1
    return start, end


_HALF_KANA = re.compile("[\uff61-\uff9f]+")
_SPLIT_DECIMAL = re.compile(r"(?<![0-9A-Za-z_.])([0-9]+)\. ([0-9]+)(?![0-9A-Za-z_.])")
_LEAD = re.compile(r"^\s*(?:[-*+]\s+|>\s*)*")
_SPACED_DIGITS = re.compile(rf"(?<![\d,.])\d(?: \d){{2,}}(?![\d])(?= ?[{JAPANESE}%％])")


def kana_spans(text: str) -> Iterator[tuple[int, str, str]]:
    for found in _HALF_KANA.finditer(text):
        yield found.start(), found.group(0), unicodedata.normalize("NFKC", found.group(0))


def halfwidth_kana(doc: Doc) -> Iterator[Finding]:
    """Half-width katakana (ｱｲｳ, (ｱ)): full-width in every edition (JIS X 0208 has no place for them)."""
    for index, text in lines(doc):
        for column, written, wanted in kana_spans(text):
            where = doc.at(index, column, written)
            yield Finding(where, expected_found("片仮名は", f"全角（{wanted}）", f"半角（{written}）"), edits(doc.edit(index, column, written, wanted)))


def decimal_spans(text: str) -> Iterator[tuple[int, str, str]]:
    lead = _LEAD.match(text)
    start = lead.end() if lead else 0
    for found in _SPLIT_DECIMAL.finditer(text):
        if found.start() != start:  # 1. 2024年… at the start of a line is a numbered list
            yield found.start(), found.group(0), f"{found.group(1)}.{found.group(2)}"


def split_decimal(doc: Doc) -> Iterator[Finding]:
    """A decimal number split by a space after its point (Society 5. 0): a line break in the PDF it came from."""
    for index, text in lines(doc):
        for column, written, wanted in decimal_spans(text):
            where = doc.at(index, column, written)
            message = expected_found("小数は", wanted, written, "PDF からの転記で空白が入った可能性")
            yield Finding(where, message, edits(doc.edit(index, column, written, wanted)))


def digit_spans(text: str) -> Iterator[tuple[int, str, str]]:
    for found in _SPACED_DIGITS.finditer(text):
        yield found.start(), found.group(0), found.group(0).replace(" ", "")


def spaced_digits(doc: Doc) -> Iterator[Finding]:
    """Digits spaced out one by one beside Japanese text (2 0 2 4年): one number, copied from a PDF."""
    joined = None
    for index, text in lines(doc):
        for column, written, wanted in digit_spans(text):
            where = doc.at(index, column, written)
            joined = writes_latin_joined(doc) if joined is None else joined
            start, end = flanked(text, column, column + len(written), joined, items.lead_end(doc, text))
            edit = doc.edit(index, start, text[start:end], wanted)
            yield Finding(where, expected_found("数字は", wanted, written, "PDF からの転記で空白が入った可能性"), edits(edit))
