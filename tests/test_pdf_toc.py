"""The 目次 and the headings as a reader sees them, read back from the PDF: 3点リーダー from the title to a
column of right-aligned page numbers with even gaps, each heading level set apart from the next, and a label
over a list set flush like the list."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from jpub.cli import main
from jpub.editions.pdf import leaders
from jpub.editions.pdf.layout import GRID, MM_PER_PT

from .conftest import need_client, which

MARGIN = GRID.inner_margin_mm / MM_PER_PT
EM = GRID.font_pt


@dataclass(frozen=True)
class Word:
    page: int
    left: float
    top: float
    right: float
    bottom: float
    text: str


def _words(pdf: Path, page: int) -> list[Word]:
    need_client("pdftotext", bool(which("pdftotext")), "word positions are read back with poppler")
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)
    return [Word(page, float(x0), float(y0), float(x1), float(y1), text) for x0, y0, x1, y1, text in found]


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped by the line they are set on (their vertical centre), left to right."""
    rows: dict[int, list[Word]] = {}
    for word in words:
        rows.setdefault(round((word.top + word.bottom) / 2), []).append(word)
    return [sorted(row, key=lambda w: w.left) for _, row in sorted(rows.items())]


@dataclass(frozen=True)
class Entry:
    title: str
    title_right: float
    leader_left: float
    leader_right: float
    number: str
    number_right: float


def _entries(pdf: Path) -> list[Entry]:
    """The 目次's entries (page 2): title, leaders, page number."""
    out = []
    for row in _rows(_words(pdf, 2)):
        dots = [w for w in row if set(w.text) <= {"…"}]
        if not dots:
            continue
        title = [w for w in row if w.right <= dots[0].left]
        number = row[-1]
        assert number.text.isdigit(), [w.text for w in row]
        out.append(Entry("".join(w.text for w in title), title[-1].right, dots[0].left, dots[-1].right, number.text, number.right))
    return out


# 37 characters with its number: it fills a 目次 line of 章 to the page-number column, leaving no room for a leader
LONG_TITLE = "近年の自然災害の発生状況と被害の特徴及び地域の防災体制の現状と課題"


@pytest.fixture(scope="module")
def toc_pdf(tmp_path_factory) -> Path:
    """Titles ending on fractions of an em (Latin, figures) and on whole ems, and page numbers of one and two digits."""
    folder = tmp_path_factory.mktemp("toc")
    titles = ["総論", "AIの活用", "Society 5.0の実現", "計画の進め方について"] * 3 + [LONG_TITLE]
    chapters = "".join(f"## 第{n}章 {title}\n\n本文。\n\n::: pagebreak\n:::\n\n" for n, title in enumerate(titles, 1))
    source = folder / "doc.md"
    source.write_text(f"---\ntitle: 目次の試験\nauthor: 試験省\nlang: ja\n---\n\n# 第1部 全体\n\n{chapters}", encoding="utf-8")
    assert main(["pdf", "--quiet", "--source", str(source), "--out", str(folder / "out")]) == 0
    return folder / "out" / "doc.pdf"


def test_toc_leaders_are_3ten_leaders_between_even_gaps(toc_pdf):
    entries = _entries(toc_pdf)
    assert len(entries) == 14 and {e.number for e in entries} >= {"3", "14"}
    gaps_after_title = [e.leader_left - e.title_right for e in entries]
    assert max(gaps_after_title) - min(gaps_after_title) < 0.15 * EM, gaps_after_title
    assert all(0.2 * EM < gap < 0.6 * EM for gap in gaps_after_title), gaps_after_title  # never touching the title
    assert max(e.leader_right for e in entries) - min(e.leader_right for e in entries) < 0.05  # they end at one column


def test_toc_page_numbers_are_right_aligned(toc_pdf):
    entries = _entries(toc_pdf)
    rights = [e.number_right for e in entries]
    assert max(rights) - min(rights) < 0.05
    assert abs(rights[0] - (MARGIN + GRID.chars_per_line * EM)) < 0.5  # at the end of the measure
    assert all(e.leader_right < e.number_right - len(e.number) * 0.5 * EM for e in entries)


def test_without_the_even_spreading_the_gaps_after_titles_differ(toc_pdf, tmp_path):
    """The leader patch is what evens the gaps: WeasyPrint alone steps leaders back from the line's end."""
    leaders.uninstall()
    try:
        source = toc_pdf.parent.parent / "doc.md"
        assert main(["pdf", "--quiet", "--source", str(source), "--out", str(tmp_path)]) == 0
    finally:
        leaders.install()
    words = _words(tmp_path / "doc.pdf", 2)
    rows = [row for row in _rows(words) if any(set(w.text) <= {"…"} for w in row)]
    gaps = []
    for row in rows:
        dots = [w for w in row if set(w.text) <= {"…"}]
        title = [w for w in row if w.right <= dots[0].left]
        if title:
            gaps.append(dots[0].left - title[-1].right)
    assert max(gaps) - min(gaps) > 0.3 * EM, gaps


def test_a_toc_entry_that_wraps_breaks_between_phrases_and_keeps_text_beside_its_leader(toc_pdf):
    rows = ["".join(w.text for w in row) for row in _rows(_words(toc_pdf, 2))]
    first = next(i for i, row in enumerate(rows) if row.startswith("第13章"))
    assert rows[first] == "第13章" + LONG_TITLE[:-2]  # not 「…現状と課」 / 「題」
    assert re.fullmatch(r"課題…+15", rows[first + 1]), rows[first + 1]


# ---- headings and labels in the body --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def levels_pdf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("levels")
    source = folder / "doc.md"
    body = (
        "# 第1部 全体\n\n**第1部の構成**\n\n- 第1章 総論\n- 第2章 各論\n\n## 第1章 総論\n\n本文。\n\n"
        "### 第1節 目的\n\n本文。\n\n#### 第1項 範囲\n\n本文。\n\n## 第2章 各論\n\n本文。\n"
    )
    source.write_text(f"---\ntitle: 見出しの試験\nauthor: 試験省\nlang: ja\n---\n\n{body}", encoding="utf-8")
    assert main(["pdf", "--quiet", "--source", str(source), "--out", str(folder / "out")]) == 0
    return folder / "out" / "doc.pdf"


def _line(pdf: Path, page: int, starts: str) -> list[Word]:
    return next(row for row in _rows(_words(pdf, page)) if "".join(w.text for w in row).startswith(starts))


def test_each_heading_level_is_set_apart_from_the_next(levels_pdf):
    section, item = _line(levels_pdf, 3, "第1節"), _line(levels_pdf, 3, "第1項")
    assert abs(section[0].left - MARGIN) < 0.5
    assert item[0].left - section[0].left == pytest.approx(EM, abs=0.5)  # 項 one character in
    assert (section[0].bottom - section[0].top) > (item[0].bottom - item[0].top) + 1  # and smaller


def test_a_label_over_a_list_is_flush_like_the_list(levels_pdf):
    label, bullet = _line(levels_pdf, 3, "第1部の構成"), _line(levels_pdf, 3, "・")
    paragraph = _line(levels_pdf, 3, "本文。")
    assert abs(label[0].left - MARGIN) < 0.5 and abs(bullet[0].left - MARGIN) < 0.5
    assert paragraph[0].left - MARGIN == pytest.approx(EM, abs=0.5)  # running text keeps its 字下げ
