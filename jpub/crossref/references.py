"""References to figures and tables in the text, written as pandoc-crossref and Quarto users write them:
``[@fig:id]``, ``@fig:id``, ``[-@fig:id]`` (the number without its label), ``[参考@fig:id]`` (another label),
``[@fig:a; @tbl:b]``, and Quarto's ``@fig-id``.

pandoc reads most of these as citations (Cite). Japanese text defeats it twice: ``図は@fig:id`` stays text,
since pandoc takes the kana before ``@`` for part of an e-mail address; and in ``@fig:idを参照`` the kana
become part of the citation's key. Both are mended here: an id is ASCII, and what follows it is text again.
Each reference becomes a link to its target whose text is the target's number (図1-2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jpub.crossref.numbers import Target
from jpub.pandoc_ast import Block, Inline, plain_text

XREF_CLASS = "xref"
JOIN = "、"
_ID = r"(?:[Ff]ig|[Tt]bl)[:\-][A-Za-z0-9_](?:[A-Za-z0-9_:.\-]*[A-Za-z0-9_])?"
ID = re.compile(_ID)
IN_TEXT = re.compile(rf"(?<![A-Za-z0-9_@.+\-])@({_ID})")


@dataclass(frozen=True)
class Reference:
    id: str  # as written (Fig:x, fig-x)
    target: str  # the id it refers to: the first letter lower-cased (pandoc-crossref's @Fig:x is @fig:x)
    found: bool  # a figure or table with that id exists


def target_id(written: str) -> str:
    return written[0].lower() + written[1:]


def _text(value: str) -> Inline:
    return {"t": "Str", "c": value}


def link(target: Target, text: str) -> Inline:
    return {"t": "Link", "c": [["", [XREF_CLASS], []], [_text(text)], [f"#{target.id}", ""]]}


def shown(target: Target, suppress: bool = False, prefix: str = "") -> str:
    """What the text says for a reference: 図1-2; 1-2 with ``-@``; 参考1-2 with a prefix; an unnumbered target by its caption."""
    if not target.number:
        return f"「{target.caption}」" if target.caption else target.id
    if prefix:
        return prefix + target.short
    return target.short if suppress else target.number


class Resolver:
    """Replaces references in an AST by links and records each one."""

    def __init__(self, targets: Mapping[str, Target]):
        self.targets = targets
        self.found: list[Reference] = []

    def _one(self, written: str, suppress: bool = False, prefix: str = "") -> list[Inline]:
        target = self.targets.get(target_id(written))
        self.found.append(Reference(written, target_id(written), target is not None))
        if target is None:
            return [_text(f"@{written}")]  # left visible: the check reports it
        return [link(target, shown(target, suppress, prefix))]

    def cite(self, node: dict[str, Any]) -> list[Inline] | None:
        citations = node["c"][0]
        keys = [ID.match(c["citationId"]) for c in citations]
        if not any(keys):
            return None  # a citation of a work, not ours to resolve
        out: list[Inline] = []
        for citation, key in zip(citations, keys, strict=True):
            if out:
                out.append(_text(JOIN))
            written = key.group(0) if key else citation["citationId"]
            prefix = plain_text(citation["citationPrefix"]).strip()
            out += self._one(written, citation["citationMode"]["t"] == "SuppressAuthor", prefix)
            rest = citation["citationId"][len(written) :]
            if rest:
                out.append(_text(rest))
            out += citation["citationSuffix"]
        return out

    def text(self, value: str) -> list[Inline] | None:
        if "@" not in value or not IN_TEXT.search(value):
            return None
        out: list[Inline] = []
        at = 0
        for match in IN_TEXT.finditer(value):
            if match.start() > at:
                out.append(_text(value[at : match.start()]))
            out += self._one(match.group(1))
            at = match.end()
        if at < len(value):
            out.append(_text(value[at:]))
        return out

    def visit(self, nodes: list[Any]) -> None:
        """Replace the references in a list of nodes and everything below it, in place (a copy of a long
        document's tree would cost more than the search). The list is any list of the AST: of blocks, of
        inlines, or one of an element's mixed arrays."""
        index = 0
        while index < len(nodes):
            item = nodes[index]
            replaced = None
            if isinstance(item, dict):
                kind = item.get("t")
                if kind == "Cite":
                    replaced = self.cite(item)
                elif kind == "Str":
                    replaced = self.text(item["c"])
                elif kind not in _OPAQUE and "c" in item:
                    self._below(item["c"])
            elif isinstance(item, list):
                self.visit(item)
            if replaced is not None:
                nodes[index : index + 1] = replaced
                index += len(replaced)
            else:
                index += 1

    def _below(self, content: object) -> None:
        if isinstance(content, list):
            self.visit(content)


_OPAQUE = {"Link", "Image", "Code", "CodeBlock", "RawInline", "RawBlock", "Math"}  # a link's text cannot hold a link


def resolve(blocks: list[Block], targets: Mapping[str, Target]) -> tuple[list[Block], tuple[Reference, ...]]:
    """The blocks with every reference a link (or left as written when its id is unknown), and the references."""
    resolver = Resolver(targets)
    resolver.visit(blocks)
    return blocks, tuple(resolver.found)
