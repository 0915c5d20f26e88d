"""How verify reads one edition back: a record of functions, one per thing compared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jpub.diagnostics import Diagnostic
from jpub.verify.text import ReadHeading

if TYPE_CHECKING:
    from jpub.verify.compare import Report
    from jpub.verify.expectations import Expected


def _nothing(path: Path, want: Expected) -> list[Diagnostic]:
    return []


def _no_figures(report: Report, path: Path, want: Expected) -> None:
    return None


class MissingTool(Exception):
    """A program the reader needs is not installed: one error for the edition, not a skipped check."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule, self.message = rule, message


@dataclass(frozen=True)
class EditionReader:
    headings: Callable[[Path], list[ReadHeading]]
    text: Callable[[Path], str]  # the body text as a reader meets it (contents and page furniture left out)
    toc: Callable[[Report, Path, Expected], None]  # compares the contents into the report
    notes: Callable[[Path], str]  # where the notes' text is: the PDF's pages (at their foot), Word's footnotes
    extra: Callable[[Path, Expected], list[Diagnostic]] = field(default=_nothing)  # the edition's own further checks
    figures: Callable[[Report, Path, Expected], None] = field(default=_no_figures)  # captions, references, 図表目次
