"""Images in the web edition: embedded from beside the source as data: URIs, or a clear error at their line."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from pathlib import Path

import lxml.html
import pytest

from jpub.cli import main
from jpub.errors import DocumentError
from jpub.images import Embedder, media_type
from jpub.source_template import Rendered

FRONT = "---\ntitle: 図のテスト\nauthor: テスト課\ndate: 2025-04-01\n---\n\n# 第1章 図\n\n"
LINE = FRONT.count("\n") + 1  # the source line of the first line after FRONT


def tiny_png(width: int = 2, height: int = 1) -> bytes:
    """A valid PNG of black RGB pixels, written by hand so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_source(folder: Path, body: str) -> Path:
    source = folder / "doc.md"
    source.write_text(FRONT + body, encoding="utf-8")
    return source


def build_html(source: Path, out: Path) -> int:
    return main(["html", "--source", str(source), "--out", str(out)])


def test_an_image_beside_the_source_is_embedded(tmp_path):
    png = tiny_png()
    (tmp_path / "fig").mkdir()
    (tmp_path / "fig" / "dot.png").write_bytes(png)
    source = write_source(tmp_path, "![図1 テスト用の点](fig/dot.png)\n\n本文。\n")
    assert build_html(source, tmp_path / "out") == 0
    root = lxml.html.fromstring((tmp_path / "out" / "doc.html").read_bytes())
    [img] = root.xpath("//main//img")
    prefix = "data:image/png;base64,"
    assert img.get("src").startswith(prefix)
    assert base64.b64decode(img.get("src")[len(prefix) :]) == png
    assert img.get("alt") == "図1 テスト用の点"


def test_the_image_is_found_relative_to_the_source_not_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "dot.png").write_bytes(tiny_png())
    source = write_source(tmp_path / "doc", "![点](dot.png)\n")
    monkeypatch.chdir(tmp_path)
    assert build_html(source, tmp_path / "out") == 0
    assert b"data:image/png;base64," in (tmp_path / "out" / "doc.html").read_bytes()


def test_a_missing_image_stops_the_build_at_its_line(tmp_path, capsys):
    source = write_source(tmp_path, "![欠けた図](fig/none.png)\n")
    assert build_html(source, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert re.search(rf"doc\.md:{LINE}(:\d+)?: error: .*fig/none\.png.*見つかりません", err), err
    assert not (tmp_path / "out" / "doc.html").exists()


def test_the_writer_refuses_a_missing_image_itself(tmp_path):
    """The checks report a missing image first; the writer does not rely on them being switched on."""
    rendered = Rendered("html", "# 第1章 図\n\n![欠けた図](none.png)\n", (7, 8, 9))
    with pytest.raises(DocumentError) as caught:
        Embedder(tmp_path, rendered, "doc.md")("none.png")
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.rule) == ("doc.md", 9, "image")
    assert "画像ファイルが見つかりません: none.png" in diagnostic.message


# (what the source says, the file beside it, the message expected at its line)
FAILURES = [
    ("![文字の図](fig/dot.png)", b"not an image at all", "画像の形式が分かりません"),
]


def test_an_image_without_alternative_text_is_a_warning_and_decoration(tmp_path, capsys):
    """JIS X 8341-3 asks for alternative text: the checks warn at the line; the page marks the image alt=""."""
    (tmp_path / "fig").mkdir()
    (tmp_path / "fig" / "dot.png").write_bytes(tiny_png())
    source = write_source(tmp_path, "![](fig/dot.png)\n")
    assert build_html(source, tmp_path / "out") == 0
    assert re.search(rf"doc\.md:{LINE}:1: warning: .*代替テキスト.* \[figure-alt\]", capsys.readouterr().err)
    [img] = lxml.html.fromstring((tmp_path / "out" / "doc.html").read_bytes()).xpath("//main//img")
    assert img.get("alt") == ""


@pytest.mark.parametrize(("markdown", "content", "message"), FAILURES)
def test_an_image_that_cannot_be_embedded_stops_the_build_at_its_line(tmp_path, capsys, markdown, content, message):
    (tmp_path / "fig").mkdir()
    (tmp_path / "fig" / "dot.png").write_bytes(content)
    source = write_source(tmp_path, f"{markdown}\n")
    assert build_html(source, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert f"doc.md:{LINE}:" in err and message in err and "[image]" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "doc.html").exists()


def test_an_image_the_resource_policy_refused_leaves_its_text_and_no_img(tmp_path):
    source = write_source(tmp_path, "![遠くの図](https://example.com/x.png)\n")
    assert build_html(source, tmp_path / "out") == 0
    root = lxml.html.fromstring((tmp_path / "out" / "doc.html").read_bytes())
    assert not root.xpath("//img")
    assert "遠くの図" in root.xpath("string(//main)")


MEDIA_TYPES = [
    (tiny_png(), "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"GIF89a\x01\x00", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    (b"%PDF-1.7", None),
    (b"<html><body>", None),
]


@pytest.mark.parametrize(("data", "kind"), MEDIA_TYPES)
def test_media_type_from_the_file_itself(data, kind):
    assert media_type(data) == kind
