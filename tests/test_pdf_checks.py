"""Post-build PDF checks: each passes on the real print edition and fails on a deliberately bad PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from jpub.cli import main
from jpub.pandoc_ast import Heading
from jpub.verify import expectations, pdf_checks
from jpub.verify import pdf as vpdf
from jpub.verify.compare import Report, compare_lists
from jpub.verify.pdf import Line
from jpub.verify.text import ReadHeading

from .conftest import need_system

FAMILIES = ("Noto Serif CJK JP", "Noto Sans CJK JP")


@pytest.fixture(autouse=True)
def _poppler():
    need_system("pdftotext")


def _weasy(tmp_path: Path, body: str, css: str = "") -> Path:
    style = f"body {{ font: 10.5pt 'Noto Serif CJK JP'; width: 20em }} {css}"
    path = tmp_path / "bad.pdf"
    HTML(string=f'<html lang="ja"><head><meta charset="utf-8"><style>{style}</style></head><body>{body}</body></html>').write_pdf(path)
    return path


def _rules(found) -> list[str]:
    return [d.rule for d in found]


def test_the_seed_edition_passes_every_check(seed_build):
    pdf = seed_build / "white-paper-summary.pdf"
    assert pdf_checks.check(pdf, FAMILIES) == []


def test_the_chapters_only_edition_passes_every_check(chapters_build):
    assert pdf_checks.check(chapters_build / "chapters-only.pdf", FAMILIES) == []


# ---- 禁則 ---------------------------------------------------------------------------------------------


def test_line_start_fails_on_a_comma_forced_to_the_head_of_a_line(tmp_path):
    pdf = _weasy(tmp_path, "<p>研究開発を進める<br>、そして成果を</p>")
    found = pdf_checks.line_start(pdf, vpdf.read_lines(pdf))
    assert _rules(found) == ["pdf-line-start"]
    assert "「、」" in found[0].message and "1ページ" in found[0].message and found[0].path == str(pdf)


def test_line_end_fails_on_an_opening_bracket_at_the_end_of_a_line(tmp_path):
    pdf = _weasy(tmp_path, "<p>計画（<br>第1期）を</p>")
    assert _rules(pdf_checks.line_end(pdf, vpdf.read_lines(pdf))) == ["pdf-line-end"]


@pytest.mark.parametrize(
    ("words", "rules"),
    [
        (("・", "高度な日本語処理"), []),  # a list marker is not wrapped text
        (("・高度な日本語処理",), ["pdf-line-start"]),
        (("ー",), ["pdf-line-start"]),
        (("っている",), ["pdf-line-start"]),
        (("」と述べた",), ["pdf-line-start"]),
        (("取組を紹介。",), []),
        (("（令和6年）",), []),
    ],
)
def test_line_start_table(words, rules):
    assert _rules(pdf_checks.line_start("x.pdf", [Line(1, 1, words)])) == rules


# ---- bookmarks (verify compares them with the headings nested as an outline) ----------------------------


def _headings(*pairs: tuple[int, str]) -> tuple[Heading, ...]:
    return tuple(Heading(level, text, f"h{i}", None) for i, (level, text) in enumerate(pairs))


def _outline(headings: tuple[Heading, ...]) -> tuple[ReadHeading, ...]:
    return tuple(ReadHeading(depth, h.text) for depth, h in expectations.nested(headings))


def _bookmark_rules(outline, headings) -> list[str]:
    report = Report(Path("x.pdf"), "x.md", None)
    compare_lists(report, "verify-headings", "見出し", _outline(headings), [ReadHeading(*item) for item in outline])
    return sorted(set(_rules(report.found)))


def test_expected_outline_nests_a_skipped_level_under_its_parent():
    assert [(d, h.text) for d, h in expectations.nested(_headings((1, "部"), (3, "節"), (2, "章"), (1, "次")))] == [(1, "部"), (2, "節"), (2, "章"), (1, "次")]


@pytest.mark.parametrize(
    "outline",
    [
        [(1, "第1章 総論"), (1, "第1節 目的")],  # wrong level
        [(1, "第1章 総論")],  # a heading without its bookmark
        [(1, "目次"), (1, "第1章 総論"), (2, "第1節 目的")],  # something else bookmarked
        [(1, "第1節 目的"), (1, "第1章 総論")],  # out of order
    ],
)
def test_bookmarks_fail_when_they_differ_from_the_headings(outline):
    headings = _headings((1, "第1章 総論"), (2, "第1節 目的"))
    assert _bookmark_rules([(1, "第1章 総論"), (2, "第1節 目的")], headings) == []
    assert _bookmark_rules(outline, headings) == ["verify-headings"]


def test_bookmarks_fail_on_a_real_pdf_that_hides_its_sections(tmp_path):
    pdf = _weasy(tmp_path, "<h1>第1章 総論</h1><h2>第1節 目的</h2><p>本文</p>", "h2 { bookmark-level: none }")
    headings = _headings((1, "第1章 総論"), (2, "第1節 目的"))
    assert _bookmark_rules([(h.level, h.text) for h in vpdf.pdf_outline(pdf)], headings) == ["verify-headings"]


# ---- fonts and text -----------------------------------------------------------------------------------


def test_fonts_fail_when_a_fallback_face_slips_in(tmp_path):
    """✔ is not in Noto CJK: fontconfig falls back to DejaVu, which the check names."""
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: 試験\nlang: ja\n---\n\n# 第1章 記号\n\n確認済み✔の項目。\n", encoding="utf-8")
    assert main(["pdf", "--source", str(source), "--out", str(tmp_path)]) == 0
    pdf = tmp_path / "doc.pdf"
    found = pdf_checks.fonts(pdf, pdf_checks.read_fonts(pdf), FAMILIES)
    assert _rules(found) and set(_rules(found)) == {"pdf-fonts"}
    assert any("DejaVu" in d.message for d in found)


def test_fonts_fail_when_not_embedded():
    assert _rules(pdf_checks.fonts("x.pdf", {"Noto-Serif-CJK-JP": False}, FAMILIES)) == ["pdf-fonts"]
    assert pdf_checks.fonts("x.pdf", {"Noto-Serif-CJK-JP": True, "Noto-Sans-CJK-JP-Bold": True}, FAMILIES) == []


def test_seed_fonts_are_only_the_configured_families_embedded(seed_build):
    used = pdf_checks.read_fonts(seed_build / "white-paper-summary.pdf")
    assert used and all(used.values())
    assert {name.split("-")[1] for name in used} <= {"Serif", "Sans"}


def test_text_fails_on_unmappable_glyphs():
    assert _rules(pdf_checks.text("x.pdf", "生成\ufffdの")) == ["pdf-text"]
    assert pdf_checks.text("x.pdf", "生成AIの") == []
