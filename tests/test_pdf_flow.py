"""Where the print edition's pages break, read back from the built PDF: the page-flow setting of 部 and 章, the
explicit page break, and no page left mostly empty by a break nothing asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from jpub.cli import main
from jpub.editions.pdf.layout import GRID, MM_PER_PT
from jpub.verify import pdf as vpdf

from .conftest import need_client, which

BLOCK_TOP = GRID.top_margin_mm / MM_PER_PT
BLOCK_HEIGHT = GRID.block_height_mm / MM_PER_PT

FLOW_BODY = """
# 第1部 総論

## 第1章 目的

第一段落。

## 第2章 範囲

第二段落。

# 第2部 各論

第2部の前書き。

## 第1章 方法

第三段落。

## 第2章 結果

第四段落。
"""


def _source(tmp_path: Path, body: str, publish: str = "") -> Path:
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: 改ページの試験\nauthor: 試験省\ndate: 2024-04-01\nlang: ja\n{publish}---\n{body}", encoding="utf-8")
    return path


def _build(source: Path) -> Path:
    out = source.parent / "out"
    assert main(["pdf", "--quiet", "--source", str(source), "--out", str(out)]) == 0
    return out / source.with_suffix(".pdf").name


def _flow(part: str, chapter: str) -> str:
    return f"publish:\n  page-flow:\n    part: {part}\n    chapter: {chapter}\n"


def _page_of(pdf: Path) -> dict[str, int]:
    """1-based page of each body line's text (its first occurrence), furniture left out."""
    need_client("pdftotext", bool(which("pdftotext")), "the print edition is read back with poppler")
    found: dict[str, int] = {}
    for line in vpdf.read_lines(pdf):
        if not line.furniture:
            found.setdefault(line.text, line.page)
    return found


