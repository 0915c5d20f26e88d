"""The raw-HTML and resource policy: what a source may not put into an edition, dropped with a warning.

Scripts, frames, embedded objects, base/link/meta/style elements, event-handler attributes,
javascript: URLs, PDF attachments, and images from the network or from outside the source tree are
removed from the pandoc AST before any edition is written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jpub.diagnostics import Diagnostic
from jpub.source_template import Rendered

RULE = "raw-html"
_FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "link", "meta", "style", "form", "svg", "math"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "background", "cite", "longdesc"}
_RESOURCE_ATTRS = {"src", "srcset", "poster", "data", "background"}
_BAD_URL = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)\s*:?", re.I)
# a second, cruder look at the decoded text: anything that could be a handler or a script URL to a browser
_HANDLER_ANYWHERE = re.compile(r"[\s/\"'`]on[a-z]+\s*=", re.I)
_SCRIPT_URL_ANYWHERE = re.compile(r"(?:java|vb)script:", re.I)
_STYLE_LOAD = re.compile(r"url\s*\(|expression\s*\(|@import", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_ATTR_AT = {"Div": 0, "Span": 0, "Header": 1, "Link": 0, "Image": 0, "CodeBlock": 0, "Code": 0, "Table": 0, "Figure": 0}


class _Locator:
    """Finds the source line of a snippet of the rendered text, searching forward from the last find."""

    def __init__(self, rendered: Rendered):
        self.rendered, self.cursor = rendered, 0

    def line(self, snippet: str) -> int:
        text = self.rendered.text
        probe = snippet.strip().split("\n")[0][:60]
        at = text.find(probe, self.cursor) if probe else -1
        if at < 0:
            at = text.find(probe) if probe else -1
        if at < 0:
            return self.rendered.source_line(text.count("\n", 0, self.cursor) + 1)
        self.cursor = at + len(probe)
        return self.rendered.source_line(text.count("\n", 0, at) + 1)


Warn = Callable[[str, str], None]
_DROPPED = object()  # a node the policy removed (None is a legitimate value in the AST)


def sanitise(blocks: list[Any], rendered: Rendered, path: str, root: Path | None = None) -> tuple[list[Any], list[Diagnostic]]:
    """(blocks without what the policy forbids, a warning for each thing dropped).

    ``root`` is the source tree: local images must lie inside it.
    """
    notes: list[Diagnostic] = []
    locate = _Locator(rendered)

    def warn(snippet: str, message: str) -> None:
        notes.append(Diagnostic(path, locate.line(snippet), 1, "warning", RULE, message))

    return _clean_list(blocks, warn, root), notes


def _clean_list(items: list[Any], warn: Warn, root: Path | None) -> list[Any]:
    out = []
    for item in items:
        cleaned = _clean(item, warn, root)
        if cleaned is not _DROPPED:
            out.append(cleaned)
    return out


class _Tags(HTMLParser):
    """Start tags and their attributes (entity references decoded), as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.tags.append((tag, []))


def raw_html_refusal(raw: str, root: Path | None) -> str:
    """What the policy refuses in a piece of raw HTML ('' when nothing): the whole piece is then dropped."""
    parser = _Tags()
    try:
        parser.feed(raw)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser raises on hopeless markup; refuse what cannot be read
        return "読み取れない記述"
    for tag, attrs in parser.tags:
        if tag in _FORBIDDEN_TAGS:
            return f" <{tag}> "
        for name, value in attrs:
            value = value or ""
            compact = _CONTROL.sub("", value)
            if name.startswith("on"):
                return f"イベント属性（{name}）"
            if name == "rel" and "attachment" in value.lower():
                return "添付ファイル（rel=attachment）"
            if name in _URL_ATTRS and _BAD_URL.match(compact):
                return f"スクリプトの URL（{name}）"
            if name in _RESOURCE_ATTRS and compact and _outside(compact.split()[0], root):
                where = "ネットワーク上" if "ネットワーク" in _outside(compact.split()[0], root) else "ソースのフォルダの外"
                return f"{where}の画像（{name}）"
            if name == "style" and _STYLE_LOAD.search(value):
                return "style 属性からの読み込み"
    decoded = html.unescape(raw)
    if _HANDLER_ANYWHERE.search(decoded) or _SCRIPT_URL_ANYWHERE.search(_CONTROL.sub("", decoded)):
        return "スクリプトに読める記述"
    return ""


def _outside(url: str, root: Path | None) -> str:
    """Why an image URL may not be loaded ('' when it may)."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return ""
    if parts.scheme or url.startswith("//"):
        return "ネットワーク上の画像は読み込みません"
    if root is not None and not (root / unquote(parts.path)).resolve().is_relative_to(root.resolve()):
        return "ソースのフォルダの外にある画像は読み込みません"
    return ""


def _clean(node: Any, warn: Warn, root: Path | None) -> Any:
    if isinstance(node, list):
        return _clean_list(node, warn, root)
    if not isinstance(node, dict) or "t" not in node:
        return node
    kind, content = node["t"], node.get("c")
    if kind in ("RawBlock", "RawInline") and content[0].lower() in ("html", "html4", "html5"):
        why = raw_html_refusal(content[1], root)
        if why:
            warn(content[1], f"生の HTML の{why}は出力に含めません（この HTML を削除しました）")
            return _DROPPED
        return node
    if kind in _ATTR_AT:
        attr = content[_ATTR_AT[kind]]
        refused = [key for key, value in attr[2] if key.lower().startswith("on") or (key.lower() == "style" and _STYLE_LOAD.search(value))]
        if refused:
            warn(refused[0], f"属性 {', '.join(refused)} は出力に含めません（削除しました）")
            attr[2] = [[k, v] for k, v in attr[2] if k not in refused]
    if kind in ("Link", "Image") and _BAD_URL.match(content[2][0]):
        warn(content[2][0], f"リンク先 {content[2][0][:40]} は出力に含めません（削除しました）")
        content[2][0] = ""
    if kind == "Link" and any(k == "rel" and "attachment" in v for k, v in content[0][2]):
        warn(content[2][0], "添付ファイル（rel=attachment）は出力に含めません（リンクのみ残しました）")
        content[0][2] = [[k, v] for k, v in content[0][2] if k != "rel"]
    if kind == "Image":
        why = _outside(content[2][0], root)
        if why:
            warn(content[2][0], f"{why}: {content[2][0][:60]}（削除しました）")
            content[2][0] = ""
    if content is None:
        return node
    return {"t": kind, "c": _clean(content, warn, root)}
