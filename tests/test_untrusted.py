"""Sources from many hands: no network, no files outside the source tree, no script in the web edition."""

from __future__ import annotations

from pathlib import Path

import pytest

from jpub import cli, pipeline
from jpub.fetching import SourceTreeFetcher
from jpub.verify import docx as vdocx
from jpub.verify import pdf as vpdf

HOSTILE = """---
title: T
---
# 第1章 本文

段落 <img src="x.png" onerror="alert(1)"> と <a href="javascript:alert(1)">リンク</a>

<script>
alert(1)
</script>

<iframe src="http://example.com/"></iframe>

<div onclick="steal()">本文の段落</div>

[押す](javascript:alert(1))

![外部](https://example.com/a.png)

![外](../../../../../../../../../../etc/hostname)

<a rel="attachment" href="/etc/hostname">添付</a>

<img src="file:///etc/hostname" alt="f">

<style>@import url(http://example.com/x.css);</style>
"""

EXPECTED_LINES = {6, 8, 12, 14, 16, 18, 20, 22, 24, 26}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "doc.md"
    path.write_text(HOSTILE, encoding="utf-8")
    return path, folder / "out"


def test_every_refusal_is_a_warning_at_its_line(hostile_build, capsys):
    path, out = hostile_build
    assert cli.main(["--source", str(path), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    lines = {int(line.split(":")[1]) for line in err.splitlines() if "[raw-html]" in line}
    assert lines == EXPECTED_LINES
    assert all("warning" in line for line in err.splitlines() if "[raw-html]" in line)


@pytest.mark.parametrize("needle", ["<script", "onerror", "onclick", "javascript:", "<iframe", "example.com", "/etc/hostname", "@import"])
def test_html_edition_carries_none_of_it(hostile_build, needle):
    path, out = hostile_build
    if not (out / "doc.html").exists():
        cli.main(["--source", str(path), "--out", str(out)])
    assert needle not in (out / "doc.html").read_text(encoding="utf-8")


def test_pdf_embeds_no_attachment_and_no_outside_file(hostile_build):
    from pypdf import PdfReader

    path, out = hostile_build
    if not (out / "doc.pdf").exists():
        cli.main(["--source", str(path), "--out", str(out)])
    reader = PdfReader(str(out / "doc.pdf"))
    assert not reader.attachments
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0"
    assert hostname not in vpdf.pdf_text(out / "doc.pdf")


def test_docx_carries_none_of_it(hostile_build):
    path, out = hostile_build
    if not (out / "doc.docx").exists():
        cli.main(["--source", str(path), "--out", str(out)])
    text = vdocx.docx_text(out / "doc.docx")
    assert "alert" not in text and "steal" not in text and "本文の段落" in text


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("data:image/png;base64,AAAA", True),
        ("file:///src/doc/images/a.png", True),
        ("file:///src/doc/../secret.txt", False),
        ("file:///etc/passwd", False),
        ("http://example.com/a.png", False),
        ("https://example.com/a.css", False),
        ("ftp://example.com/a", False),
    ],
)
def test_weasyprint_fetcher_stays_in_the_source_tree(url, allowed):
    fetcher = SourceTreeFetcher([Path("/src/doc")])
    assert fetcher.allows(url) is allowed


def test_fetcher_refuses_and_records(tmp_path):
    fetcher = SourceTreeFetcher([tmp_path])
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/x.png")
    assert fetcher.refused == ["http://example.com/x.png"]


def test_local_image_inside_the_tree_is_kept(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"")
    path = tmp_path / "doc.md"
    path.write_text("---\ntitle: T\n---\n![図](img/a.png)\n", encoding="utf-8")
    pub = pipeline.prepare(path, ["html"])
    assert not pub.documents["html"].notes
    assert "img/a.png" in pub.documents["html"].ast_json


BYPASSES = {
    "entity-encoded scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "slash before the attribute": '<a/href="javascript:alert(2)">y</a>',
    "handler after slashes": '<img/src=x/onerror="alert(3)">',
    "image outside the tree": '<img src="../../etc/hostname" alt="h">',
    "tab inside the scheme": '<IMG SRC="jav&#x09;ascript:alert(4)">',
    "svg with a script": "<svg><script>alert(5)</script></svg>",
    "style loading from the network": '<span style="background:url(http://example.com/x)">m</span>',
}


@pytest.mark.parametrize("name", list(BYPASSES))
def test_disguised_raw_html_is_dropped_with_a_warning(tmp_path, capsys, name):
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: T\n---\n# 第1章 本文\n\n前 {BYPASSES[name]} 後\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["html", "pdf", "--source", str(path), "--out", str(out)]) == 0  # the two it reads
    assert "doc.md:6:1: warning:" in capsys.readouterr().err
    page = (out / "doc.html").read_text(encoding="utf-8")
    for needle in ("alert(", "javascript", "etc/hostname", "example.com"):
        assert needle not in page
    from pypdf import PdfReader

    links = [str(a.get_object().get("/A", {}).get("/URI", "")) for p in PdfReader(str(out / "doc.pdf")).pages for a in p.get("/Annots", []) or []]
    assert not any("javascript" in link.lower() for link in links)
