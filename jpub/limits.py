"""Limits that make pathological input fail fast with a clear message instead of hanging a build."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jpub import brackets
from jpub.diagnostics import Diagnostic

if TYPE_CHECKING:  # source_template reads the limits while it renders
    from jpub.source_template import Rendered


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024  # the whole rendered text
    max_line: int = 200_000  # characters in one line
    max_headings: int = 5_000
    max_nesting: int = 40  # block quotes and list levels
    max_unbroken: int = 2_000  # characters in a row with nowhere to break a line (a long URL is about 200)
    max_bracket_cost: int = 4_000  # how much backtracking a paragraph's unclosed brackets cost pandoc (brackets.py)
    render_base_seconds: float = 5.0  # a template's rendering: this, plus a second for each megabyte of source
    render_seconds_per_byte: float = 1e-6

    def render_seconds(self, source_bytes: int) -> float:
        """How long one rendering of the template may take (the default source renders in about 0.01 s)."""
        return self.render_base_seconds + source_bytes * self.render_seconds_per_byte


LIMITS = Limits()
_HEADING = re.compile(r"^#{1,6}\s")
_MARKERS = re.compile(r"(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))")
# a run with no line-break opportunity: no space, hyphen or CJK character (between which lines may break)
_UNBROKEN = re.compile(r"[^\s\-\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+")


def nesting(lines: list[str]) -> Iterator[int]:
    """How deep each line nests: the list items it lies inside and the block-quote markers it starts with.

    A list item is open for the lines indented at least to its content (``- `` at column 4 holds what is
    indented 6 or more): a nested list may be indented by 2, 4 or a tab a level, each counted once, and
    ``- - - x`` opens three. A tab is four columns, as pandoc reads it."""
    open_items: list[int] = []  # the content column of each list item open, outermost first
    for line in lines:
        if not line.strip():
            yield len(open_items)
            continue
        column = len(line) - len(line.lstrip(" \t"))
        rest = line[column:]
        column = len(line[:column].expandtabs(4))
        while open_items and open_items[-1] > column:
            open_items.pop()
        quotes, at = 0, 0
        marker = _MARKERS.match(rest)
        while marker is not None and marker.end() > at:  # markers one after another: "> - 1. x"
            if marker.group().startswith(">"):
                quotes += 1
            else:
                open_items.append(column + marker.end())
            at = marker.end()
            marker = _MARKERS.match(rest, at)
        yield len(open_items) + quotes


def _shown_length(run: str) -> int:
    """The characters of a run that are set as text: a link's or image's target ``](…)`` is not (a data: URI
    may be long). One pass of str.find, so a line of ``[a](`` repeated costs no more than its length."""
    shown, at = 0, 0
    while True:
        target = run.find("](", at)
        if target < 0:
            return shown + len(run) - at
        shown += target + 1 - at
        end = run.find(")", target + 2)
        if end < 0:
            return shown
        at = end + 1


def check(rendered: Rendered, path: str, limits: Limits = LIMITS) -> list[Diagnostic]:
    """Errors for input beyond the limits, each at the line that crosses it (at most one per kind)."""
    found: dict[str, Diagnostic] = {}

    def add(rule: str, line: int, message: str) -> None:
        if rule not in found:
            found[rule] = Diagnostic(path, rendered.source_line(line), 1, "error", rule, message)

    size = len(rendered.text.encode("utf-8"))
    if size > limits.max_bytes:
        add("limit-size", 1, f"文書が大きすぎます（{size:,} バイト、上限 {limits.max_bytes:,}）")
    lines = rendered.text.split("\n")
    headings = 0
    for number, (line, depth) in enumerate(zip(lines, nesting(lines), strict=True), start=1):
        if len(line) > limits.max_line:
            add("limit-line", number, f"1 行が長すぎます（{len(line):,} 文字、上限 {limits.max_line:,}）")
        if _HEADING.match(line):
            headings += 1
            if headings > limits.max_headings:
                add("limit-headings", number, f"見出しが多すぎます（上限 {limits.max_headings:,}）")
        if depth > limits.max_nesting:
            add("limit-nesting", number, f"入れ子が深すぎます（{depth} 段、上限 {limits.max_nesting}）")
        if len(line) > limits.max_unbroken:
            longest = max((_shown_length(run) for run in _UNBROKEN.findall(line) if len(run) > limits.max_unbroken), default=0)
            if longest > limits.max_unbroken:
                message = (
                    f"改行できる所のない文字の並びが長すぎます（{longest:,} 文字、上限 {limits.max_unbroken:,}）。"
                    "PDF の行分けの時間がその長さの 2 乗で増えるため、空白を入れるか分けてください"
                )
                add("limit-word", number, message)
    for number, message in brackets.slow_blocks(lines, limits.max_bracket_cost):
        add("limit-brackets", number, message)
    return list(found.values())
