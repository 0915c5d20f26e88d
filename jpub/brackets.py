"""Paragraphs whose unclosed brackets would make pandoc's Markdown reader run for minutes.

For each ``[`` it cannot close, pandoc's reader tries again over the rest of the paragraph, and for each
unclosed ``[`` inside that try it tries again: a line of 31 ``[`` took 300 s, one ``[`` before 10,000
characters takes about 3 s, three before them 13 s. An unclosed ``](`` (a link whose target never ends)
and an unclosed ``<`` (a tag that never ends) each cost a scan to the paragraph's end: ``[a](`` 20,000
times or ``<a `` 50,000 times ran for minutes. Measured on this machine (docs/performance.md):

    one unclosed [ before n characters   ~290 µs × n
    the k-th unclosed [ of a paragraph   twice the (k-1)-th
    one unclosed ]( before n characters  ~40 µs × n
    one unclosed < before n characters   ~3 µs × n

``cost`` adds these up in units of the first line (an unclosed ``[`` before one character is 1), and a
paragraph over the limit is refused before pandoc sees it, at the line of its first unclosed bracket.
Other constructions are bounded by pandoc's own time limit (``pandoc.run``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKEN = re.compile(r"\\.|\]\(|[\[\])<>]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LINK_TARGET_SHARE = 1 / 7  # an unclosed ]( costs about a seventh of an unclosed [
ANGLE_SHARE = 1 / 100


def slow_blocks(lines: list[str], limit: float) -> Iterator[tuple[int, str]]:
    """(1-based line, message) for each paragraph whose brackets would cost pandoc more than ``limit``."""
    for first, block in _blocks(lines):
        text = "\n".join(block)
        cost, unclosed = _cost(text)
        if cost > limit:
            opener = min(at for offsets in unclosed.values() for at in offsets)
            counts = "、".join(f"{mark} が {len(offsets):,} 個" for mark, offsets in unclosed.items() if offsets)
            message = (
                f"閉じていない {counts}あり、その後に段落が {len(text) - opener:,} 文字続きます（pandoc の処理が極端に遅くなるため読みません）。"
                "かっこを閉じるか、文字として書くなら \\[ \\< のように書いてください"
            )
            yield first + text.count("\n", 0, opener), message


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(first line, lines) of each run of non-blank lines outside fenced code."""
    block: list[str] = []
    first, fence = 0, ""
    for number, line in enumerate(lines, start=1):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
        if opened or not line.strip():
            if block:
                yield first, block
            block = []
            continue
        if not block:
            first = number
        block.append(line)
    if block:
        yield first, block


def _cost(text: str) -> tuple[float, dict[str, list[int]]]:
    """(cost of the paragraph's unclosed brackets, their offsets by kind)."""
    squares: list[int] = []  # offsets of the [ not closed yet
    targets: list[int] = []  # offsets of the ]( not closed yet
    angles: list[int] = []  # offsets of the < with no > after them yet
    for token in _TOKEN.finditer(text):
        mark, at = token.group(), token.start()
        if mark == "[":
            squares.append(at)
        elif mark in ("]", "]("):
            if squares:
                squares.pop()
            if mark == "](":
                targets.append(at)
        elif mark == ")":
            if targets:
                targets.pop()
        elif mark == "<":
            angles.append(at)
        elif mark == ">":
            angles.clear()
    end = len(text)
    cost = sum((end - at) * 2 ** min(rank, 64) for rank, at in enumerate(squares))
    cost += sum(end - at for at in targets) * LINK_TARGET_SHARE
    cost += sum(end - at for at in angles) * ANGLE_SHARE
    return cost, {"[": squares, "](": targets, "<": angles}
