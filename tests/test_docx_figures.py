"""The Word edition of the figures fixture read back: table widths and styles, the landscape section, box
and note styles, colour styles, pictures (alt text, PNG fallback of an SVG, width), and LibreOffice's view."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from jpub import pipeline
from jpub.editions.docx.styles import TWIPS_PER_MM, text_width_twips
from jpub.verify import verify_edition
from jpub.verify.expectations import expected

from .conftest import FIGURES_SOURCE, need_client
from .test_docx_support import NS, Package, attr, build_docx, style_of, text_of, w

pytestmark = pytest.mark.slow
EMU_PER_TWIP = 635
PIC = {**NS, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing", "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> Package:
    return Package(build_docx(FIGURES_SOURCE, tmp_path_factory.mktemp("docx-figures")))


def _table(pkg: Package, caption: str):
    for table in pkg.document.iter(w("tbl")):
        before = table.getprevious()
        if before is not None and caption in text_of(before):
            return table
    raise AssertionError(caption)


def _grid(table) -> list[int]:
    return [int(attr(col, "w")) for col in table.iter(w("gridCol"))]


def test_columns_get_their_words_and_fill_the_measure(figures):
    table = _table(figures, "表1-1-1")
    grid = _grid(table)
    assert sum(grid) == text_width_twips()
    assert attr(table.find(f"{w('tblPr')}/{w('tblStyle')}"), "val") == "TableCompact"  # ten columns: the smaller type
    size_pt = figures.style_value("TableCompact", "w:rPr/w:sz", "val")
    assert int(size_pt) == 16
    padding = 2 * 1 * TWIPS_PER_MM  # compact padding, left and right
    assert grid[0] >= 4 * 8 * 20 + padding  # 都道府県: four characters of 8 pt, whole
    assert grid[-1] > grid[2]  # 備考 (text) gets more than a column of figures
    long = _table(figures, "表1-3-1")
    assert attr(long.find(f"{w('tblPr')}/{w('tblStyle')}"), "val") == "Table"  # its words fit at 9.5 pt


def test_a_landscape_block_is_a_landscape_section(figures):
    body = figures.document.find(w("body"))
    sections = [*body.xpath("w:p/w:pPr/w:sectPr", namespaces=NS), body.find(w("sectPr"))]
    orient = [attr(s.find(w("pgSz")), "orient") for s in sections]
    assert orient.count("landscape") == 1  # one ::: landscape block, between portrait sections
    turned = orient.index("landscape")
    before, landscape, after = sections[turned - 1 : turned + 2]
    sizes = [(int(attr(s.find(w("pgSz")), "w")), int(attr(s.find(w("pgSz")), "h"))) for s in (before, landscape, after)]
    assert sizes[1] == (sizes[0][1], sizes[0][0]) == (sizes[2][1], sizes[2][0])
    for section in sections[1:]:  # after the cover, the same running heads and page-number footer everywhere
        assert section.findall(w("headerReference")) and section.findall(w("footerReference"))
        assert attr(section.find(w("pgNumType")), "start") is None  # page numbers run on
    assert not sections[0].findall(w("headerReference")) and not sections[0].findall(w("footerReference"))  # the cover's own
    table = _table(figures, "表1-2-1")
    assert sum(_grid(table)) == text_width_twips(landscape=True)
    paragraph_after = landscape.getparent().getparent()
    paragraph_before = before.getparent().getparent()
    assert table in list(paragraph_after.itersiblings(preceding=True))  # the table lies in the landscape section
    assert table not in list(paragraph_before.itersiblings(preceding=True))


def test_boxes_are_styles_with_one_border_and_shading(figures):
    styles = [style_of(p) for p in figures.paragraphs()]
    start = styles.index("ColumnTitle")
    assert styles[start : start + 3] == ["ColumnTitle", "ColumnText", "ColumnText"]
    assert "NoteText" in styles
    assert text_of(figures.paragraphs()[start]) == "コラム\u3000避難所を支える人びと"
    for pair in (("ColumnTitle", "ColumnText"), ("NoteTitle", "NoteText")):
        borders = [figures.style_value(s, "w:pPr/w:pBdr/w:left", "color") for s in pair]
        fills = [figures.style_value(s, "w:pPr/w:shd", "fill") for s in pair]
        indents = [figures.style_value(s, "w:pPr/w:ind", "left") for s in pair]
        assert borders[0] == borders[1] and fills[0] == fills[1] and indents[0] == indents[1]  # one box, not two
        assert borders[0] and fills[0] not in (None, "auto", "FFFFFF")
    assert figures.style_flag("ColumnTitle", "w:pPr/w:keepNext") is True
    box = [p for p in figures.paragraphs() if style_of(p) in ("ColumnText", "ColumnTitle")]
    assert all(p.find(f"{w('pPr')}/{w('pBdr')}") is None and p.find(f"{w('pPr')}/{w('shd')}") is None for p in box)  # no direct formatting


def test_table_notes_are_kept_with_their_table(figures):
    table = _table(figures, "表1-3-1")
    notes = [p for p in table.itersiblings() if p.tag == w("p")][:2]  # bookmark ends may stand between
    assert [style_of(p) for p in notes] == ["TableNote", "TableNote"]
    last_row = table.findall(w("tr"))[-1]
    assert all(p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in last_row.iter(w("p")))
    assert notes[0].find(f"{w('pPr')}/{w('keepNext')}") is not None


def test_a_colour_span_is_a_character_style_of_that_colour(figures):
    runs = [r for r in figures.document.iter(w("r")) if text_of(r) == "土砂災害の危険箇所"]
    assert [attr(r.find(f"{w('rPr')}/{w('rStyle')}"), "val") for r in runs] == ["TextColorC00000"]
    assert runs[0].find(f"{w('rPr')}/{w('color')}") is None  # the style carries the colour, not the run
    assert figures.style_value("TextColorC00000", "w:rPr/w:color", "val") == "C00000"
    assert figures.style("TextColorC00000").find(f"{w('rPr')}/{w('rFonts')}") is None  # colour only: no face


def test_pictures_carry_their_alt_text_and_width(figures):
    drawings = list(figures.document.iter(w("drawing")))
    described = [(d.find(".//wp:docPr", PIC).get("descr"), d.find(".//pic:cNvPr", PIC).get("descr")) for d in drawings]
    assert described == [("図1-1-1 月別の災害発生件数",) * 2, ("図1-1-2 被害額の推移",) * 2]
    widths = [int(d.find(".//wp:extent", PIC).get("cx")) for d in drawings]
    measure = text_width_twips() * EMU_PER_TWIP
    assert widths[0] == pytest.approx(0.8 * measure, rel=0.01) and widths[1] == pytest.approx(0.7 * measure, rel=0.01)


def test_an_svg_has_a_png_fallback_rendered_from_it(figures):
    blip = list(figures.document.iter(f"{{{A}}}blip"))[1]
    svg_blip = blip.find(".//{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip")
    assert svg_blip is not None
    rels = {rel.get("Id"): rel.get("Target") for rel in figures.xml("word/_rels/document.xml.rels")}
    png = figures.raw["word/" + rels[blip.get(f"{{{R}}}embed")]]
    svg = figures.raw["word/" + rels[svg_blip.get(f"{{{R}}}embed")]]
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 640)  # twice the SVG's 640 × 320
    assert b"'\xe6\xb8\xb8\xe3\x82\xb4\xe3\x82\xb7\xe3\x83\x83\xe3\x82\xaf', sans-serif" in svg  # '游ゴシック', sans-serif
    assert re.search(rb'Extension="png"', figures.raw["[Content_Types].xml"])


def test_libreoffice_shows_the_svg_figure_and_a_landscape_page(figures, tmp_path):
    need_client("soffice", shutil.which("soffice") is not None, "renders the Word edition (apt-get install libreoffice-writer-nogui)")
    need_client("pdfimages", shutil.which("pdfimages") is not None, "lists the images of the rendered pages")
    profile = tmp_path / "profile"
    command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(figures.path)]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    pdf = tmp_path / f"{figures.path.stem}.pdf"
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len({row.split()[3] + "x" + row.split()[4] for row in listed}) >= 2  # the PNG figure and the SVG's fallback
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r"size:\s+([\d.]+) x ([\d.]+)", sizes)
    assert sum(float(w) > float(h) for w, h in pages) == 1  # the landscape section


def test_verify_reads_the_word_edition_back(figures):
    pub = pipeline.prepare(FIGURES_SOURCE, ["docx"])
    assert verify_edition("docx", Path(figures.path), expected(pub, "docx"), str(FIGURES_SOURCE)) == []
