"""The output policy against a hostile source: attachments, raw OpenXML, links to files and shares, raw
images — each dropped with a warning at its line, from all three editions alike."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from jpub import cli, rawhtml

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc"
    b"\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
FIELD = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> {} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'

# name → (Markdown written on its own line, what its warning says); the first case is on line 6
CASES = {
    "rel=Attachment": (
        "[添付1](secret.txt){rel=Attachment}",
        "添付ファイル（rel=attachment）とリンク先 secret.txt（ローカルのファイルへのリンク）は出力に含めません",
    ),
    "REL=attachment": ("[添付2](https://example.com/a){REL=attachment}", "添付ファイル（rel=attachment）は出力に含めません（削除しました）"),
    "raw REL=Attachment": ('<a href="https://example.com/" REL="Attachment">添付3</a>', "添付ファイル（rel=attachment）は出力に含めません"),
    "INCLUDETEXT field": ("```{=openxml}\n" + FIELD.format('INCLUDETEXT "/etc/passwd"') + "\n```", "生の OpenXML（{=openxml}）は Word 版に含めません"),
    "INCLUDEPICTURE field": ("```{=openxml}\n" + FIELD.format('INCLUDEPICTURE "http://example.com/p.png"') + "\n```", "生の OpenXML"),
    "HYPERLINK field": ("```{=openxml}\n" + FIELD.format('HYPERLINK "file:///etc/passwd"') + "\n```", "生の OpenXML"),
    "malformed OpenXML": ("```{=openxml}\n<w:p><w:r>\n```", "生の OpenXML"),
    "inline OpenXML": ("前 `<w:r><w:t>x</w:t></w:r>`{=openxml} 後", "生の OpenXML"),
    "file: link": ("[ファイル](file:///etc/passwd)", "リンク先 file:///etc/passwd（file: の URL へのリンク）は出力に含めません"),
    "UNC link": ("[共有](\\\\\\\\host\\\\share\\\\x)", "リンク先 \\\\host\\share\\x（ネットワーク上の共有フォルダ"),
    "UNC with slashes": ("[共有2](//host/share/x)", "（ネットワーク上の共有フォルダやホスト"),
    "file: autolink": ("<file:///etc/shadow>", "リンク先 file:///etc/shadow（file: の URL へのリンク）は出力に含めません"),
    "relative link": ("[下書き](draft.md)", "リンク先 draft.md（ローカルのファイルへのリンク）は出力に含めません"),
    "smb: link": ("[smb](smb://host/share)", "リンク先 smb://host/share（smb: の URL へのリンク）は出力に含めません"),
    "raw file: link": ('<a href="file:///etc/passwd">生</a>', "生の HTML のリンク先 file:///etc/passwd（file: の URL へのリンク）は出力に含めません"),
    "raw img": ('<img src="a.png" alt="図">', "生の HTML の画像（<img>）（画像は ![図の説明](ファイル名) の形で書いてください）は出力に含めません"),
    "raw srcset": ('<picture><source srcset="a.png 1x, https://example.com/t.png 2x"></picture>', "生の HTML の画像（<picture>）（画像は ![図の説明]"),
    "srcset attribute": ('![図](a.png){SRCSET="https://example.com/t.png 2x"}', "属性 SRCSET は出力に含めません"),
    "ONCLICK attribute": ('[押す]{ONCLICK="alert(1)"}', "属性 ONCLICK は出力に含めません"),
    "STYLE that loads": ('[背景]{STYLE="background:url(https://example.com/t.png)"}', "属性 STYLE は出力に含めません"),
}
KEPT = "[ウェブ](https://example.com/ok) [メール](mailto:info@example.jp) [見出し](#chapter1)"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, int], str]:
    folder = tmp_path_factory.mktemp("policy")
    (folder / "secret.txt").write_text("SECRET-IN-THE-FOLDER\n", encoding="utf-8")
    (folder / "draft.md").write_text("下書き\n", encoding="utf-8")
    (folder / "a.png").write_bytes(PNG)
    lines, body = {}, "---\ntitle: T\n---\n# 第1章 本文\n\n"
    for name, (markdown, _) in CASES.items():
        lines[name] = body.count("\n") + 1
        body += markdown + "\n\n"
    body += KEPT + "\n"
    (folder / "doc.md").write_text(body, encoding="utf-8")
    out = folder / "out"
    import io
    import sys

    saved, sys.stderr = sys.stderr, io.StringIO()
    try:
        status = cli.main(["--source", str(folder / "doc.md"), "--out", str(out)])
        err = sys.stderr.getvalue()
    finally:
        sys.stderr = saved
    assert status == 0, err
    return out, lines, err


@pytest.mark.parametrize("name", list(CASES))
def test_each_refusal_is_one_warning_at_its_line(built, name):
    _, lines, err = built
    said = [line for line in err.splitlines() if line.startswith(f"{built[0].parent}/doc.md:{lines[name]}:")]
    assert len(said) == 1 and CASES[name][1] in said[0] and ": warning: " in said[0], "\n".join(said) or err


def test_the_pdf_attaches_nothing_and_links_only_to_the_web_mail_and_itself(built):
    from pypdf import PdfReader

    out, _, _ = built
    reader = PdfReader(str(out / "doc.pdf"))
    assert not reader.attachments
    uris = [str(a.get_object().get("/A", {}).get("/URI", "")) for p in reader.pages for a in p.get("/Annots", []) or []]
    assert "https://example.com/ok" in uris and "mailto:info@example.jp" in uris
    assert all(uri.startswith(("https:", "mailto:")) for uri in uris if uri), uris


def test_the_word_edition_has_no_field_and_no_relationship_to_a_file_or_share(built):
    out, _, _ = built
    with zipfile.ZipFile(out / "doc.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
        relationships = package.read("word/_rels/document.xml.rels").decode("utf-8")
    for needle in ("INCLUDETEXT", "INCLUDEPICTURE", 'HYPERLINK "file', "/etc/passwd"):
        assert needle not in document
    external = re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', relationships)
    external += re.findall(r'TargetMode="External"[^>]*Target="([^"]*)"', relationships)
    assert "https://example.com/ok" in external
    assert all(target.startswith(("https:", "mailto:")) for target in external), external


def test_the_web_edition_loads_and_links_to_nothing_refused(built):
    import lxml.html

    out, _, _ = built
    page = lxml.html.parse(str(out / "doc.html")).getroot()
    targets = [value for element in page.iter() if isinstance(element.tag, str) for name, value in element.attrib.items() if name.lower() in ("href", "src")]
    assert "https://example.com/ok" in targets and "mailto:info@example.jp" in targets and "#chapter1" in targets
    assert all(t.startswith(("https:", "mailto:", "#", "data:image/png;base64,")) for t in targets), targets
    attributes = {name.lower() for element in page.iter() if isinstance(element.tag, str) for name in element.attrib}
    assert not attributes & {"srcset", "onclick", "rel"}
    assert "example.com/t.png" not in lxml.html.tostring(page, encoding="unicode")


@pytest.mark.parametrize(
    "raw",
    ["<b>太字</b>", "<sup>2</sup>", '<span class="x" lang="en">', '<a href="https://example.com/">', '<a href="#part1">', "<ruby>漢<rt>かん</rt></ruby>"]
    + ['<table><tr><td colspan="2">x</td></tr></table>', '<span style="color: red; font-weight: bold">', "<!-- メモ -->", "<br>", "</div>"],
)
def test_ordinary_raw_html_is_allowed(raw):
    assert rawhtml.refusal(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a/href="javascript:alert(2)">y</a>',
        '<IMG SRC="jav&#x09;ascript:alert(4)">',
        "<svg><script>alert(5)</script></svg>",
    ]
    + ['<a href="vbscript:x">', "<!--><script>alert(1)</script>-->", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<x-y onclick="a()">']
    + ['<a href="https://e.example/" target="_blank">', '<video src="v.mp4">', '<base href="https://e.example/">', '<span style="position: fixed">'],
)
def test_disguised_or_unlisted_raw_html_is_refused(raw):
    assert rawhtml.refusal(raw) != ""
