"""Numbered figures and tables, references and the 図表目次 in each built edition, read back: PDF text, DOCX
fields and bookmarks, HTML DOM; LibreOffice recounting the Word fields; verify naming what is wrong."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from jpub import verify
from jpub.cli import main
from jpub.editions.docx.fields import bookmark_name
from jpub.verify import pdf as vpdf
from jpub.verify.text import normalise

from . import test_html_checkers as checkers
from .conftest import FIXTURES, build, need_client
from .test_docx_support import starts_page
from .test_html_images import tiny_png

pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CAPTIONS = ["図表1-1　研究開発費の推移", "図表1-2　主要国の研究開発費", "図表1-3　研究者数の推移", "図表2-1　課題と対応の整理", "図表2-2　対応策の体系"]
IDS = ["fig:hi", "tbl:kuni", "fig:jinzai", "tbl:kadai", "fig-taiou"]
# (text, target) of each reference in the source's order
REFERENCES = [
    ("図表1-1", "fig:hi"),
    ("図表1-2", "tbl:kuni"),
    ("図表1-3", "fig:jinzai"),
    ("1-1", "fig:hi"),
    ("図表1-1", "fig:hi"),
    ("図表1-3", "fig:jinzai"),
    ("図表2-1", "tbl:kadai"),
    ("参考図表2-2", "fig-taiou"),
]


def write_figures(folder: Path, publish: dict[str, str] | None = None) -> Path:
    """tests/fixtures/figures.md and its image in ``folder``, with ``publish`` settings changed."""
    (folder / "img").mkdir(parents=True, exist_ok=True)
    (folder / "img" / "chart.png").write_bytes(tiny_png(320, 160))
    text = (FIXTURES / "figures.md").read_text(encoding="utf-8")
    for key, value in (publish or {}).items():
        text, count = re.subn(rf"(?m)^  {key}: .*$", f"  {key}: {value}", text)
        assert count == 1, key
    source = folder / "figures.md"
    source.write_text(text, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("figures")
    return build(write_figures(folder), folder / "out")


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """The same document without a 図表目次 and without pages after references."""
    folder = tmp_path_factory.mktemp("figures-plain")
    return build(write_figures(folder, {"list-of-figures": "false", "pdf-reference-page": "false"}), folder / "out")


# --- print ------------------------------------------------------------------------------------------------------


def pdf_pages(out: Path) -> list[str]:
    return [normalise(text) for text in vpdf.page_texts(out / "figures.pdf")]


def caption_pages(pages: list[str]) -> list[int]:
    """The page (1-based) of each caption in the body, after the 図表目次."""
    found = []
    for caption in CAPTIONS:
        found.append(next(n for n, text in enumerate(pages, start=1) if normalise(caption) in text and not text.startswith("図表目次")))
    return found


def test_pdf_captions_carry_their_numbers_and_references_their_pages(built):
    pages = pdf_pages(built)
    on = dict(zip(IDS, caption_pages(pages), strict=True))
    body = "".join(pages)
    found = re.findall(r"((?:参考)?(?:図表)?\d-\d)\(p\.(\d+)\)", body)
    assert [text for text, _page in found] == [text for text, _target in REFERENCES]
    assert [int(page) for _text, page in found] == [on[target] for _text, target in REFERENCES]


def test_pdf_references_and_list_entries_link_to_their_targets(built):
    reader = vpdf.open_pdf(built / "figures.pdf")
    assert set(IDS) <= set(reader.named_destinations)
    linked: dict[int, list[str]] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and str(annotation.get("/Dest", "")) in IDS:
                linked.setdefault(number, []).append(str(annotation["/Dest"]))
    assert {dest for number, dests in linked.items() if number > 3 for dest in dests} == {t for _text, t in REFERENCES}
    assert set(linked[3]) == set(IDS)  # the 図表目次's entries


def test_pdf_list_of_figures_follows_the_contents_with_the_captions_pages(built):
    pages = pdf_pages(built)
    start = next(i for i, text in enumerate(pages) if text.startswith("図表目次"))
    assert pages[start - 1].startswith("目次")
    entries = re.findall(r"(図表\d-\d[^.…]*?)[.…]+(\d+)", pages[start])
    assert [(text, int(page)) for text, page in entries] == list(zip([normalise(c) for c in CAPTIONS], caption_pages(pages), strict=True))


def test_pdf_without_the_settings_has_no_pages_after_references_and_no_list(plain):
    pages = pdf_pages(plain)
    assert not any(text.startswith("図表目次") for text in pages)
    assert "(p." not in "".join(pages) and "図表1-3のとおり" in "".join(pages)


# --- Word ------------------------------------------------------------------------------------------------------


def document_xml(out: Path) -> etree._Element:
    with zipfile.ZipFile(out / "figures.docx") as package:
        return etree.fromstring(package.read("word/document.xml"))


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def style_id(paragraph: etree._Element) -> str:
    found = paragraph.find(f"{W}pPr/{W}pStyle")
    return (found.get(f"{W}val") or "") if found is not None else ""


def entry_title(paragraph: etree._Element) -> str:
    """A list entry's title: its text up to the tab before its page number (when LibreOffice gave one)."""
    pieces = ["\t" if node.tag == f"{W}tab" else node.text or "" for node in paragraph.iter(f"{W}t", f"{W}tab")]
    return "".join(pieces).split("\t")[0]


