"""From the Publication to the frozen Docs the rules read (one per distinct rendering)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from jpub import pandoc
from jpub.checks import blocks, placing, units, view
from jpub.checks.placing import SourceFile
from jpub.publication import Publication

_OPAQUE = {"Code", "CodeBlock", "RawInline", "RawBlock", "Math"}


# One rendering made ready: (its formats, its files, its lines, its placed blocks, its units of text).
_Prepared = tuple[tuple[str, ...], tuple[SourceFile, ...], tuple[view.Line, ...], tuple[blocks.Block, ...], tuple[units.Unit, ...]]


def docs(pub: Publication) -> tuple[view.Doc, ...]:
    """One Doc per distinct rendering text; editions that render alike share it (and pandoc's parse of it)."""
    groups: dict[str, list[str]] = {}
    for fmt, document in pub.documents.items():
        groups.setdefault(document.rendered.text, []).append(fmt)
    prepared: list[_Prepared] = []
    for formats in groups.values():
        document = pub.documents[formats[0]]
        rendered = document.rendered
        files = placing.source_files(pub.source, rendered)
        lines = view.build_lines(rendered.text.split("\n"), placing.refine_lines(rendered, files))
        placed = blocks.placed(document.ast()["blocks"], rendered.text)
        prepared.append((tuple(formats), files, lines, placed, units.build_units(lines)))
    runs = literal_runs(_candidates(prepared))
    ladder = tuple(pub.settings.numbering)
    return tuple(
        view.Doc(
            formats,
            files,
            pub.source.path.parent,
            lines,
            placed,
            view.build_headings(placed, lines),
            view.build_lists(placed, lines),
            view.build_heading_lines(lines),
            paragraphs,
            runs,
            ladder,
            (pub.settings.figure_number, pub.settings.table_number),
        )
        for formats, files, lines, placed, paragraphs in prepared
    )


def _candidates(prepared: list[_Prepared]) -> list[str]:
    texts: dict[str, None] = {}
    for *_rest, lines, _placed, found in prepared:
        for unit in found:
            text = "\n".join(lines[i].prose.strip() for i in range(unit.first, unit.last + 1))
            if "**" in text or "__" in text:
                texts[text] = None
    return list(texts)


def literal_runs(texts: list[str]) -> Mapping[str, tuple[str, ...]]:
    """What pandoc's Markdown reader leaves as literal text containing ** or __, per unit text.

    All candidate units go to pandoc in one call, each in its own div, so that the answer for each
    unit can be told apart; emphasis never crosses a block, so the context does not change it.
    """
    if not texts:
        return MappingProxyType({})
    document = "\n".join(f"::: {{#u{k}}}\n{text}\n\n:::\n" for k, text in enumerate(texts))
    tree = pandoc.parse_markdown(document)
    found: dict[str, tuple[str, ...]] = {text: () for text in texts}
    for block in tree.get("blocks", []):
        if block.get("t") != "Div":
            continue
        ident = block["c"][0][0]
        if ident.startswith("u") and ident[1:].isdigit() and int(ident[1:]) < len(texts):
            strs = tuple(s for s in _strings(block["c"][1]) if "**" in s or "__" in s)
            found[texts[int(ident[1:])]] = strs
    return MappingProxyType(found)


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, list):
        for child in node:
            yield from _strings(child)
    elif isinstance(node, dict):
        kind = node.get("t")
        if kind == "Str":
            yield node.get("c", "")
        elif kind not in _OPAQUE:
            yield from _strings(node.get("c"))
