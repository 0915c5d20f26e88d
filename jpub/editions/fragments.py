"""HTML fragments shared by the web and print editions, written by pandoc from the one AST."""

from __future__ import annotations

from dataclasses import dataclass

from jpub import pandoc
from jpub.pandoc_ast import Block, Heading, Tree
from jpub.publication import Document

_SPLIT = '<div class="jpub-split"></div>'


@dataclass(frozen=True)
class Fragments:
    cover: str
    body: str


def html_fragments(document: Document) -> Fragments:
    """Cover and body as HTML, in a single pandoc run."""
    cover, body = document.parts()
    split: Block = {"t": "RawBlock", "c": ["html", _SPLIT]}
    tree: Tree = {**body, "blocks": cover["blocks"] + [split] + body["blocks"]}
    html = pandoc.write(tree, "html5", ["--wrap=none"]).decode("utf-8")
    before, _, after = html.partition(_SPLIT)
    return Fragments(before.strip(), after.strip())


@dataclass(frozen=True)
class TocEntry:
    heading: Heading
    children: tuple[TocEntry, ...]


_Open = tuple[Heading, list["_Open"]]  # a heading and the entries under it, while the tree is built


def toc_tree(headings: tuple[Heading, ...], depth: int) -> tuple[TocEntry, ...]:
    """Headings down to ``depth`` as a tree (a deeper heading nests under the last shallower one)."""
    roots: list[_Open] = []
    stack: list[_Open] = []
    for heading in headings:
        if heading.level > depth:
            continue
        node: _Open = (heading, [])
        while stack and stack[-1][0].level >= heading.level:
            stack.pop()
        (stack[-1][1] if stack else roots).append(node)
        stack.append(node)

    def freeze(nodes: list[_Open]) -> tuple[TocEntry, ...]:
        return tuple(TocEntry(h, freeze(children)) for h, children in nodes)

    return freeze(roots)


def chapter_level(headings: tuple[Heading, ...]) -> int:
    """The heading level of 章 in this document (2 with 部 above it, 1 without); default 2."""
    for heading in headings:
        if heading.unit and heading.unit.unit == "章":
            return heading.level
    return 2


def toc_depth(configured: int, headings: tuple[Heading, ...], edition: str) -> int:
    """The deepest heading level an edition's contents list: the setting, else its default (its record says
    how far below 章 its contents reach)."""
    from jpub.editions import EDITIONS

    return configured or chapter_level(headings) + EDITIONS[edition].toc_below_chapter
