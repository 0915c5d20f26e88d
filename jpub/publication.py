"""From a source file to what every edition is written from: one parse per distinct rendering."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jpub import images, pandoc, pandoc_ast, policy, source_template
from jpub import settings as settings_mod
from jpub import source as source_mod
from jpub.diagnostics import Diagnostic
from jpub.eras import ERAS, era_date, parse_era_date
from jpub.errors import DocumentError
from jpub.settings import Settings

RESERVED = ("format", "publish")
# a document's date: from the first day of 明治 (the era form needs an era) to the last day a zip file's
# timestamps can hold (the Word edition is a zip, stamped with the date)
FIRST_DATE = ERAS[0].first_day
LAST_DATE = dt.date(2107, 12, 31)


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

    def ast(self) -> dict[str, Any]:
        return json.loads(self.ast_json)

    def parts(self) -> tuple[dict[str, Any], dict[str, Any]]:
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
            files += images.local_files(json.loads(tree)["blocks"], self.source.path.parent)
        return files


def _meta(front: Mapping[str, Any], shown: str, date_line: int = 0) -> Meta:
    date = front.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            date = parse_era_date(date)
            if date is None:
                message = f"date は 2024-06-11 か 令和6年6月11日 の形の、存在する日付で書いてください（{front['date']!r}）"
                raise DocumentError.at(shown, date_line, message, "front-matter") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    last = dt.datetime(LAST_DATE.year, 12, 31, 23, 59, 58, tzinfo=dt.UTC).timestamp()
    if epoch.isdigit() and int(epoch) > last:  # pandoc and the zip writer read it too
        raise DocumentError.at("SOURCE_DATE_EPOCH", 0, f"SOURCE_DATE_EPOCH が大きすぎます（{LAST_DATE} まで、{int(last)} 以下にしてください）", "front-matter")
    if isinstance(date, dt.date) and not FIRST_DATE <= date <= LAST_DATE:
        message = f"date は {era_date(FIRST_DATE)}（{FIRST_DATE}）から {LAST_DATE} までの日付で書いてください（{date}）"
        raise DocumentError.at(shown, date_line, message, "front-matter")
    keywords = front.get("keywords") or ()
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",")]
    return Meta(
        title=str(front.get("title") or Path(shown).stem),
        subtitle=str(front.get("subtitle") or ""),
        author=str(front.get("author") or ""),
        date=date if isinstance(date, dt.date) else None,
        lang=str(front.get("lang") or "ja"),
        subject=str(front.get("subject") or ""),
        keywords=tuple(str(k) for k in keywords),
    )


def read(path: Path, overrides: Mapping[str, Any] | None = None) -> tuple[source_mod.Source, Settings, Meta, dict[str, Any]]:
    """Load the source and its settings, metadata and template variables (no rendering yet)."""
    src = source_mod.load(path)
    configured = settings_mod.from_front_matter(src.front, src.display, source_template.front_key_line(src, "publish"), src.front_text)
    settings = settings_mod.with_overrides(configured, **(overrides or {}))
    front = source_template.render_front(src)
    for name in RESERVED[:1]:
        if name in front:
            raise DocumentError.at(src.display, source_template.front_key_line(src, name), f"{name} は予約語です（エディション名が入ります）", "front-matter")
    variables = {k: v for k, v in front.items() if k != "publish"}
    return src, settings, _meta(front, src.display, source_template.front_key_line(src, "date")), variables


def render(src: source_mod.Source, variables: Mapping[str, Any], formats: Iterable[str]) -> dict[str, source_template.Rendered]:
    return {fmt: source_template.render_body(src, variables, fmt) for fmt in formats}


def parse(renderings: Mapping[str, source_template.Rendered], path: str = "", root: Path | None = None) -> dict[str, Document]:
    """pandoc reads each distinct rendering once; editions whose renderings agree share the parse.

    The raw-HTML policy is applied here, so no edition can receive what it forbids.
    """
    parsed: dict[str, tuple[str, tuple[Diagnostic, ...]]] = {}
    documents = {}
    for fmt, rendered in renderings.items():
        if rendered.text not in parsed:
            tree = pandoc.parse_markdown(rendered.text)
            tree["blocks"], notes = policy.sanitise(tree["blocks"], rendered, path, root)
            pandoc_ast.assign_ids(tree["blocks"])
            parsed[rendered.text] = (json.dumps(tree, ensure_ascii=False), tuple(notes))
        tree_json, notes = parsed[rendered.text]
        body = pandoc_ast.split_cover(json.loads(tree_json)["blocks"])[1]
        documents[fmt] = Document(fmt, rendered, tree_json, pandoc_ast.headings(body), notes)
    return documents


def prepare(path: Path, formats: Iterable[str], overrides: Mapping[str, Any] | None = None) -> Publication:
    src, settings, meta, variables = read(path, overrides)
    documents = parse(render(src, variables, formats), src.display, src.path.parent)
    return Publication(src, settings, meta, MappingProxyType(variables), MappingProxyType(documents))
