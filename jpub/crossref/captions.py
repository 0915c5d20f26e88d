"""Writing the numbers into the AST: an id for every figure and table (the 図表目次 links to it) and its number
at the start of its caption, marked so each edition can treat it as a number (Word: a SEQ field)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from jpub.crossref.numbers import NUMBER_CLASS, SEPARATOR, Target
from jpub.crossref.targets import Found
from jpub.pandoc_ast import Inline


def number_span(text: str) -> Inline:
    return {"t": "Span", "c": [["", [NUMBER_CLASS], []], [{"t": "Str", "c": text}]]}


def _text(text: str) -> list[Inline]:
    """A Str of the text; nothing for no text."""
    return [{"t": "Str", "c": text}] if text else []


def fresh_id(target: Target, used: set[str]) -> str:
    """figure-1-2 / table-3 from the number, figure-5 (its place) when it has none; never one already used."""
    digits = re.sub(r"[^0-9]+", "-", unicodedata.normalize("NFKC", target.number)).strip("-")
    wanted = f"{target.kind}-{digits or target.index + 1}"
    final, n = wanted, 1
    while final in used:
        n += 1
        final = f"{wanted}-{n}"
    used.add(final)
    return final


def write(found: Sequence[Found], targets: Sequence[Target], used: set[str]) -> tuple[Target, ...]:
    """Give ids and caption numbers in place; the targets with the ids they now have."""
    out: list[Target] = []
    for item, target in zip(found, targets, strict=True):
        if not item.id:
            item.set_id(fresh_id(target, used))
        caption = item.caption
        if target.written:
            first = caption[0] if caption else None
            if first and first["t"] == "Str" and first["c"].startswith(target.written):
                rest = first["c"][len(target.written) :]
                caption[:1] = [number_span(target.written), *_text(rest)]
        elif target.number:
            caption[:0] = [number_span(target.number), *(_text(SEPARATOR) if caption else [])]
        out.append(replace(target, id=item.id))
    return tuple(out)
