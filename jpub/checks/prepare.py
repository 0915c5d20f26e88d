"""From the source and its renderings to the frozen Docs the rules read (one per distinct rendering)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from jpub import pandoc
from jpub.checks import placing, view
from jpub.source import Source
from jpub.source_template import Rendered

_OPAQUE = {"Code", "CodeBlock", "RawInline", "RawBlock", "Math"}


def docs(source: Source, renderings: Mapping[str, Rendered]) -> tuple[view.Doc, ...]:
    """One Doc per distinct rendering text; editions that render alike share it."""
    file = placing.source_file(source)
    groups: dict[str, list[str]] = {}
    for fmt, rendered in renderings.items():
        groups.setdefault(rendered.text, []).append(fmt)
    views = []
    for formats in groups.values():
        rendered = renderings[formats[0]]
        lines = view.build_lines(rendered, source, file)
        units = view.build_units(lines)
        views.append((tuple(formats), lines, units))
    runs = literal_runs(_candidates(views))
    return tuple(view.Doc(formats, file, lines, view.build_headings(lines), view.build_items(lines), units, runs) for formats, lines, units in views)


def _candidates(views: list[tuple[tuple[str, ...], tuple[view.Line, ...], tuple[view.Unit, ...]]]) -> list[str]:
    texts: dict[str, None] = {}
    for _formats, lines, units in views:
        for unit in units:
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


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for child in node:
            yield from _strings(child)
    elif isinstance(node, dict):
        kind = node.get("t")
        if kind == "Str":
            yield node.get("c", "")
        elif kind not in _OPAQUE:
            yield from _strings(node.get("c"))
