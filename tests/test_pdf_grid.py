"""The line grid (grid.py and the stylesheet's whole-pitch spacing): after a heading, a table, a figure or a
block the stylesheet does not know, body lines are back on the 17.85 pt pitch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block

from jpub.cli import main
from jpub.editions.pdf import grid, pinned
from jpub.editions.pdf.layout import GRID, MM_PER_PT
from jpub.verify import pdf as vpdf

from .conftest import need_client, which

PITCH = GRID.pitch_pt
PT_PER_PX = 0.75
STYLE = """
@page { size: 520pt 700pt; margin: 30pt 50pt; }
html { font: 10.5pt/1.7 "Noto Serif CJK JP"; font-kerning: none; }
body { margin: 0; }
main p { margin: 0; }
main h2 { font-size: 14pt; line-height: 1.4; margin: 6mm 0 4mm; }
main table { margin: 4mm 0; font-size: 9pt; line-height: 1.55; border-collapse: collapse; }
main td { border: .5pt solid; padding: 1.5mm 2mm; }
main div.unknown { padding: 3.3mm; border: 1pt solid; margin: 2.1mm 0; }
main > * { --box-snap: block-start; }
main > * * { --box-snap: none; }
"""
BODY = (
    "<main><p>本文の一行目。</p><h2>見出し</h2><p>見出しの後の本文。</p>"
    "<table><tr><td>表の中身</td></tr><tr><td>二行目</td></tr></table><p>表の後の本文。</p>"
    '<div class="unknown"><p>知らない囲み</p></div><p>囲みの後の本文。</p></main>'
)


@pytest.fixture
def unpatched() -> Iterator[None]:
    """WeasyPrint without the snap (the print edition's writer installs it on import); put back after."""
    grid.uninstall()
    yield
    grid.install(PITCH)


def _walk(box: Any) -> Iterator[Any]:
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _walk(child)


def offsets(html: str, style: str = STYLE) -> list[float]:
    """Each body paragraph line's distance from the grid (pt, -P/2..P/2), the page's content top its origin."""
    page = HTML(string=html).render(stylesheets=[CSS(string=style)]).pages[0]._page_box
    top = page.content_box_y()
    main = next(box for box in _walk(page) if isinstance(box, boxes.BlockBox) and box.element_tag == "main")
    out = []
    for box in main.children:
        if box.element_tag == "p":
            for line in box.children:
                off = ((line.position_y - top) * PT_PER_PX) % PITCH
                out.append(off if off < PITCH / 2 else off - PITCH)
    return out


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="ja"><body>{body}</body></html>'


@pytest.mark.usefixtures("unpatched")
def test_lines_fall_off_the_grid_without_the_snap():
    found = offsets(page(BODY))
    assert len(found) == 4 and abs(found[0]) < 0.01
    assert any(abs(off) > 1 for off in found[1:]), found


@pytest.mark.usefixtures("unpatched")
def test_every_body_line_on_the_grid_with_the_snap():
    assert grid.install(PITCH)
    found = offsets(page(BODY))
    assert len(found) == 4 and all(abs(off) < 0.01 for off in found), found


@pytest.mark.usefixtures("unpatched")
def test_unmarked_blocks_are_not_moved():
    unmarked = STYLE.replace("--box-snap: block-start", "--box-snap: none")
    plain = offsets(page(BODY), unmarked)
    assert grid.install(PITCH)
    assert offsets(page(BODY), unmarked) == pytest.approx(plain)


def test_pinned_sources_match_the_installed_weasyprint():
    assert pinned.mismatches(grid.PINS) == []


@pytest.mark.usefixtures("unpatched")
def test_a_changed_function_warns_and_nothing_is_patched(monkeypatch):
    monkeypatch.setattr(grid, "PINS", (pinned.Pin(grid.PINS[0].name, "0" * 64, grid.PINS[0].find), *grid.PINS[1:]))
    original = block.get_clearance
    with pytest.warns(RuntimeWarning, match="get_clearance"):
        assert grid.install(PITCH) is False
    assert block.get_clearance is original


# ---- the built edition ----------------------------------------------------------------------------------------

BODY_SIZE = (13.3, 17.5)  # line heights of text from 9.5 to 12 pt, as poppler reads them: body, lists, notes, 節, 項


def _off_grid(pdf: Path, first_page: int) -> tuple[int, list[tuple[int, str, float]]]:
    """(lines checked, those whose centre is not on a grid line's centre) of the body pages."""
    need_client("pdftotext", bool(which("pdftotext")), "line positions are read back with poppler")
    top = GRID.top_margin_mm / MM_PER_PT
    checked, off = 0, []
    for line in vpdf.read_lines(pdf):
        height = line.bottom - line.top
        if line.page < first_page or line.furniture or not BODY_SIZE[0] <= height <= BODY_SIZE[1]:
            continue
        checked += 1
        distance = ((line.top + line.bottom) / 2 - top) % PITCH - PITCH / 2
        if abs(distance) > 0.05:
            off.append((line.page, line.text[:20], round(distance, 2)))
    return checked, off


def test_every_body_line_of_the_default_document_is_on_the_grid(seed_build):
    checked, off = _off_grid(next(seed_build.glob("*.pdf")), first_page=3)
    assert checked > 80 and off == []


def test_lines_after_tables_figures_boxes_and_footnotes_are_on_the_grid(tmp_path):
    from PIL import Image

    Image.new("RGB", (300, 137), "gray").save(tmp_path / "figure.png")  # 137 px: a height of no whole pitch
    source = tmp_path / "doc.md"
    source.write_text(
        "---\ntitle: 行送りの試験\nauthor: 試験省\nlang: ja\n---\n\n# 第1章 表と図\n\n表の前の本文[^1]。\n\n"
        "| 区分 | 内容 |\n|--|--|\n| 一 | 表の本文 |\n| 二 | 長い表の本文。" + "文章が続く。" * 12 + " |\n\n表の後の本文。\n\n"
        "```\nコードの一行目\n二行目\n```\n\nコードの後の本文。\n\n"
        "::: box\n囲みの中の本文。\n\n- 囲みの中の箇条\n:::\n\n囲みの後の本文。\n\n"
        "> 引用された文章。\n\n引用の後の本文。\n\n"
        "![図の見出し](figure.png)\n\n図の後の本文。\n\n"
        "## 見出しが二行になるほど長い節の見出しで、行送りからずれた高さになるもの\n\n長い見出しの後の本文。\n\n"
        "[^1]: 脚注の本文。\n",
        encoding="utf-8",
    )
    assert main(["pdf", "--quiet", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
    checked, off = _off_grid(tmp_path / "out" / "doc.pdf", first_page=3)
    assert checked >= 8 and off == [], off