def instructions(paragraph: etree._Element) -> list[str]:
    return ["".join(i.text or "" for i in paragraph.iter(f"{W}instrText")).strip()] if paragraph.find(f".//{W}instrText") is not None else []


def test_word_captions_are_bookmarked_seq_fields_that_restart_each_chapter(built):
    root = document_xml(built)
    captions = [p for p in root.iter(f"{W}p") if any("SEQ" in i for i in instructions(p))]
    assert [paragraph_text(p) for p in captions] == CAPTIONS
    assert [instructions(p)[0] for p in captions] == [
        "SEQ 図表 \\* ARABIC \\r 1",
        "SEQ 図表 \\* ARABIC",
        "SEQ 図表 \\* ARABIC",
        "SEQ 図表 \\* ARABIC \\r 1",
        "SEQ 図表 \\* ARABIC",
    ]
    for paragraph, ident in zip(captions, IDS, strict=True):
        start = paragraph.find(f"{W}bookmarkStart")
        assert start.get(f"{W}name") == bookmark_name(ident)
        between = []
        for node in start.itersiblings():
            if node.tag == f"{W}bookmarkEnd":
                break
            between += [t.text for t in node.iter(f"{W}t")]
        assert "".join(between) == CAPTIONS[IDS.index(ident)].split("　")[0]  # the label and number, not the title
    assert {attr for table in root.iter(f"{W}tblCaption") for attr in [table.get(f"{W}val")]} == {CAPTIONS[1], CAPTIONS[3]}


def test_word_references_are_ref_fields_with_the_number_filled_in(built):
    root = document_xml(built)
    found = []
    for paragraph in root.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in ("TOC1", "TableofFigures"):
            continue
        runs = list(paragraph.iter(f"{W}instrText", f"{W}t", f"{W}hyperlink"))
        for index, node in enumerate(runs):
            if node.tag == f"{W}instrText" and node.text.strip().startswith("REF "):
                found.append((node.text.split()[1], runs[index + 1].text))
            elif node.tag == f"{W}hyperlink":
                found.append((node.get(f"{W}anchor"), paragraph_text(node)))
    assert found == [(bookmark_name(target), text) for text, target in REFERENCES]
    refs = [node.text.strip() for node in root.iter(f"{W}instrText") if node.text.strip().startswith("REF ")]
    assert refs and all(ref.endswith("\\h") for ref in refs)  # a hyperlink to the caption, as Word's own


def test_word_list_of_figures_is_a_toc_field_over_the_series_with_cached_entries(built, plain):
    root = document_xml(built)
    paragraphs = list(root.iter(f"{W}p"))
    first = next(i for i, p in enumerate(paragraphs) if p.find(f".//{W}instrText") is not None and '\\c "図表"' in "".join(instructions(p)))
    entries = [p for p in paragraphs[first:] if style_id(p) == "TableofFigures"]
    assert [entry_title(p) for p in entries] == CAPTIONS
    assert [p.find(f"{W}hyperlink").get(f"{W}anchor") for p in entries] == [bookmark_name(i) for i in IDS]
    assert paragraph_text(paragraphs[first - 1]) == "図表目次"
    heading = next(p for p in paragraphs[first:] if style_id(p) == "Heading1")
    assert starts_page(heading)  # the body starts after the list
    assert "図表目次" not in [paragraph_text(p) for p in document_xml(plain).iter(f"{W}p")]