def _pages(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def _page_text(pdf: Path, page: int) -> str:
    """Everything on a page, furniture included."""
    return "".join(line.text for line in vpdf.read_lines(pdf) if line.page == page)


# ---- the page-flow setting --------------------------------------------------------------------------------


def test_page_flow_setting_defaults_and_a_partial_mapping(tmp_path):
    from jpub import pipeline

    assert dict(pipeline.read(_source(tmp_path, "本文。\n")).settings.page_flow) == {"part": "new-page", "chapter": "run-on"}
    settings = pipeline.read(_source(tmp_path, "本文。\n", "publish:\n  page-flow:\n    chapter: recto\n")).settings
    assert dict(settings.page_flow) == {"part": "new-page", "chapter": "recto"}


def test_by_default_parts_open_a_page_and_chapters_run_on(tmp_path):
    pages = _page_of(_build(_source(tmp_path, FLOW_BODY)))
    assert pages["第1部総論"] == 3  # after the cover and the 目次
    assert pages["第1章目的"] == pages["第2章範囲"] == pages["第1部総論"]
    assert pages["第2部各論"] == pages["第1部総論"] + 1
    assert pages["第1章方法"] == pages["第2章結果"] == pages["第2部各論"]


def test_chapters_on_a_new_page(tmp_path):
    pages = _page_of(_build(_source(tmp_path, FLOW_BODY, _flow("new-page", "new-page"))))
    assert pages["第1章目的"] == pages["第1部総論"]  # a 章 right under its 部 shares the 部's page
    assert pages["第2章範囲"] == pages["第1章目的"] + 1
    assert pages["第2部各論"] == pages["第2章範囲"] + 1
    assert pages["第1章方法"] == pages["第2部各論"] + 1  # after the 部's own text: a page of its own
    assert pages["第2章結果"] == pages["第1章方法"] + 1


def test_chapters_and_parts_on_a_recto_leave_blank_pages_bare(tmp_path):
    pdf = _build(_source(tmp_path, FLOW_BODY, _flow("recto", "recto")))
    pages = _page_of(pdf)
    for title in ("第1部総論", "第2章範囲", "第2部各論", "第1章方法", "第2章結果"):
        assert pages[title] % 2 == 1, title  # right-hand pages are the odd ones: the cover is page 1
    assert pages["第2章範囲"] == pages["第1部総論"] + 2
    blank = pages["第1部総論"] + 1
    assert _page_text(pdf, blank) == ""  # no running head, no folio on the page left empty


def test_parts_may_run_on_too(tmp_path):
    pages = _page_of(_build(_source(tmp_path, FLOW_BODY, _flow("run-on", "run-on"))))
    assert pages["第1部総論"] == pages["第2部各論"] == pages["第2章結果"] == 3


def test_a_chapter_that_runs_on_keeps_with_what_follows(tmp_path):
    filler = "本文の行を埋めるための段落です。" * 2 + "\n\n"
    for count in range(30, 38):  # find a filler length that leaves the 章 heading at the foot of a page
        body = "# 第1部 総論\n\n## 第1章 前\n\n" + filler * count + "## 第2章 後\n\n第2章の本文。\n"
        pdf = _build(_source(tmp_path, body))
        lines = [line for line in vpdf.read_lines(pdf) if not line.furniture]
        heading = next(line for line in lines if line.text == "第2章後")
        following = next(line for line in lines if line.text == "第2章の本文。")
        assert heading.page == following.page
        if heading.page > 3:
            return  # the heading was pushed over to the next page with its text
    pytest.fail("no filler length moved the heading to the next page")


# ---- the explicit page break ------------------------------------------------------------------------------


def test_pagebreak_and_newpage_break_the_page(tmp_path):
    body = "# 第1部 総論\n\n## 第1章 目的\n\n第一段落。\n\n::: pagebreak\n:::\n\n第二段落。\n\n\\newpage\n\n第三段落。\n"
    pdf = _build(_source(tmp_path, body))
    pages = _page_of(pdf)
    assert pages["第二段落。"] == pages["第一段落。"] + 1
    assert pages["第三段落。"] == pages["第二段落。"] + 1
    first = next(line for line in vpdf.read_lines(pdf) if line.text == "第二段落。")
    assert first.top - BLOCK_TOP < GRID.pitch_pt  # at the top of its page


def test_a_break_that_would_make_an_empty_page_is_not_made(tmp_path):
    body = (
        "::: pagebreak\n:::\n\n"  # right after the 目次
        "# 第1部 総論\n\n第一段落。\n\n"
        "::: pagebreak\n:::\n\n\\newpage\n\n"  # two in a row
        "第二段落。\n\n"
        "::: pagebreak\n:::\n\n"  # before a 部, which opens a page anyway
        "# 第2部 各論\n\n第三段落。\n\n"
        "::: pagebreak\n:::\n"  # at the end
    )
    pdf = _build(_source(tmp_path, body))
    pages = _page_of(pdf)
    assert (pages["第1部総論"], pages["第二段落。"], pages["第2部各論"]) == (3, 4, 5)
    assert _pages(pdf) == 5


def test_a_pagebreak_at_the_end_of_a_div_breaks_before_what_follows_it(tmp_path):
    body = "# 第1部 総論\n\n::: box\n囲みの本文。\n\n::: pagebreak\n:::\n:::\n\n囲みの後。\n"
    pages = _page_of(_build(_source(tmp_path, body)))
    assert pages["囲みの後。"] == pages["囲みの本文。"] + 1


# ---- no page mostly empty ---------------------------------------------------------------------------------


def _fill(lines: list[vpdf.Line]) -> float:
    """How far down the text block a page's body text reaches, 0 to 1."""
    return max(((line.bottom - BLOCK_TOP) / BLOCK_HEIGHT for line in lines), default=0.0)


def test_no_page_of_the_default_document_is_under_half_full_but_before_a_part_or_at_the_end(seed_build):
    pdf = next(seed_build.glob("*.pdf"))
    need_client("pdftotext", bool(which("pdftotext")), "the print edition is read back with poppler")
    lines = vpdf.read_lines(pdf)
    pages = _pages(pdf)
    reader = PdfReader(str(pdf))
    part_starts = {reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)}
    short = []
    for page in range(2, pages):  # the cover is laid out whole; the last page ends the document
        fill = _fill([line for line in lines if line.page == page and not line.furniture])
        if fill < 0.5 and page + 1 not in part_starts:
            short.append((page, round(fill, 2)))
    assert short == []


@pytest.mark.parametrize(
    "body, marked, left",
    [
        ('<p>一</p><div class="pagebreak"></div><p>二</p>', ["二"], 0),
        ('<p>一</p><div class="pagebreak">\n</div><div class="pagebreak"></div><p>二</p>', ["二"], 0),
        ('<p>一</p><div class="pagebreak"></div>', [], 0),  # at the end: no break at all
        ('<div class="box"><p>一</p><div class="pagebreak"></div></div><p>二</p>', ["二"], 0),
        ('<p>一</p><div class="pagebreak"><p>囲み</p></div>', ["囲み"], 1),  # with content: before itself
    ],
)
def test_pagebreak_divs_become_a_break_before_what_follows(body, marked, left):
    import lxml.html

    from jpub.editions.pdf.page_flow import mark_breaks

    root = lxml.html.document_fromstring(f"<html><body><main>{body}</main></body></html>")
    mark_breaks(root)
    assert [element.text_content() for element in root.iter() if "break-before" in (element.get("class") or "")] == marked
    assert len(root.findall(".//div[@class='pagebreak']")) + len(root.findall(".//div[@class='pagebreak break-before']")) == left
