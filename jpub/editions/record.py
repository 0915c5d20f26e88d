"""What an edition is: one record per edition, every fact about it in one row."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jpub.pandoc_ast import Tree
    from jpub.publication import Publication
    from jpub.settings import Settings
    from jpub.verify.reader import EditionReader


@dataclass(frozen=True)
class Edition:
    name: str  # also the value of ``format`` in the source's Jinja body
    suffix: str  # of the output file
    render: Callable[[Publication], bytes]  # the Publication → the file's bytes
    reader: Callable[[], EditionReader]  # → what reads the built file back
    fonts: Callable[[Settings], tuple[str, ...]]  # the families the settings allow in the built file
    nested_outline: bool  # headings read back as an outline (bookmarks): a level is the nesting depth
    toc_below_chapter: int  # how far below 章 its contents reach when publish.toc-depth is not set
    # (Publication, the rendering's AST) → the AST with the text the edition adds (the PDF's link URLs); verify expects it
    adds_text: Callable[[Publication, Tree], Tree] = lambda pub, tree: tree


def lazy(module: str, name: str) -> Callable[..., Any]:
    """``module.name`` called on first use: WeasyPrint alone takes half a second to import."""

    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args)

    call.__qualname__ = f"{module}.{name}"
    return call