def test_libreoffice_recounts_the_word_fields_to_the_same_numbers(built, tmp_path):
    need_client("soffice", shutil.which("soffice") is not None, "recounts the Word edition's fields (apt-get install libreoffice-writer-nogui)")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(built / "figures.docx")], capture_output=True, timeout=180, check=True
    )
    text = normalise(subprocess.run(["pdftotext", str(tmp_path / "figures.pdf"), "-"], capture_output=True, text=True, check=True).stdout)
    body = text[text.index("第1章研究開発の現状", text.index("図表目次")) :]
    assert [normalise(c) in body for c in CAPTIONS] == [True] * 5  # \r where a 章 starts: not 図表2-4, 図表2-5
    assert normalise("研究者数は図表1-3のとおり増えた（1-1も参照）。") in body  # REF fields recounted from their bookmarks
    assert normalise("前章の図表1-1、図表1-3を踏まえ、課題を図表2-1に、対応を参考図表2-2に整理した。") in body


# --- web -------------------------------------------------------------------------------------------------------


def test_html_captions_references_and_list(built, plain):
    root = lxml.html.fromstring((built / "figures.html").read_bytes())
    for ident, caption in zip(IDS, CAPTIONS, strict=True):
        element = root.get_element_by_id(ident)
        assert element.tag in ("figure", "table")
        [shown] = element.xpath("./figcaption | ./caption")
        assert shown.text_content() == caption and shown.xpath("string(.//span[@class='figure-number'])") == caption.split("　")[0]
    links = [(a.text_content(), a.get("href")) for a in root.xpath("//main//a[@class='xref']")]
    assert links == [(text, f"#{target}") for text, target in REFERENCES]
    lists = root.xpath("//nav[contains(@class, 'toc')]//*[contains(@class, 'lof')]")
    assert len(lists) == 2  # the narrow screen's disclosure and the wide screen's sidebar
    for found in lists:
        assert [(a.text_content(), a.get("href")) for a in found.iter("a")] == [(c, f"#{i}") for c, i in zip(CAPTIONS, IDS, strict=True)]
    assert not lxml.html.fromstring((plain / "figures.html").read_bytes()).xpath("//*[contains(@class, 'lof')]")


# --- verify ----------------------------------------------------------------------------------------------------


def test_verify_passes_on_the_built_editions(built):
    found = verify.verify(built.parent / "figures.md", built)
    assert [d.format() for d in found if d.severity == "error"] == []


