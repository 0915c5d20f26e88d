"""The print edition of the figures fixture read back: table widths and words, figures, landscape pages,
notes under tables, boxes, link URLs, figure faces."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from jpub import pipeline
from jpub.cli import main
from jpub.editions.pdf.writer import print_html
from jpub.verify import pdf as vpdf
from jpub.verify import pdf_checks
from jpub.verify.text import normalise

from .conftest import FIGURES_SOURCE, need_client, which

pytestmark = pytest.mark.slow

TEN_COLUMNS = "表1-1-1 都道府県別の被害状況"
LANDSCAPE = "表1-2-1 市町村の防災対応の推移"
LONG = "表1-3-1 都道府県別の指定避難所数"


@pytest.fixture(scope="module")
def pdf(figures_build) -> Path:
    need_client("pdftotext", bool(which("pdftotext")), "the print edition is read back with poppler")
    return figures_build / "figures.pdf"


def _pages(pdf: Path) -> dict[int, list[vpdf.Line]]:
    pages: dict[int, list[vpdf.Line]] = {}
    for line in vpdf.read_lines(pdf):
        pages.setdefault(line.page, []).append(line)
    return pages


def _page_of(pdf: Path, text: str) -> int:
    needle = normalise(text)
    return next(page for page, lines in _pages(pdf).items() if any(needle in normalise(line.text) for line in lines if not line.furniture))


def _words(pdf: Path, page: int) -> list[str]:
    return [word for line in _pages(pdf)[page] if not line.furniture for word in line.words]


def test_no_header_word_and_no_figure_is_broken(pdf):
    page = _page_of(pdf, TEN_COLUMNS)
    words = _words(pdf, page)
    for whole in ("都道府県", "避難者数", "（最大・人）", "住家全壊", "（棟）", "鹿児島県", "41,236", "20,540", "18,602"):
        assert whole in words, whole  # a word broken across lines would read as two pieces


def test_no_line_in_any_cell_starts_with_a_closing_mark(pdf):
    assert pdf_checks.line_start(pdf, vpdf.read_lines(pdf)) == []


def test_figures_are_right_aligned(pdf):
    """In the long table's column of capacities, 22,919 and 102,109 end at the same place and start apart."""
    page = str(_page_of(pdf, LONG))
    done = subprocess.run(["pdftotext", "-raw", "-bbox", "-f", page, "-l", page, str(pdf), "-"], capture_output=True, check=True)
    boxes = {
        text: (float(left), float(right))
        for left, right, text in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([\d,]+)</word>', done.stdout.decode())
    }
    (short_left, short_right), (long_left, long_right) = boxes["22,919"], boxes["102,109"]
    assert abs(short_right - long_right) < 0.5
    assert short_left - long_left > 3  # a digit more


def test_the_header_row_repeats_on_every_page_of_a_long_table(pdf):
    first, last = _page_of(pdf, "北海道157"), _page_of(pdf, "沖縄県259")
    assert last == first + 1
    for page in (first, last):
        assert "指定避難所数" in _words(pdf, page) and "整備の状況" in _words(pdf, page)


def test_notes_stay_under_their_table(pdf):
    assert _page_of(pdf, "出典：架空府「市町村防災対応調査」") == _page_of(pdf, "自主防災組織の")
    assert _page_of(pdf, "出典：架空府「指定避難所等の現況調査」") == _page_of(pdf, "沖縄県259")
    assert _page_of(pdf, "出典：架空府「令和6年災害状況報告」") == _page_of(pdf, "沖縄県640")


def test_a_landscape_block_gets_landscape_pages_with_head_and_folio(pdf):
    reader = PdfReader(str(pdf))
    page = _page_of(pdf, LANDSCAPE)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert sizes[page - 1][0] > sizes[page - 1][1]
    assert all(w < h for i, (w, h) in enumerate(sizes) if i != page - 1)  # before and after it: portrait
    furniture = [line.text for line in _pages(pdf)[page] if line.furniture]
    assert any("第1部" in text and "第2章市町村の対応" in text for text in furniture) and str(page) in furniture
    assert _page_of(pdf, "横向きのページの後は") == page + 1  # what follows the block goes back to portrait


def test_smaller_type_only_for_the_table_that_needs_it():
    pub = pipeline.prepare(FIGURES_SOURCE, ["pdf"])
    root = lxml.html.document_fromstring(print_html(pub))
    sizes = {}
    for table in root.iter("table"):
        caption = table.find("caption")
        sizes[caption.text_content().split()[0]] = re.search(r"font-size: ([\d.]+)pt", table.get("style")).group(1)
        widths = [float(re.search(r"([\d.]+)%", col.get("style")).group(1)) for col in table.iter("col")]
        assert sum(widths) == pytest.approx(100, abs=0.01)
    assert sizes["表1-3-1"] == "9"  # its words fit at the body size of tables
    assert 7 <= float(sizes["表1-1-1"]) < 9 and 7 <= float(sizes["表1-2-1"]) < 9  # ten and twelve columns do not


def test_the_figures_take_the_width_the_source_gives(pdf):
    need_client("pdfimages", bool(which("pdfimages")), "reads the drawn size of images")
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    png = next(row.split() for row in listed if row.split()[3:5] == ["800", "420"])
    drawn_pt = 800 / float(png[12]) * 72  # pixels ÷ pixels per inch
    assert drawn_pt == pytest.approx(0.8 * 420, rel=0.02)  # {width=80%} of the 40-character measure


def test_svg_text_is_set_in_the_configured_faces(pdf):
    fonts = pdf_checks.read_fonts(pdf)
    assert fonts and all(name.startswith(("NotoSerifCJKjp", "NotoSansCJKjp", "NotoSans-", "NotoSerif-")) or "CJK" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts)
    assert normalise("被害額の推移（億円）") in normalise(vpdf.pdf_text(pdf))  # the SVG's title, as text in the page


def test_a_link_prints_its_url_at_the_foot_of_its_page(pdf):
    page = _page_of(pdf, "内閣府の防災情報のページ")
    assert "https://www.bousai.go.jp/" in [w for line in _pages(pdf)[page] for w in line.words]


def test_a_box_keeps_its_title_with_its_first_lines(pdf):
    assert _page_of(pdf, "コラム避難所を支える人びと") == _page_of(pdf, "大きな災害では、避難所の運営")


def test_the_figures_fixture_verifies(figures_build):
    assert main(["verify", "--source", str(FIGURES_SOURCE), "--out", str(figures_build)]) == 0


def test_a_foreign_face_in_an_svg_is_reported_at_the_image(tmp_path, capsys):
    (tmp_path / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><text y="15" font-family="Arial">図の文字</text></svg>', encoding="utf-8"
    )
    (tmp_path / "doc.md").write_text(
        "---\ntitle: 試験\nauthor: 試験省\ndate: 2024-04-01\nlang: ja\n---\n\n# 第1章 図\n\n本文。\n\n![図1 グラフ](chart.svg)\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["pdf", "--source", str(tmp_path / "doc.md"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert re.search(r"doc\.md:12: warning: 画像 chart\.svg の文字のフォントは.*「Arial」.*\[image-font\]", err), err
    assert not any("Arial" in name or "Liberation" in name or "DejaVu" in name for name in pdf_checks.read_fonts(out / "doc.pdf"))
