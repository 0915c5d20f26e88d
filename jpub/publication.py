"""What every edition is written from: the source, its settings and metadata, and pandoc's parse of each
edition's rendering. Made only by ``pipeline.parse``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jpub import images, pandoc_ast, source_template
from jpub import source as source_mod
from jpub.crossref import Crossrefs, Target
from jpub.diagnostics import Diagnostic
from jpub.eras import era_date
from jpub.settings import Settings


@dataclass(frozen=True)
class Meta:
    title: str
    subtitle: str
    author: str
    date: dt.date | None
    lang: str
    subject: str
    keywords: tuple[str, ...]

    @property
    def era_date(self) -> str:
        return era_date(self.date) if self.date else ""

    def timestamp(self) -> dt.datetime:
        """The build's timestamp: SOURCE_DATE_EPOCH, else the document's date (midnight JST)."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        day = self.date or dt.date(2000, 1, 1)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone(dt.timedelta(hours=9)))


@dataclass(frozen=True)
class Document:
    """One edition's rendering of the source and pandoc's reading of it."""

    format: str
    rendered: source_template.Rendered
    ast_json: str
    headings: tuple[pandoc_ast.Heading, ...]  # the body's, in order (headings inside ::: cover are cover material)
    notes: tuple[Diagnostic, ...] = ()  # warnings found while preparing (e.g. raw HTML that was dropped)
    crossrefs: Crossrefs = Crossrefs((), ())  # its numbered figures and tables, and the references to them

    @property
    def figures(self) -> tuple[Target, ...]:
        return self.crossrefs.targets

    def ast(self) -> pandoc_ast.Tree:
        return pandoc_ast.read_tree(self.ast_json)

    def parts(self) -> tuple[pandoc_ast.Tree, pandoc_ast.Tree]:
        """(cover AST, body AST): the ::: cover material and the rest."""
        tree = self.ast()
        cover, body = pandoc_ast.split_cover(tree["blocks"])
        return {**tree, "blocks": cover}, {**tree, "blocks": body}


@dataclass(frozen=True)
class Publication:
    source: source_mod.Source
    settings: Settings
    meta: Meta
    variables: Mapping[str, Any]
    documents: Mapping[str, Document]

    def inputs(self) -> list[Path]:
        """Every file the build reads — the source, what it includes, each edition's images — which no
        output may replace."""
        files = [self.source.path]
        for document in self.documents.values():
            files += document.rendered.includes
        for tree in {document.ast_json for document in self.documents.values()}:  # editions may share a parse
            files += images.local_files(pandoc_ast.read_tree(tree)["blocks"], self.source.path.parent)
        return files
