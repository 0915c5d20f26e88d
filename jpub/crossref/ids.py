"""Every id a document defines, and every internal link it makes: what links and references may point to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Where each element keeps its Attr (identifier, classes, key-value pairs) in pandoc's JSON
ATTR_AT = {"Header": 1, "Div": 0, "Span": 0, "Figure": 0, "Table": 0, "CodeBlock": 0, "Code": 0, "Image": 0, "Link": 0}
_RAW_ID = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)


def defined(node: Any) -> Iterator[str]:
    """Each id in document order, as often as it is defined: {#id} attributes and id= in raw HTML."""
    if isinstance(node, list):
        for item in node:
            yield from defined(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("t")
    if kind in ATTR_AT:
        ident = node["c"][ATTR_AT[kind]][0]
        if ident:
            yield ident
    if kind in ("RawInline", "RawBlock"):
        if node["c"][0] == "html":
            for match in _RAW_ID.finditer(node["c"][1]):
                yield next(group for group in match.groups() if group is not None)
        return
    for value in node.values():
        if isinstance(value, (list, dict)):
            yield from defined(value)


def internal_links(node: Any) -> Iterator[str]:
    """The target of each link to a place in the document (#id), in document order."""
    if isinstance(node, list):
        for item in node:
            yield from internal_links(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("t") == "Link":
        url = node["c"][2][0]
        if url.startswith("#") and len(url) > 1:
            yield url[1:]
    for value in node.values():
        if isinstance(value, (list, dict)):
            yield from internal_links(value)
