"""Ids and what points at them: a reference to a figure or table that does not exist, an internal link to
nothing, an id defined twice (a link or reference to it would land on the first)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator

from jpub.checks import crossref_view
from jpub.checks.crossref_view import id_pattern, written
from jpub.checks.model import Finding, expected_found
from jpub.checks.view import Doc


def _hint(wanted: str, known: list[str]) -> str:
    """fig:x for fig-x (pandoc-crossref's form for Quarto's, or the other way), else the closest id."""
    swapped = re.sub(r"^(fig|tbl)([:\-])", lambda m: m.group(1) + (":" if m.group(2) == "-" else "-"), wanted)
    close = [swapped] if swapped in known else difflib.get_close_matches(wanted, known, n=1)
    return f"{close[0]} のことですか？" if close else ""


def reference_unknown(doc: Doc) -> Iterator[Finding]:
    """[@fig:id], @tbl-id … whose id no figure or table has."""
    parsed = crossref_view.of(doc)
    targets = [t.id for t in parsed.crossrefs.targets]
    for wanted in dict.fromkeys(r.id for r in parsed.crossrefs.references if not r.found):
        pattern = re.compile(rf"(?<![A-Za-z0-9_])@{re.escape(wanted)}(?![A-Za-z0-9_]|[:.\-][A-Za-z0-9_])")
        for _index, place in written(doc, pattern):
            yield Finding(place, expected_found(f"@{wanted} の参照先は", "文書内の図・表の id", "見つかりません", _hint(wanted, targets)))


def link_unknown(doc: Doc) -> Iterator[Finding]:
    """[text](#id) to an id nothing in the document has."""
    parsed = crossref_view.of(doc)
    known = set(parsed.all_ids)
    for wanted in dict.fromkeys(link for link in parsed.links if link not in known):
        name = re.escape(wanted)
        pattern = re.compile(rf"\]\(\s*<?#{name}>?(?=[\s)])|\]:\s*<?#{name}>?(?=\s|$)|href\s*=\s*[\"']#{name}[\"']")
        for _index, place in written(doc, pattern):
            hint = _hint(wanted, sorted(known))
            yield Finding(place, expected_found(f"リンク先 #{wanted} は", "文書内の見出し・図表などの id", "見つかりません", hint))


def id_duplicate(doc: Doc) -> Iterator[Finding]:
    """An id written twice, or one that is also a heading's own id (part1-chapter2): each after the first."""
    parsed = crossref_view.of(doc)
    twice = [ident for ident, count in Counter(parsed.written_ids).items() if count > 1]
    clashes = [ident for ident, count in Counter(parsed.all_ids).items() if count > 1 and ident not in twice]
    for ident in twice:
        places = [place for _index, place in written(doc, id_pattern(ident))]
        for place in places[1:]:
            yield Finding(place, expected_found(f"id {ident} は", "文書内で 1 つ", "2 つ目以降です", f"最初は {places[0].line} 行"))
    for ident in clashes:
        for _index, place in list(written(doc, id_pattern(ident)))[:1]:
            yield Finding(place, expected_found(f"id {ident} は", "文書内で 1 つ", "見出しに自動で付く id と同じです", "別の id にしてください"))
