"""The output policy: what a source may not put into any edition, dropped from pandoc's AST with a warning.

Applied once, to the one parse every edition is written from, so no edition can receive what it forbids:

- raw HTML outside the allowlist (``rawhtml``), dropped whole;
- raw OpenXML (``{=openxml}``), dropped whole: it could carry fields (``INCLUDETEXT``, ``INCLUDEPICTURE``)
  and relationships that Word follows to files and hosts;
- links that do not go to ``http(s):``, ``mailto:`` or ``#id`` (``links``): the text stays, the link goes;
- images from the network or from outside the source's folder: the alternative text stays;
- attributes (``{key=value}``) that run or load something — ``on…``, a ``style`` that loads, a URL-bearing
  attribute, ``rel=attachment`` (the PDF would embed the file). Attribute names and values are read
  without regard to case, as HTML reads them: ``REL=Attachment`` is ``rel=attachment``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jpub import rawhtml
from jpub.diagnostics import Diagnostic
from jpub.links import image_refusal, link_refusal
from jpub.pandoc_ast import Attr, Block
from jpub.source_template import Rendered

RULE = "raw-html"
_ATTR_AT = {"Div": 0, "Span": 0, "Header": 1, "Link": 0, "Image": 0, "CodeBlock": 0, "Code": 0, "Table": 0, "Figure": 0}
_HTML = ("html", "html4", "html5")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash escape of ASCII punctuation, as pandoc reads it
# attributes that load or point at something; on a pandoc element they have no use but that
_URL_KEYS = {"href", "src", "srcset", "action", "formaction", "data", "poster", "xlink:href", "background", "cite", "longdesc", "ping", "manifest", "codebase"}


class _Locator:
    """Finds the source line of a snippet of the rendered text, searching forward from the last find — in
    the text as written, then with Markdown's backslash escapes read (``\\\\host`` is the URL ``\\host``)."""

    def __init__(self, rendered: Rendered):
        self.rendered = rendered
        self.texts = (rendered.text, "\n".join(_UNESCAPE.sub(r"\1", line) for line in rendered.text.split("\n")))
        self.cursors = [0, 0]

    def line(self, snippet: str) -> int:
        probe = snippet.strip().split("\n")[0][:60]
        for index, text in enumerate(self.texts):
            at = text.find(probe, self.cursors[index]) if probe else -1
            if at < 0:
                at = text.find(probe) if probe else -1
            if at >= 0:
                self.cursors[index] = at + len(probe)
                return self.rendered.source_line(text.count("\n", 0, at) + 1)
        return self.rendered.source_line(self.texts[0].count("\n", 0, self.cursors[0]) + 1)


Warn = Callable[[str, str], None]
_DROPPED = object()  # a node the policy removed (None is a legitimate value in the AST)


def sanitise(blocks: list[Block], rendered: Rendered, path: str, root: Path | None = None) -> tuple[list[Block], list[Diagnostic]]:
    """(blocks without what the policy forbids, one warning for each line where something was dropped).
    ``root`` is the source's folder: local images must lie inside it."""
    found: dict[int, list[str]] = {}
    locate = _Locator(rendered)

    def warn(snippet: str, message: str) -> None:
        found.setdefault(locate.line(snippet), []).append(message)

    cleaned = _clean_list(blocks, warn, root)
    notes = [Diagnostic(path, line, 1, "warning", RULE, _one(messages)) for line, messages in found.items()]
    return cleaned, notes


def _one(messages: list[str]) -> str:
    """A line's refusals as one message: the first, and how many more (a raw <picture> and its <source> are two)."""
    more = len(messages) - 1
    return messages[0] + (f"（この行でほかに {more} 件）" if more else "")


def _clean_list(items: list[Any], warn: Warn, root: Path | None) -> list[Any]:
    out: list[Any] = []
    for item in items:
        cleaned = _clean(item, warn, root)
        if cleaned is not _DROPPED:
            out.append(cleaned)
    return out


def _clean(node: Any, warn: Warn, root: Path | None) -> Any:
    if isinstance(node, list):
        return _clean_list(node, warn, root)
    if not isinstance(node, dict) or "t" not in node:
        return node
    kind: str = node["t"]
    content: Any = node.get("c")
    if kind in ("RawBlock", "RawInline"):
        return _raw(node, warn)
    refused = _attributes(content[_ATTR_AT[kind]]) if kind in _ATTR_AT else {}
    snippet = content[2][0] if kind in ("Link", "Image") else next(iter(refused), "")
    if kind == "Link":
        why = link_refusal(content[2][0])
        if why:
            refused["link"] = f"リンク先 {content[2][0][:60]}（{why}）"
            warn(snippet, f"{'と'.join(refused.values())}は出力に含めません（リンクを外し、文字だけ残しました）")
            return {"t": "Span", "c": [content[0], _clean(content[1], warn, root)]}
    if refused:
        warn(snippet, f"{'と'.join(refused.values())}は出力に含めません（削除しました）")
    if kind == "Image":
        why = image_refusal(content[2][0], root)
        if why:
            warn(content[2][0], f"{why}: {content[2][0][:60]}（削除しました）")
            content[2][0] = ""
    if content is None:
        return node
    return {"t": kind, "c": _clean(content, warn, root)}


def _raw(node: dict[str, Any], warn: Warn) -> object:
    form, text = node["c"][0].lower(), node["c"][1]
    if form in _HTML:
        why = rawhtml.refusal(text)
        if why:
            warn(text, f"生の HTML の{why}は出力に含めません（この HTML を削除しました）")
            return _DROPPED
    elif form == "openxml":
        warn("{=openxml}", "生の OpenXML（{=openxml}）は Word 版に含めません（フィールドや外部への参照を持てるため。削除しました）")
        return _DROPPED
    return node


def _attributes(attr: Attr) -> dict[str, str]:
    """Drop the key=value attributes that run or load something, read as HTML reads them (case-insensitively);
    what was dropped (attribute → what to tell the author)."""
    kept: list[list[str]] = []
    refused: dict[str, str] = {}
    for key, value in attr[2]:
        name = key.lower()
        loads = name == "style" and rawhtml.refusal(f'<span style="{html.escape(value)}">')
        if name == "rel" and "attachment" in value.lower():
            refused[key] = "添付ファイル（rel=attachment）"
        elif name.startswith("on") or loads or name in _URL_KEYS:
            refused[key] = f"属性 {key} "
        else:
            kept.append([key, value])
    attr[2] = kept
    return refused
