"""Limits that make pathological input fail fast with a clear message instead of hanging a build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jpub.diagnostics import Diagnostic

if TYPE_CHECKING:  # source_template reads the limits while it renders
    from jpub.source_template import Rendered


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024  # the whole rendered text
    max_line: int = 200_000  # characters in one line
    max_headings: int = 5_000
    max_nesting: int = 40  # block quotes and list levels
    render_base_seconds: float = 5.0  # a template's rendering: this, plus a second for each megabyte of source
    render_seconds_per_byte: float = 1e-6

    def render_seconds(self, source_bytes: int) -> float:
        """How long one rendering of the template may take (the default source renders in about 0.01 s)."""
        return self.render_base_seconds + source_bytes * self.render_seconds_per_byte


LIMITS = Limits()
_HEADING = re.compile(r"^#{1,6}\s")
_OPENERS = re.compile(r"^(?:[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]))+")
_MARKER = re.compile(r">|[-*+][ \t]|\d{1,9}[.)][ \t]")


def nesting(line: str) -> int:
    """How deep a line nests: block-quote and list markers at its start (``- - - x`` is three lists deep),
    plus its indentation (two spaces a level, a tab four spaces)."""
    indent = len(line) - len(line.lstrip(" \t"))
    width = len(line[:indent].expandtabs(4))
    openers = _OPENERS.match(line)
    markers = len(_MARKER.findall(openers.group(0))) if openers else 0
    return markers + width // 2


def check(rendered: Rendered, path: str, limits: Limits = LIMITS) -> list[Diagnostic]:
    """Errors for input beyond the limits, each at the line that crosses it (at most one per kind)."""
    found: dict[str, Diagnostic] = {}

    def add(rule: str, line: int, message: str) -> None:
        found.setdefault(rule, Diagnostic(path, rendered.source_line(line), 1, "error", rule, message))

    size = len(rendered.text.encode("utf-8"))
    if size > limits.max_bytes:
        add("limit-size", 1, f"文書が大きすぎます（{size:,} バイト、上限 {limits.max_bytes:,}）")
    headings = 0
    for number, line in enumerate(rendered.text.split("\n"), start=1):
        if len(line) > limits.max_line:
            add("limit-line", number, f"1 行が長すぎます（{len(line):,} 文字、上限 {limits.max_line:,}）")
        if _HEADING.match(line):
            headings += 1
            if headings > limits.max_headings:
                add("limit-headings", number, f"見出しが多すぎます（上限 {limits.max_headings:,}）")
        if line[:1] in (" ", "\t", ">", "-", "*", "+") or line[:1].isdigit():
            depth = nesting(line)
            if depth > limits.max_nesting:
                add("limit-nesting", number, f"入れ子が深すぎます（{depth} 段、上限 {limits.max_nesting}）")
    return list(found.values())
