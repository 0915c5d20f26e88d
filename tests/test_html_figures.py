"""The web edition of the figures fixture read back from its DOM: table regions, notes, boxes, colours,
figures. (Chromium, axe-core and the Nu checker look at the same page in test_html_checkers.py.)"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import lxml.html
import pytest

from jpub.colours import Colour
from jpub.editions.html.web_ast import DARK_GROUNDS, LIGHT_GROUNDS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(figures_build: Path):
    return lxml.html.fromstring((figures_build / "figures.html").read_bytes())


def test_every_table_scrolls_in_a_focusable_region_named_by_its_caption(page):
    tables = page.xpath("//main//table")
    assert len(tables) == 3
    for table in tables:
        region = table.getparent()
        assert "table-scroll" in region.get("class", "").split()
        assert (region.get("role"), region.get("tabindex")) == ("region", "0")
        assert region.get("aria-label") == table.find("caption").text_content().strip()


def test_notes_follow_their_table_in_one_block(page):
    for block in page.xpath("//div[contains(@class, 'table-block')]"):
        scroll, notes = list(block)
        assert "table-scroll" in scroll.get("class") and "table-notes" in notes.get("class")
        assert notes.text_content().strip().startswith("※")


def test_figures_are_marked_and_aligned(page):
    cells = page.xpath("//main//td[contains(concat(' ', @class, ' '), ' num ')]")
    assert "41,236" in [c.text_content() for c in cells]
    assert all("text-align: right" in (c.get("style") or "") for c in cells)
    assert not page.xpath("//main//td[contains(@class, 'num')][text()='北海道']")


def test_boxes_are_notes_named_by_their_title(page):
    column = page.xpath("//div[contains(concat(' ', @class, ' '), ' column ')]")[0]
    assert column.get("role") == "note"
    title = page.get_element_by_id(column.get("aria-labelledby"))
    assert title.text_content().strip() == "コラム\u3000避難所を支える人びと"
    note = page.xpath("//div[contains(concat(' ', @class, ' '), ' note ')]")[0]
    assert note.get("role") == "note" and note.get("aria-labelledby") is None  # no title line to name it


def test_a_colour_keeps_its_contrast_in_both_schemes(page):
    span = page.xpath("//span[contains(@class, 'colour')]")[0]
    values = dict(re.findall(r"(--colour(?:-dark)?):\s*(#[0-9a-f]{6})", span.get("style")))
    light, dark = Colour.parse(values["--colour"]), Colour.parse(values["--colour-dark"])
    assert light.hex == "C00000"  # readable as written on the light grounds: kept
    assert min(dark.contrast(Colour.parse(g)) for g in DARK_GROUNDS) >= 4.5
    assert min(light.contrast(Colour.parse(g)) for g in LIGHT_GROUNDS) >= 4.5


def test_figures_keep_their_width_and_svg_text_uses_the_page_fonts(page):
    images = page.xpath("//main//img")
    assert [re.sub(r"\s", "", img.get("style", "")) for img in images] == ["width:80.0%", "width:70.0%"]
    svg = base64.b64decode(images[1].get("src").split(",", 1)[1]).decode("utf-8")
    assert "font-family: sans-serif" not in svg and '"Hiragino Sans"' in svg and 'xml:lang="ja"' in svg
