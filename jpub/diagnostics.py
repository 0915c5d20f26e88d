"""Diagnostics in the form compilers use: ``path:line:col: severity: message [rule]``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def included_via(lines: Iterable[tuple[str, int]]) -> str:
    """A diagnostic's context for a line of an included file: the (file, line) of each include that
    brought it in, innermost first — 「a.md:3 ← doc.md:12 で取り込み」; empty for the source's own lines."""
    chain = [f"{path}:{line}" for path, line in lines]
    return f"{' ← '.join(chain)} で取り込み" if chain else ""


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int  # 1-based; 0 when the problem has no line
    column: int  # 1-based; 0 when the problem has no column
    severity: Severity
    rule: str
    message: str
    context: str = ""  # for a line in an included file: the include line that brought it in
    fixes: tuple[tuple[int, int, str, str], ...] = ()  # (line, column, old, new) in this file: what check --fix writes

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        note = f"（{self.context}）" if self.context else ""
        return f"{where}: {self.severity}: {self.message}{note} [{self.rule}]"


def sort(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Source order; a defect found in several renderings (or in a file included twice) is reported once."""
    once: dict[tuple[str, int, int, str, str, str], Diagnostic] = {}
    for d in diagnostics:
        once.setdefault((d.path, d.line, d.column, d.severity, d.rule, d.message), d)
    return sorted(once.values(), key=lambda d: (d.path, d.line, d.column, d.rule, d.message))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def as_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def as_json(diagnostics: Iterable[Diagnostic]) -> str:
    fixes = ("line", "column", "from", "to")
    shown = [{**asdict(d), "fixes": [dict(zip(fixes, fix, strict=True)) for fix in d.fixes]} for d in diagnostics]
    return json.dumps(shown, ensure_ascii=False, indent=2) + "\n"
