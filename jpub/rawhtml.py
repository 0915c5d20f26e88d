"""The raw-HTML and resource policy: what a source may not put into an edition, dropped with a warning.

Scripts, frames, embedded objects, base/link/meta/style elements, event-handler attributes,
javascript: URLs, PDF attachments, and images from the network or from outside the source tree are
removed from the pandoc AST before any edition is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic
from .templating import Rendered

RULE = "raw-html"
_FORBIDDEN_TAG = re.compile(r"<\s*/?\s*(script|iframe|object|embed|frame|frameset|applet|base|link|meta|style|form)\b", re.I)
_HANDLER = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_BAD_URL = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)\s*:?", re.I)
_BAD_URL_ATTR = re.compile(r"""\s+(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript):[^\s>]*""", re.I)
_REMOTE_SRC = re.compile(r"""\s+(?:src|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)(?!image/)[^\s>]*""", re.I)
_ATTACHMENT = re.compile(r"""rel\s*=\s*["']?[^"'>]*\battachment\b""", re.I)
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
        raw = content[1]
        tag = _FORBIDDEN_TAG.search(raw)
        if tag:
            warn(raw, f"生の HTML の <{tag.group(1).lower()}> は出力に含めません（削除しました）")
            return _DROPPED
        if _ATTACHMENT.search(raw):
            warn(raw, "生の HTML の添付ファイル（rel=attachment）は出力に含めません（削除しました）")
            return _DROPPED
        cleaned = _REMOTE_SRC.sub("", _BAD_URL_ATTR.sub("", _HANDLER.sub("", raw)))
        if cleaned != raw:
            warn(raw, "生の HTML のイベント属性・javascript: URL・外部の読み込みは出力に含めません（削除しました）")
        return {"t": kind, "c": [content[0], cleaned]}
    if kind in _ATTR_AT:
        attr = content[_ATTR_AT[kind]]
        handlers = [key for key, _ in attr[2] if key.lower().startswith("on")]
        if handlers:
            warn(handlers[0], f"属性 {', '.join(handlers)} は出力に含めません（削除しました）")
            attr[2] = [[k, v] for k, v in attr[2] if not k.lower().startswith("on")]
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
