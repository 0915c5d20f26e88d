"""Images: read beside the source and embedded as data: URIs — the web page loads nothing, and pandoc
writes them into the Word file without leaving its sandbox."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from jpub import svg
from jpub.diagnostics import Diagnostic
from jpub.errors import DocumentError
from jpub.pandoc_ast import Block, plain_text
from jpub.source_template import Rendered

RULE = "image"
FONT_RULE = "image-font"
MAX_BYTES = 10 * 1024 * 1024

# (how the file starts, its media type); SVG is recognised by its text below
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def media_type(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    return None


def data_uri(data: bytes, kind: str) -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass(frozen=True)
class Embedder:
    """Turns an image URL written in the source into a data: URI, or stops the build at its line."""

    root: Path  # the source file's folder: image paths are relative to it
    rendered: Rendered
    shown: str  # the source path as diagnostics show it
    faces: svg.Faces | None = None  # the edition's faces, for the text of SVG figures

    def line(self, url: str) -> int:
        at = self.rendered.text.find(url)
        return self.rendered.source_line(self.rendered.text.count("\n", 0, at) + 1) if at >= 0 else 0

    def fail(self, url: str, message: str) -> DocumentError:
        return DocumentError.at(self.shown, self.line(url), message, RULE)

    def read(self, url: str) -> tuple[bytes, str]:
        """The file's bytes and media type, or the build stops at the image's line."""
        path = self.root / unquote(urlsplit(url).path)
        if not path.is_file():
            raise self.fail(url, f"画像ファイルが見つかりません: {url}（ソースのフォルダからの相対パスで書いてください）")
        if path.stat().st_size > MAX_BYTES:
            raise self.fail(url, f"画像が大きすぎます: {url}（{MAX_BYTES // (1024 * 1024)} MB まで）")
        data = path.read_bytes()
        kind = media_type(data)
        if kind is None:
            raise self.fail(url, f"画像の形式が分かりません: {url}（PNG・JPEG・GIF・WebP・SVG が使えます）")
        return data, kind

    def __call__(self, url: str) -> str:
        if url.startswith("data:"):
            return url
        data, kind = self.read(url)
        if kind == "image/svg+xml" and self.faces is not None:
            data = svg.set_faces(data, self.faces).data
        return data_uri(data, kind)


def local_files(node: object, root: Path) -> list[Path]:
    """The files beside the source that the images of an AST (or a part of one) are read from."""
    found: list[Path] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            url = item["c"][2][0] if item.get("t") == "Image" else ""
            if url and not url.startswith("data:"):
                found.append(root / unquote(urlsplit(url).path))
            stack.extend(item.values())
    return found


def embed(blocks: list[Block], embedder: Embedder) -> list[Block]:
    """Every Image with its file embedded; an image whose URL the resource policy removed keeps only its text."""
    # a copy has the shape of what it copies (an Image's text stands in an inline list where the Image stood)
    return cast(list[Block], _embedded(blocks, embedder))


def _embedded(node: Any, embedder: Embedder) -> Any:
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Image" and not item["c"][2][0]:
                out.extend(item["c"][1])
            else:
                out.append(_embedded(item, embedder))
        return out
    if isinstance(node, dict):
        if node.get("t") == "Image":
            attr, alt, (url, title) = node["c"]
            if not plain_text(alt).strip() and not any(key == "alt" for key, _ in attr[2]):
                # no alternative text (the figure-alt check warns): marked as decoration, as HTML wants it said
                attr = [attr[0], attr[1], [*attr[2], ["alt", ""]]]
            return {"t": "Image", "c": [attr, alt, [embedder(url), title]]}
        return {key: _embedded(value, embedder) for key, value in node.items()}
    return node


def _urls(node: object) -> list[str]:
    if isinstance(node, list):
        return [url for item in node for url in _urls(item)]
    if not isinstance(node, dict):
        return []
    if node.get("t") == "Image":
        return [node["c"][2][0]]
    return [url for value in node.values() for url in _urls(value)]


def font_warnings(blocks: list[Block], embedder: Embedder, known: tuple[str, ...]) -> list[Diagnostic]:
    """A warning at the line of every SVG figure that names a face neither generic nor configured: the editions
    set its text in their sans face instead (a face they do not have would bring a fallback font into the PDF)."""
    found: list[Diagnostic] = []
    for url in dict.fromkeys(_urls(blocks)):
        path = embedder.root / unquote(urlsplit(url).path)
        if url.startswith("data:") or not path.is_file() or path.stat().st_size > MAX_BYTES:
            continue
        data = path.read_bytes()
        if media_type(data) != "image/svg+xml":
            continue
        for name in svg.foreign_families(data, known):
            message = f"画像 {url} の文字のフォントは 総称（sans-serif・serif・monospace）か publish の書体 のはずが「{name}」（各版のゴシック体で組みます）"
            found.append(Diagnostic(embedder.shown, embedder.line(url), 0, "warning", FONT_RULE, message))
    return found
