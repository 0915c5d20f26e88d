"""Link URLs printed in the print edition: paper cannot be clicked.

``publish: pdf-link-urls`` says where a link to the outside (http, https, mailto, ftp) shows its URL:
``footnote`` (a footnote at the foot of the page, the default), ``after`` (in brackets after the link's
text), or ``none``. A link whose text is its URL already, and a link inside the document (#…), is left as it
is. Verify expects the URLs too: the edition adds them to the text before anything is written.
"""

from __future__ import annotations

from typing import Any

from jpub.pandoc_ast import Element, Inline, Tree, plain_text, rebuild
from jpub.publication import Publication

URL_CLASS = "link-url"
_OUTSIDE = ("http://", "https://", "mailto:", "ftp://")


def _shown(url: str) -> str:
    return url.removeprefix("mailto:")


def _printed(link: dict[str, Any], mode: str) -> Element | None:
    url = link["c"][2][0]
    text = plain_text(link["c"][1]).strip()
    if not url.startswith(_OUTSIDE) or text in (url, _shown(url)):
        return None
    shown: Inline = {"t": "Span", "c": [["", [URL_CLASS], []], [{"t": "Str", "c": _shown(url)}]]}
    if mode == "footnote":
        added: list[Inline] = [{"t": "Note", "c": [{"t": "Para", "c": [shown]}]}]
    else:
        added = [{"t": "Str", "c": "（"}, shown, {"t": "Str", "c": "）"}]
    return {"t": "Span", "c": [["", [], []], [link, *added]]}


def with_urls(tree: Tree, mode: str) -> Tree:
    """A copy of an AST with every outside link's URL printed as ``mode`` says."""
    if mode == "none":
        return tree
    return rebuild(tree, lambda node: _printed(node, mode) if node.get("t") == "Link" else None)


def printed_text(pub: Publication, tree: Tree) -> Tree:
    """What the print edition adds to the text of its rendering: the link URLs."""
    return with_urls(tree, pub.settings.pdf_link_urls)
