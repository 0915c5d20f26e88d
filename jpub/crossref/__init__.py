"""Numbered figures and tables and the references to them, done once on the parse so every edition shows the
same numbers: find the figures and tables (targets), number them (numbers), write ids and numbers into the
captions (captions), and turn each reference into a link that says the number (references)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jpub import pandoc_ast
from jpub.crossref import captions, ids, numbers, references, targets
from jpub.crossref import scheme as scheme_mod
from jpub.crossref.numbers import Target
from jpub.crossref.references import Reference

__all__ = ["Crossrefs", "Reference", "Target", "apply", "schemes"]
from jpub.crossref.scheme import Scheme
from jpub.crossref.targets import Kind

if TYPE_CHECKING:
    from jpub.settings import Settings


@dataclass(frozen=True)
class Crossrefs:
    targets: tuple[Target, ...]  # every figure and table of the body, in document order
    references: tuple[Reference, ...]  # every reference in the text, in document order

    def by_id(self) -> dict[str, Target]:
        return {target.id: target for target in self.targets}


def schemes(settings: Settings) -> dict[Kind, Scheme]:
    """The schemes ``publish:`` sets (settings.py has already refused ones that cannot number)."""
    written: dict[Kind, str] = {"figure": settings.figure_number, "table": settings.table_number}
    return {kind: scheme_mod.parse(text) for kind, text in written.items() if text}


def apply(blocks: list[pandoc_ast.Block], settings: Settings) -> tuple[list[pandoc_ast.Block], Crossrefs]:
    """The blocks with numbered captions and resolved references (figures and tables get ids in place)."""
    found = targets.find(blocks)
    has_parts = any(h.unit is not None and h.unit.unit == "部" for h in pandoc_ast.headings(blocks))
    numbered = numbers.number(found, schemes(settings), has_parts)
    numbered = captions.write(found, numbered, set(ids.defined(blocks)))
    blocks, refs = references.resolve(blocks, {target.id: target for target in numbered})
    return blocks, Crossrefs(numbered, refs)
