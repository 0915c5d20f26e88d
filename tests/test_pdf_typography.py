"""Japanese composition spans (和欧間, 約物の連続) and the page grid of the print edition."""

from __future__ import annotations

import lxml.html
import pytest

from jpub.editions.pdf.layout import GRID, MM_PER_PT, Grid
from jpub.editions.pdf.typography import Mark, marks, phrases, refine

CASES = [
    # (text, [(marked text, classes)])
    ("生成AIの開発", [("AI", "wa-l wa-r")]),
    ("AIの開発", [("AI", "wa-r")]),
    ("開発のAI", [("AI", "wa-l")]),
    ("AI for Science", []),
    ("（AI for Science）", []),  # brackets take no 和欧間
    ("Society 5.0の実現", [("Society 5.0", "wa-r")]),
    ("第1章と令和6年6月11日", []),  # figures stay tight
    ("取組」「広島", [("」", "halt")]),
    ("（ABCI）」の", [("）", "halt")]),
    ("（令和6年）、", [("）", "halt")]),
    ("紹介。」", [("。", "halt")]),
    ("と「（仮称）", [("（", "halt")]),
    ("開発、「富岳」", [("、", "halt")]),
    ("「富岳」", []),
    ("技術・イノベーション", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_marks(text, expected):
    assert [(text[m.start : m.end], m.classes) for m in marks(text)] == expected


def _doc(body: str) -> str:
    return f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>生成AI</title></head><body>{body}</body></html>'


def test_refine_wraps_across_elements_and_keeps_the_text():
    source = _doc("<p>国立情報学研究所は<strong>LLM勉強会</strong>を主催（<em>NII</em>）」「次</p><pre>生成AIの</pre>")
    refined = refine(source)
    root = lxml.html.document_fromstring(refined)
    assert root.find("body").text_content() == lxml.html.document_fromstring(source).find("body").text_content()
    assert [(s.text, s.get("class")) for s in root.iter("span")] == [("LLM", "wa-l wa-r"), ("）", "halt"), ("」", "halt")]
    assert root.find("head/title").text == "生成AI"  # the head is left alone
    assert root.find(".//pre").text == "生成AIの"  # and so is preformatted text


def test_refine_escapes_markup_characters():
    refined = refine(_doc("<p>A&amp;B社の&lt;AI&gt;」「x</p>"))
    assert lxml.html.document_fromstring(refined).find("body").text_content() == "A&B社の<AI>」「x"


def test_marks_do_not_overlap():
    found = marks("生成AI」「（ABC）、AI技術")
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert Mark(2, 4, "wa-l") in found


def test_grid_is_a_whole_number_of_characters_and_lines():
    assert GRID.measure_mm == pytest.approx(GRID.chars_per_line * GRID.font_pt * MM_PER_PT)
    assert GRID.inner_margin_mm * 2 + GRID.measure_mm == pytest.approx(GRID.page_width_mm)
    assert GRID.top_margin_mm + GRID.block_height_mm + GRID.bottom_margin_mm == pytest.approx(GRID.page_height_mm)
    assert 10 <= GRID.font_pt <= 10.5 and 1.6 <= GRID.line_height <= 1.8


def test_grid_margins_follow_the_measure():
    wider = Grid(chars_per_line=42)
    assert wider.inner_margin_mm < GRID.inner_margin_mm
    assert GRID.css_margin().count("pt") == 4


def test_notes_are_marked():
    refined = lxml.html.document_fromstring(refine(_doc("<p>※上記の他を紹介。</p><p>本文※</p>")))
    assert [p.get("class") for p in refined.iter("p")] == ["note", None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "令和5年度 科学技術・イノベーション創出の振興に関する年次報告（概要）",
            ["令和5年度 ", "科学技術・", "イノベーション創出の", "振興に", "関する", "年次報告（概要）"],
        ),  # noqa: E501
        ("令和6年度 地域防災計画の概要", ["令和6年度 ", "地域防災計画の", "概要"]),
        ("白書", ["白書"]),
        ("", []),
    ],
)
def test_phrases(text, expected):
    assert phrases(text) == expected
