"""Figures and tables: numbers (written by hand, or given by a scheme), references to them, alternative text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from jpub.checks import crossref_view
from jpub.checks.crossref_view import Parsed, id_pattern, written
from jpub.checks.model import Finding, Place, expected_found
from jpub.checks.view import Doc
from jpub.crossref.numbers import Target
from jpub.crossref.scheme import Scheme
from jpub.crossref.targets import DASHES, WRITTEN

NOUN = {"figure": "図", "table": "表"}
_EMPTY_ALT = re.compile(r"!\[\s*\](?=[(\[])")


def _caption_places(doc: Doc, parsed: Parsed) -> list[Place]:
    """Where each target's caption is written, in the targets' order: at its {#id}, else at the first line after
    the previous caption that holds the start of its caption text (or its number written by hand)."""
    places: list[Place] = []
    after, last = 0, doc.at(0, 0) if doc.lines else Place(0, 1, 1)
    written_ids = set(parsed.written_ids)
    for target in parsed.crossrefs.targets:
        found = None
        if target.id in written_ids:
            found = next((p for p in written(doc, id_pattern(target.id)) if p[0] >= after), None)
        needle = (target.written or target.caption)[:8]
        if found is None and needle:
            found = next((p for p in written(doc, re.compile(re.escape(needle))) if p[0] >= after), None)
        if found is not None:
            after, last = found
        places.append(last)
    return places


def _key(text: str) -> str:
    """A number as compared when it is mentioned: NFKC, every dash a hyphen."""
    return re.sub(f"[{re.escape(DASHES)}]", "-", unicodedata.normalize("NFKC", text))


def _mentioned(number: str, body: str) -> bool:
    return re.search(re.escape(_key(number)) + r"(?![0-9]|-[0-9])", body) is not None


def _name(target: Target) -> str:
    return target.number or f"{NOUN[target.kind]}「{target.caption or target.id}」"


def unreferenced(doc: Doc) -> Iterator[Finding]:
    """A figure or table with an id or a number that nothing refers to: no [@id], no link, its number not in the text."""
    parsed = crossref_view.of(doc)
    referred = {r.target for r in parsed.crossrefs.references if r.found} | set(parsed.links)
    body = _key(parsed.body)
    written_ids = set(parsed.written_ids)
    for target, place in zip(parsed.crossrefs.targets, _caption_places(doc, parsed), strict=True):
        if target.id in referred or (target.number and _mentioned(target.number, body)):
            continue
        if target.number or target.id in written_ids:
            prefix = "fig" if target.kind == "figure" else "tbl"
            how = f"[@{target.id}] で参照できます" if target.id in written_ids else f"{{#{prefix}:名前}} を付けると [@{prefix}:名前] で参照できます"
            yield Finding(place, expected_found(f"{_name(target)} は", "本文から参照されている", "どこからも参照されていません", how))


def number(doc: Doc) -> Iterator[Finding]:
    """Numbers written by hand out of sequence or not of their 章; a number a scheme cannot give (outside the unit
    it names, the same number twice); a number written by hand where a scheme numbers already."""
    parsed = crossref_view.of(doc)
    generated = Counter(t.number for t in parsed.crossrefs.targets if t.number and not t.written)
    seen: Counter[str] = Counter()
    for target, place in zip(parsed.crossrefs.targets, _caption_places(doc, parsed), strict=True):
        if target.written and not _same(target.written, target.expected):
            yield Finding(place, expected_found(f"{NOUN[target.kind]}の番号は", target.expected, target.written, _why(target)))
            continue
        if target.number and not target.written and WRITTEN.match(target.caption):
            hand = WRITTEN.match(target.caption)
            setting = "figure-number" if target.kind == "figure" else "table-number"
            found = f"「{hand.group(0) if hand else ''}」で始まっています"
            yield Finding(place, expected_found("キャプションは", "番号なし", found, f"publish.{setting} が {target.number} を付けます"))
        if target.outside:
            subject = f"{target.scheme} の番号を付ける{NOUN[target.kind]}は"
            yield Finding(place, expected_found(subject, f"第N{target.outside}の中", f"{target.outside}の外にあります"))
        if target.number and not target.written:
            seen[target.number] += 1
            if generated[target.number] > 1 and seen[target.number] > 1:
                hint = "章の番号が部ごとに 1 から始まるなら、書式に {part} を含めてください"
                yield Finding(place, expected_found(f"番号 {target.number} は", "文書内で 1 つ", f"{seen[target.number]} つ目です", hint))


def _same(a: str, b: str) -> bool:
    return _key(a).replace(" ", "") == _key(b).replace(" ", "")


def _why(target: Target) -> str:
    """Whether the 部/章 part of the number is wrong, or the running number."""
    written_prefix, _, _ = _key(target.written).rpartition("-")
    expected_prefix, _, _ = _key(target.expected).rpartition("-")
    if written_prefix != expected_prefix:
        units = "・".join(Scheme(target.scheme).units)
        return f"この{NOUN[target.kind]}のある{units}の番号と合いません"
    return f"前の{NOUN[target.kind]}から 1 ずつ増えます"


def alt(doc: Doc) -> Iterator[Finding]:
    """An image without alternative text: ![](x.png). JIS X 8341-3 (WCAG 1.1.1) asks for one on every image that
    carries information; the editions then mark it as decoration (alt="")."""
    for _index, place in written(doc, _EMPTY_ALT):
        yield Finding(place, expected_found("画像は", "代替テキスト付き（![図の説明](…)）", "代替テキストがありません", "JIS X 8341-3"))