def test_verify_names_a_print_edition_without_the_pages_the_source_asks_for(built, plain, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    shutil.copy(plain / "figures.pdf", out / "figures.pdf")
    found = verify.verify(built.parent / "figures.md", out, ["pdf"])
    messages = [d.message for d in found if d.rule == "verify-figures"]
    assert any("図表目次のページが見つかりません" in m for m in messages)
    assert any("の後にページ（p.N）がありません" in m for m in messages)


def tamper_docx(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml
    parts["word/document.xml"] = xml.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


@pytest.mark.parametrize(
    ("old", "new", "wanted"),
    [
        # the leading space: not the PAGEREF of the 図表目次's entry for the same table
        (f" REF {bookmark_name('tbl:kuni')} \\h", " REF _Ref000000000 \\h", "のブックマーク _Ref000000000 がありません"),
        ("SEQ 図表 \\* ARABIC \\r 1", "SEQ 図 \\* ARABIC \\r 1", "SEQ フィールドが違います"),
        ('TOC \\h \\z \\c "図表"', 'TOC \\h \\z \\c "図"', "図表目次がありません"),
    ],
)
def test_verify_names_a_word_edition_whose_fields_are_wrong(built, tmp_path, old, new, wanted):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    tamper_docx(out / "figures.docx", old, new)
    found = verify.verify(built.parent / "figures.md", out, ["docx"])
    assert any(wanted in d.message and d.rule == "verify-figures" for d in found), [d.format() for d in found]


@pytest.mark.parametrize(
    ("old", "new", "wanted"),
    [
        ('<span class="figure-number">図表1-2</span>', '<span class="figure-number">図表1-9</span>', "キャプションが違います"),
        ('href="#fig:jinzai" class="xref"', 'href="#fig:gone" class="xref"', "参照の行き先がありません"),
    ],
)
def test_verify_names_a_web_edition_whose_numbers_or_links_are_wrong(built, tmp_path, old, new, wanted):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    page = (out / "figures.html").read_text(encoding="utf-8")
    assert old in page
    (out / "figures.html").write_text(page.replace(old, new, 1), encoding="utf-8")
    found = verify.verify(built.parent / "figures.md", out, ["html"])
    assert any(wanted in d.message and d.rule == "verify-figures" for d in found), [d.format() for d in found]


# --- settings ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("publish", "message"),
    [
        ({"figure-number": '"図{chapter}"'}, "{n}（通し番号）をちょうど 1 つ含めてください"),
        ({"table-number": '"図表{n}"'}, "同じ見出し語「図表」の別々の番号列です"),
        ({"list-of-figures": '"はい"'}, "publish.list-of-figures は bool で書いてください"),
    ],
)
def test_a_setting_that_cannot_work_stops_at_its_line(tmp_path, capsys, publish, message):
    source = write_figures(tmp_path, publish)
    line = next(n for n, text in enumerate(source.read_text(encoding="utf-8").split("\n"), start=1) if text.startswith(f"  {next(iter(publish))}:"))
    assert main(["check", "--source", str(source)]) == 1
    err = capsys.readouterr().err
    assert f"figures.md:{line}: error: " in err and message in err and "[settings]" in err and "Traceback" not in err


# --- the web edition in outside checkers -------------------------------------------------------------------------


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_violation_in_a_page_with_numbered_figures_and_a_list(built, tmp_path, dark):
    checkers.need_browser()
    widths = (checkers.WIDE, checkers.PHONE)
    found = checkers.probe_all({"figures": built / "figures.html"}, widths, tmp_path, dark)
    for width in widths:
        assert found["figures", width]["violations"] == [] and found["figures", width]["overflow"] <= 0


def test_nu_html_checker_finds_no_error_in_a_page_with_numbered_figures_and_a_list(built):
    checkers.need_vnu()
    assert checkers.vnu_errors(built / "figures.html") == []


# --- numbers written by hand ---------------------------------------------------------------------------------------

WRITTEN = """---
title: 手書きの番号
lang: ja
publish:
  list-of-figures: true
---

# 第1章 一

![図1-1　甲](img/chart.png){#fig:a}

![図1-2　乙](img/chart.png){#fig:b}

# 第2章 二

![図2-1　丙](img/chart.png){#fig:c}

[@fig:a]、[@fig:b]、[@fig:c]を見よ。
"""


def test_numbers_written_by_hand_become_word_fields_that_keep_them(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "chart.png").write_bytes(tiny_png(32, 16))
    (tmp_path / "doc.md").write_text(WRITTEN, encoding="utf-8")
    assert main(["docx", "html", "--source", str(tmp_path / "doc.md"), "--out", str(tmp_path / "out")]) == 0
    with zipfile.ZipFile(tmp_path / "out" / "doc.docx") as package:
        root = etree.fromstring(package.read("word/document.xml"))
    seq = [node.text.strip() for node in root.iter(f"{W}instrText") if node.text.strip().startswith("SEQ")]
    assert seq == ["SEQ 図 \\* ARABIC \\r 1", "SEQ 図 \\* ARABIC \\r 2", "SEQ 図 \\* ARABIC \\r 1"]  # each as written
    refs = [node.text.split()[1] for node in root.iter(f"{W}instrText") if node.text.strip().startswith("REF")]
    assert refs == [bookmark_name(i) for i in ("fig:a", "fig:b", "fig:c")]
    page = lxml.html.fromstring((tmp_path / "out" / "doc.html").read_bytes())
    assert [a.text_content() for a in page.xpath("//main//a[@class='xref']")] == ["図1-1", "図1-2", "図2-1"]
    assert [a.text_content() for a in page.xpath("//div[@class='lof']//a")] == ["図1-1　甲", "図1-2　乙", "図2-1　丙"]
    assert verify.verify(tmp_path / "doc.md", tmp_path / "out", ["docx", "html"]) == []


def test_a_hidden_caption_never_takes_a_number_the_document_gives_its_tables(tmp_path):
    """表1 and 表2 are real numbers when tables are numbered: the caption a screen reader hears for a table
    without one names its place only, not a 表N that another table carries."""
    table = "| 地域 | 値 |\n|---|--:|\n| 北部 | 1 |\n"
    body = f"# 第1章 一\n\n{table}\nTable: 題のある表 {{#tbl:a}}\n\n{table}\n{table}\nTable: 二つ目 {{#tbl:b}}\n\n[@tbl:a]と[@tbl:b]。\n"
    source = tmp_path / "doc.md"
    source.write_text('---\ntitle: 表\nlang: ja\npublish:\n  table-number: "表{n}"\n---\n' + body, encoding="utf-8")
    assert main(["html", "--source", str(source), "--out", str(tmp_path)]) == 0
    captions = [c.text_content() for c in lxml.html.fromstring((tmp_path / "doc.html").read_bytes()).xpath("//main//caption")]
    assert captions == ["表1　題のある表", "表（第1章 一）", "表2　二つ目"]
