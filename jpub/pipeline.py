"""A build as typed stages over frozen values, each callable on its own:

    read → guard → parse → check → render → write        (verify reads the written files back)

``read`` loads the source, its settings and metadata, and renders the Jinja body once per edition;
``guard`` stops pathological input before pandoc sees it; ``parse`` is pandoc's one reading of each
distinct rendering and the only way a Publication is made; ``check`` runs the rule table and the
preflight over that parse; ``render`` turns the Publication into each edition's bytes, side by side on
the machine's cores; ``write`` puts them in place, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jpub import blocks, checks, crossref, forked, gcpause, images, limits, pandoc, pandoc_ast, policy, preflight, source_folder, source_template
from jpub import settings as settings_mod
from jpub import source as source_mod
from jpub.diagnostics import Diagnostic, sort
from jpub.editions import EDITIONS, FORMATS
from jpub.eras import ERAS, era_date, parse_era_date
from jpub.errors import DocumentError
from jpub.outputs import write_all
from jpub.publication import Document, Meta, Publication
from jpub.settings import Settings
from jpub.source_template import Rendered

RESERVED = ("format",)  # front-matter keys the build itself sets for the body
# a document's date: from the first day of 明治 (the era form needs an era) to the last day a zip file's
# timestamps can hold (the Word edition is a zip, stamped with the date)
FIRST_DATE = ERAS[0].first_day
LAST_DATE = dt.date(2107, 12, 31)


@dataclass(frozen=True)
class Draft:
    """The source read and rendered by Jinja for each edition, before pandoc."""

    source: source_mod.Source
    settings: Settings
    meta: Meta
    variables: Mapping[str, Any]
    renderings: Mapping[str, Rendered]


@dataclass(frozen=True)
class Output:
    """One edition rendered: its bytes and how long they took."""

    edition: str
    data: bytes
    seconds: float


# --- read ----------------------------------------------------------------------------------------------------


def read(path: Path, overrides: Mapping[str, Any] | None = None, formats: Iterable[str] = FORMATS) -> Draft:
    """The source, its settings (command-line ``overrides`` win), metadata and variables, and the body
    rendered for each of ``formats``."""
    src = source_mod.load(path)
    publish_line = source_template.front_key_line(src, "publish")
    configured = settings_mod.from_front_matter(src.front, src.display, publish_line, src.front_text)
    settings = settings_mod.with_overrides(configured, **(overrides or {}))
    front = source_template.render_front(src)
    for name in RESERVED:
        if name in front:
            raise DocumentError.at(src.display, source_template.front_key_line(src, name), f"{name} は予約語です（エディション名が入ります）", "front-matter")
    variables = MappingProxyType({k: v for k, v in front.items() if k != "publish"})
    meta = _meta(front, src.display, source_template.front_key_line(src, "date"))
    renderings = MappingProxyType(source_template.render_bodies(src, variables, formats))
    return Draft(src, settings, meta, variables, renderings)


def _meta(front: Mapping[str, Any], shown: str, date_line: int = 0) -> Meta:
    date = front.get("date")
    if isinstance(date, str):
        written = date
        try:
            date = dt.date.fromisoformat(written.strip())
        except ValueError:
            date = parse_era_date(written)
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


# --- guard and parse -----------------------------------------------------------------------------------------


def guard(draft: Draft) -> list[Diagnostic]:
    """Input beyond the limits, found before pandoc (which is slow or worse on it); each distinct rendering
    once (the editions' renderings are usually one text)."""
    distinct = {rendered.text: rendered for rendered in draft.renderings.values()}
    return sort(d for rendered in distinct.values() for d in limits.check(rendered, draft.source.display))


def parse(draft: Draft) -> Publication:
    """pandoc reads each distinct rendering once; editions whose renderings agree share the parse. The
    raw-HTML policy is applied here, so no edition can receive what it forbids; figures and tables are
    numbered and references resolved here, so every edition shows the same numbers."""
    parsed: dict[str, tuple[str, tuple[Diagnostic, ...], crossref.Crossrefs]] = {}
    documents = {}
    for fmt, rendered in draft.renderings.items():
        if rendered.text not in parsed:
            tree = pandoc.parse_markdown(rendered.text)
            tree["blocks"], dropped = policy.sanitise(tree["blocks"], rendered, draft.source.display, draft.source.path.parent)
            if any(command in rendered.text for command in pandoc_ast.TEX_PAGE_BREAKS):
                tree["blocks"] = pandoc_ast.read_page_breaks(tree["blocks"])
            pandoc_ast.assign_ids(tree["blocks"])
            tree["blocks"] = blocks.structure(tree["blocks"], draft.settings.column_numbering)
            tree["blocks"], crossrefs = crossref.apply(tree["blocks"], draft.settings)
            parsed[rendered.text] = (json.dumps(tree, ensure_ascii=False), tuple(dropped), crossrefs)
        tree_json, notes, crossrefs = parsed[rendered.text]
        body = pandoc_ast.split_cover(pandoc_ast.read_tree(tree_json)["blocks"])[1]
        documents[fmt] = Document(fmt, rendered, tree_json, pandoc_ast.headings(body), notes, crossrefs)
    return Publication(draft.source, draft.settings, draft.meta, draft.variables, MappingProxyType(documents))


def prepare(path: Path, formats: Iterable[str] = FORMATS, overrides: Mapping[str, Any] | None = None) -> Publication:
    """read, then parse: the Publication the editions (and verify) are made from."""
    return parse(read(path, overrides, formats))


# --- check ---------------------------------------------------------------------------------------------------


def check(pub: Publication, editions: Sequence[str] = ()) -> list[Diagnostic]:
    """The rule table over every edition's rendering, what the parse noted (dropped raw HTML), and, when the
    print edition is to be built, what it needs of this machine."""
    found = checks.run(pub) + source_folder.included_documents(pub.source)
    found += [note for document in pub.documents.values() for note in document.notes]
    faces = tuple(getattr(pub.settings, name) for name in ("serif_font", "sans_font", "mono_font", "docx_serif_font", "docx_sans_font"))
    for document in pub.documents.values():
        embedder = images.Embedder(pub.source.path.parent, document.rendered, pub.source.display)
        found += images.font_warnings(document.ast()["blocks"], embedder, faces)
    if "pdf" in editions:
        found += preflight.check_pdf(pub.settings, pub.source.display, source_template.front_key_line(pub.source, "publish"))
    if ("pdf" in editions or not editions) and "pdf" in pub.documents:  # characters the print fonts lack
        found += preflight.uncovered(pub.documents["pdf"].rendered, pub.settings, pub.source.display)
    if "docx" in editions:
        found += preflight.check_docx(pub.source.display, 0)
    return sort(found)


def preflight_only(draft: Draft, editions: Sequence[str]) -> list[Diagnostic]:
    """What the print edition needs of this machine, for a build the guard already stopped."""
    if "pdf" not in editions:
        return []
    return preflight.check_pdf(draft.settings, draft.source.display, source_template.front_key_line(draft.source, "publish"))


# --- render and write ----------------------------------------------------------------------------------------


def render(pub: Publication, editions: Sequence[str]) -> tuple[Output, ...]:
    """Every edition's bytes, in the order asked for.

    WeasyPrint lays the PDF out in this process while the Word and web editions render in a forked copy of
    it, on another core. In threads they would wait for WeasyPrint's turn at the interpreter lock (only
    pandoc runs apart), slowing the PDF by as much as they take. Where the platform does not fork, threads.
    """
    if "pdf" in editions:
        preflight.import_weasyprint()  # a missing Pango is explained here, before anything forks
    others = [name for name in editions if name != "pdf"]
    with gcpause.paused():
        if "pdf" in editions and others and forked.available():
            results, beside = forked.side_by_side(lambda: _in_threads(pub, ["pdf"]), lambda: _in_threads(pub, others))
            results.update(beside)
        else:
            results = _in_threads(pub, list(editions))
    return tuple(results[name] for name in editions)


def _in_threads(pub: Publication, editions: list[str]) -> dict[str, Output]:
    def one(name: str) -> Output:
        begin = time.perf_counter()
        data = EDITIONS[name].render(pub)
        return Output(name, data, time.perf_counter() - begin)

    if len(editions) == 1:
        results = [one(editions[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(editions)) as pool:
            results = list(pool.map(one, editions))
    return {output.edition: output for output in results}


def output_path(source: Path, out: Path, edition: str) -> Path:
    """Where an edition of a source is written: ``out/<source stem><suffix>``."""
    return out / f"{source.stem}{EDITIONS[edition].suffix}"


def write(outputs: Sequence[Output], pub: Publication, out: Path) -> tuple[Path, ...]:
    """Every output in place, all or nothing: each written to a temporary file, then all renamed; a failure
    leaves every earlier output as it was. An output that would replace one of the build's inputs (the
    source, an include, an image) is refused before anything is written."""
    targets = tuple(output_path(pub.source.path, out, output.edition) for output in outputs)
    write_all({target: output.data for target, output in zip(targets, outputs, strict=True)}, pub.inputs())
    return targets
