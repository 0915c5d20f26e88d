"""Every id a document defines, and every internal link it makes: what links and references may point to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Where each element keeps its Attr (identifier, classes, key-value pairs) in pandoc's JSON
ATTR_AT = {"Header": 1, "Div": 0, "Span": 0, "Figure": 0, "Table": 0, "CodeBlock": 0, "Code": 0, "Image": 0, "Link": 0}
_RAW_ID = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)


def _nodes(node: object) -> Iterator[dict[str, Any]]:
    """Every element below ``node`` in document order (an explicit stack: deep trees, no recursion cost)."""
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(reversed(current))
        elif isinstance(current, dict):
            if "t" in current:
                yield current
            content = current.get("c") if "t" in current else list(current.values())
            if isinstance(content, list):
                stack.append(content)


def defined(node: object) -> Iterator[str]:
    """Each id in document order, as often as it is defined: {#id} attributes and id= in raw HTML."""
    for element in _nodes(node):
        kind = element["t"]
        if kind in ATTR_AT:
            ident = element["c"][ATTR_AT[kind]][0]
            if ident:
                yield ident
        elif kind in ("RawInline", "RawBlock") and element["c"][0] == "html":
            for match in _RAW_ID.finditer(element["c"][1]):
                yield next(group for group in match.groups() if group is not None)


def internal_links(node: object) -> Iterator[str]:
    """The target of each link to a place in the document (#id), in document order."""
    for element in _nodes(node):
        if element["t"] == "Link":
            url = element["c"][2][0]
            if url.startswith("#") and len(url) > 1:
                yield url[1:]
