"""Word tables: column widths from the text (not the separator's dashes), rules, repeated header row."""

from __future__ import annotations

import pytest

from jpub.editions.columns import estimated_width
from jpub.editions.docx.styles import text_width_twips

from .test_docx_support import NS, attr, w

pytest_plugins = ["tests.test_docx_support"]  # the seed_docx and chapters_docx fixtures

WIDTHS = [
    ("AI", 1.2),
    ("国・地域", 4),
    ("ＡＢ", 2),  # full-width Latin counts a whole em
    ("ｱｲ", 1.2),  # half-width kana do not
    ("※上記", 3),  # East Asian ambiguous marks are full-width in Japanese fonts
    ("40-80計算ノード", 8),
]


@pytest.mark.parametrize(("text", "ems"), WIDTHS)
def test_estimated_width(text, ems):
    assert estimated_width(text) == pytest.approx(ems)


def grid(table) -> list[int]:
    return [int(attr(c, "w")) for c in table.iter(w("gridCol"))]


def test_widths_follow_the_text_not_the_dashes(chapters_docx):
    # |--------|---------:| would give 8:9; the names (中央公民館) are wider than the numbers (600)
    table = chapters_docx.document.find(f".//{w('tbl')}")
    first, second = grid(table)
    assert first > second


def test_tables_span_the_measure(chapters_docx):
    first, second = grid(chapters_docx.document.find(f".//{w('tbl')}"))
    assert first + second == pytest.approx(text_width_twips(), abs=2)


def test_short_column_narrow_long_column_takes_the_rest(seed_docx):
    table = seed_docx.document.find(f".//{w('tbl')}")
    first, second = grid(table)
    assert first + second == pytest.approx(text_width_twips(), abs=2)
    assert 0.08 < first / (first + second) < 0.14  # 国・地域 needs 4 characters, not the 15 % of its dashes


@pytest.mark.parametrize("which", ["seed", "chapters"])
def test_every_cell_has_the_width_of_its_grid_column(which, seed_docx, chapters_docx):
    pkg = seed_docx if which == "seed" else chapters_docx
    for table in pkg.document.iter(w("tbl")):
        widths = grid(table)
        for row in table.iter(w("tr")):
            assert [int(attr(c.find(f"{w('tcPr')}/{w('tcW')}"), "w")) for c in row.findall(w("tc"))] == widths


def test_table_style_has_rules_and_a_shaded_gothic_header(seed_docx):
    table = seed_docx.document.find(f".//{w('tbl')}")
    style_id = attr(table.find(f"{w('tblPr')}/{w('tblStyle')}"), "val")
    style = seed_docx.style(style_id)
    borders = style.find(f"{w('tblPr')}/{w('tblBorders')}")
    assert {etree_name(b): attr(b, "val") for b in borders} == dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), "single")
    first_row = style.find(f"{w('tblStylePr')}[@{w('type')}='firstRow']")
    assert attr(first_row.find(f"{w('rPr')}/{w('b')}"), "val") == "1"
    assert attr(first_row.find(f"{w('rPr')}/{w('rFonts')}"), "eastAsia") == "游ゴシック"
    assert attr(first_row.find(f"{w('tcPr')}/{w('shd')}"), "fill") not in (None, "auto", "FFFFFF")


def etree_name(node) -> str:
    return node.tag.split("}")[1]


@pytest.mark.parametrize("which", ["seed", "chapters"])
def test_header_row_repeats_on_each_page(which, seed_docx, chapters_docx):
    pkg = seed_docx if which == "seed" else chapters_docx
    for table in pkg.document.iter(w("tbl")):
        rows = table.findall(w("tr"))
        assert rows[0].find(f"{w('trPr')}/{w('tblHeader')}") is not None
        assert all(r.find(f"{w('trPr')}/{w('tblHeader')}") is None for r in rows[1:])
        assert {p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) for p in rows[0].iter(w("p"))} == {"TableHeading"}
        assert pkg.style_value("TableHeading", "w:rPr/w:rFonts", "eastAsia") == "游ゴシック"
        assert pkg.style_flag("TableHeading", "w:rPr/w:b") is True
        assert len(table.xpath("w:tblPr/w:tblLook[@w:firstRow='1']", namespaces=NS)) == 1


def _table(xml: str):
    from lxml import etree

    return etree.fromstring(f'<w:tbl xmlns:w="{NS["w"]}">{xml}</w:tbl>')


ROW = "<w:tr><w:tc><w:p><w:r><w:t>項目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>値</w:t></w:r></w:p></w:tc></w:tr>"
BROKEN_TABLES = [
    (f"<w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{ROW}", "w:tbl has no w:tblPr"),
    (f"<w:tblPr/>{ROW}", "w:tbl has no w:tblGrid"),
    (f"<w:tblPr/><w:tblGrid/>{ROW.replace('<w:tc>', '<w:tc><w:tcPr><w:gridSpan/></w:tcPr>', 1)}", "w:gridSpan has no w:val"),
]


@pytest.mark.parametrize(("xml", "message"), BROKEN_TABLES)
def test_a_table_without_what_the_schema_requires_is_named_not_passed_on_as_none(xml, message):
    from jpub.editions.docx.tables import fit_table

    with pytest.raises(ValueError, match=f"^{message}$"):
        fit_table(_table(xml), text_width_twips())


def test_a_whole_table_is_fitted_to_the_measure():
    from jpub.editions.docx.tables import fit_table

    table = _table(f"<w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{ROW}")
    fit_table(table, text_width_twips())
    assert sum(grid(table)) == text_width_twips()
