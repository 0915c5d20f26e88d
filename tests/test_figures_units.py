"""SVG faces (jpub/svg.py), colours (jpub/colours.py), printed link URLs and page furniture on landscape pages."""

from __future__ import annotations

import pytest
from lxml import etree

from jpub.colours import Colour, span_colour
from jpub.editions.html.web_ast import DARK_GROUNDS, LIGHT_GROUNDS, readable
from jpub.editions.pdf.layout import GRID, LANDSCAPE_GRID, MM_PER_PT
from jpub.editions.pdf.links import with_urls
from jpub.pandoc_ast import plain_text
from jpub.svg import Faces, foreign_families, set_faces
from jpub.verify.pdf import _is_furniture

from .conftest import ROOT

PDF_FACES = Faces.named("Noto Sans CJK JP", "Noto Serif CJK JP", "Noto Sans Mono CJK JP")
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<style>.a { font-family: sans-serif; fill: red } .b { font: bold 12px/1.2 serif }</style>
<text class="a">x</text><text style="font-family: monospace">y</text><text font-family="Arial, sans-serif">z</text><text>w</text>
</svg>"""


def _families(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    found = [el.get("font-family") for el in root.iter() if el.get("font-family")]
    found += [el.get("style") for el in root.iter() if el.get("style")]
    found += [el.text for el in root.iter("{http://www.w3.org/2000/svg}style")]
    return found


def test_every_family_of_an_svg_is_set_in_the_editions_faces():
    done = set_faces(SVG, PDF_FACES)
    text = " ".join(_families(done.data))
    for generic in ("sans-serif", "serif;", "monospace", "Arial"):
        assert generic not in text
    assert ".a { font-family: 'Noto Sans CJK JP'; fill: red; }" in text
    assert "font: bold 12px / 1.2 'Noto Serif CJK JP'" in text
    assert "font-family: 'Noto Sans Mono CJK JP'" in text
    root = etree.fromstring(done.data)
    assert root.get("font-family") == "'Noto Sans CJK JP'"  # text that names no face (w) inherits it
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert done.foreign == ("Arial",)


def test_word_gets_the_generic_family_after_its_face():
    done = set_faces(SVG, Faces.named("游ゴシック", "游明朝", "游ゴシック", fallback=True))
    assert "font-family: '游ゴシック', sans-serif" in done.data.decode()


def test_configured_faces_are_not_foreign_and_broken_svg_is_left_alone():
    named = b'<svg xmlns="http://www.w3.org/2000/svg"><text font-family="Noto Serif CJK JP">a</text><text font-family="Comic Sans MS">b</text></svg>'
    assert foreign_families(named, ("Noto Serif CJK JP",)) == ("Comic Sans MS",)
    assert set_faces(b"<svg", PDF_FACES).data == b"<svg"


def test_a_colour_is_made_readable_on_both_schemes():
    red = span_colour(["", [], [["style", "color:#c00000"]]])
    assert red is not None and red.hex == "C00000"
    darkest = Colour.parse("#15171b")
    assert red.contrast(darkest) < 4.5  # as the author wrote it, it fails in dark mode
    for grounds in (LIGHT_GROUNDS, DARK_GROUNDS):
        made = readable(red, grounds)
        assert all(made.contrast(Colour.parse(g)) >= 4.5 for g in grounds)
    assert readable(red, LIGHT_GROUNDS) == red  # readable already: left as it is
    assert span_colour(["", [], [["style", "font-weight: bold"]]]) is None


def test_the_grounds_are_the_stylesheets():
    css = (ROOT / "templates" / "html" / "web.css").read_text(encoding="utf-8")
    for ground in LIGHT_GROUNDS[1:] + DARK_GROUNDS:
        assert ground in css


def _link(text: str, url: str) -> dict:
    return {"t": "Para", "c": [{"t": "Str", "c": "詳細は"}, {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": text}], [url, ""]]}]}


@pytest.mark.parametrize(
    ("mode", "url", "printed", "note"),
    [
        ("footnote", "https://www.bousai.go.jp/", "詳細は防災情報", "https://www.bousai.go.jp/"),
        ("after", "https://www.bousai.go.jp/", "詳細は防災情報（https://www.bousai.go.jp/）", None),
        ("none", "https://www.bousai.go.jp/", "詳細は防災情報", None),
        ("after", "#part1", "詳細は防災情報", None),  # a link inside the document prints nothing
        ("after", "mailto:info@example.go.jp", "詳細は防災情報（info@example.go.jp）", None),
    ],
)
def test_link_urls_are_printed_as_set(mode, url, printed, note):
    tree = with_urls({"blocks": [_link("防災情報", url)]}, mode)
    inlines = tree["blocks"][0]["c"]
    assert plain_text(inlines) == printed
    notes = [n for n in _all(inlines) if n.get("t") == "Note"]
    assert [plain_text(n["c"][0]["c"]) for n in notes] == ([note] if note else [])


def test_a_link_that_shows_its_url_prints_it_once():
    tree = with_urls({"blocks": [_link("https://www.bousai.go.jp/", "https://www.bousai.go.jp/")]}, "footnote")
    assert not [n for n in _all(tree["blocks"]) if n.get("t") == "Note"]


def _all(node):
    if isinstance(node, list):
        for item in node:
            yield from _all(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _all(value)


def _pt(mm: float) -> float:
    return mm / MM_PER_PT


def test_page_furniture_on_a_landscape_page():
    width, height = _pt(LANDSCAPE_GRID.page_width_mm), _pt(LANDSCAPE_GRID.page_height_mm)
    head = _pt(LANDSCAPE_GRID.top_margin_mm - LANDSCAPE_GRID.head_gap_mm - 3)
    last_line = _pt(LANDSCAPE_GRID.top_margin_mm + LANDSCAPE_GRID.block_height_mm - 4)
    folio = _pt(LANDSCAPE_GRID.page_height_mm - LANDSCAPE_GRID.bottom_margin_mm / 2)
    assert _is_furniture(head, head + 8, width, height)
    assert _is_furniture(folio, folio + 8, width, height)
    assert not _is_furniture(last_line, last_line + 10, width, height)
    # by the portrait grid the foot of the text block lies below the whole landscape page: its folio read as text
    assert _pt(GRID.page_height_mm - GRID.bottom_margin_mm) > height
