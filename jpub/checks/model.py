"""What a rule is and what it yields: positions already in the file the author edits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One defect: 1-based line and column in the source file, and a message (expected vs found)."""

    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Rule:
    id: str  # stable kebab-case id, used in publish.checks and {## check: ignore ID ##}
    severity: Severity  # default; publish.checks may change it or switch the rule off
    family: str
    summary: str  # one line for docs/rules.md
    check: Callable[..., Iterable[Finding]]  # (Doc) -> findings; pure


def expected_found(subject: str, expected: str, found: str, note: str = "") -> str:
    """The one message convention: 「〈subject〉 〈expected〉 のはずが 〈found〉（note）」."""
    lead = f"{subject} " if subject else ""
    tail = f"（{note}）" if note else ""
    return f"{lead}{expected} のはずが {found}{tail}"
