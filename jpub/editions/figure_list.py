"""The 図表目次 every edition sets after its 目次 when ``publish: list-of-figures`` is on: the numbered figures
and tables, one list per series (図, 表; one list when both share 図表), in order of first appearance."""

from __future__ import annotations

from dataclasses import dataclass

from jpub.crossref import Target
from jpub.publication import Document, Publication

TITLE = "図表目次"


@dataclass(frozen=True)
class FigureList:
    label: str  # the series: 図, 表, 図表 (Word's SEQ identifier)
    entries: tuple[Target, ...]


def figure_lists(document: Document) -> tuple[FigureList, ...]:
    series: dict[str, list[Target]] = {}
    for target in document.figures:
        if target.number:
            series.setdefault(target.label, []).append(target)
    return tuple(FigureList(label, tuple(entries)) for label, entries in series.items())


def wanted(pub: Publication, edition: str) -> tuple[FigureList, ...]:
    """The lists an edition sets: none unless the setting is on (or there is nothing numbered)."""
    return figure_lists(pub.documents[edition]) if pub.settings.list_of_figures else ()
