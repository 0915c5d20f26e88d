"""What a rule is and what it yields: positions already in the file the author edits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Literal

from jpub.source_template import Origin

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Place:
    """A 1-based line and column in a file the author edits: the source (file 0), or a file it includes."""

    file: int
    line: int
    column: int
    via: Origin | None = None  # the include line (or macro call) that brought this line into the source

    def at_column(self, column: int) -> Place:
        return replace(self, column=column)


@dataclass(frozen=True)
class Edit:
    """Text to replace in the file of a finding: ``old`` at a 1-based line and column becomes ``new``."""

    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True)
class Finding:
    """One defect: where it was written, and a message (expected vs found)."""

    where: Place
    message: str
    fixes: tuple[Edit, ...] = ()  # its repair, when the repair cannot change the meaning (check --fix)


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
