"""The print edition read back: cover, 目次, running heads, page breaks, tables, tags, metadata, print options."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from jpub import pipeline
from jpub.cli import main
from jpub.editions.pdf.typography import phrases
from jpub.verify import expectations, pdf_checks
from jpub.verify import pdf as vpdf
from jpub.verify.text import ReadHeading

from .conftest import DEFAULT_SOURCE, need_system

MM = 72 / 25.4


def _pdf(build_dir: Path) -> Path:
    return next(build_dir.glob("*.pdf"))


def _page_texts(pdf: Path) -> list[str]:
    need_system("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return text.split("\f")[: len(PdfReader(str(pdf)).pages)]


def _outline_pages(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark."""
    reader = PdfReader(str(pdf))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def _build(tmp_path: Path, *options: str, source: Path = DEFAULT_SOURCE) -> Path:
    out = tmp_path / "out"
    assert main(["pdf", "--source", str(source), "--out", str(out), *options]) == 0
    return _pdf(out)


def _write(tmp_path: Path, body: str, front: str = "") -> Path:
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: 試験文書\nauthor: 試験省\ndate: 2024-04-01\nlang: ja\n{front}---\n\n{body}", encoding="utf-8")
    return path


# ---- structure -----------------------------------------------------------------------------------


def test_cover_has_title_subtitle_era_date_author_and_cover_material(seed_build):
    cover = _page_texts(_pdf(seed_build))[0]
    pub = pipeline.prepare(DEFAULT_SOURCE, ["pdf"])
    flat = re.sub(r"\s+", "", cover)
    for text in (pub.meta.title, pub.meta.subtitle, "令和6年6月11日", pub.meta.author, "【概要書】", "標記の報告書を衆議院議長に提出いたしました。"):
        assert re.sub(r"\s+", "", text) in flat, text
    assert not re.search(r"^\s*\d+\s*$", cover, re.M), "the cover carries no folio"


def test_toc_lists_chapters_with_leaders_and_the_pages_they_start_on(seed_build):
    pdf = _pdf(seed_build)
    toc = _page_texts(pdf)[1]
    starts = {title: page for _, title, page in _outline_pages(pdf)}
    entries = re.findall(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$", toc, re.M)
    assert [title for title, _ in entries][:3] == [
        "科学技術・イノベーション創出の振興に関する年次報告について",
        "第1部 AIがもたらす科学技術・イノベーションの変革",
        "第1章 新時代を迎えたAI",
    ]
    assert len(entries) == 10  # 部 and 章 only: toc-depth defaults to the level of 章
    for title, page in entries:
        assert starts[title] == int(page), title


def test_toc_depth_setting_adds_sections(tmp_path):
    source = _write(tmp_path, "# 第1章 総論\n\n本文。\n\n## 第1節 目的\n\n本文。\n", "publish:\n  toc-depth: 2\n")
    toc = _page_texts(_build(tmp_path, source=source))[1]
    assert "第1節 目的" in toc and re.search(r"目\s*次", toc)


def test_bookmarks_are_the_headings_nested_and_nothing_else(seed_build):
    pdf = _pdf(seed_build)
    headings = pipeline.prepare(DEFAULT_SOURCE, ["pdf"]).documents["pdf"].headings
    outline = [(h.level, h.text) for h in vpdf.pdf_outline(pdf)]
    assert outline == [(depth, h.text) for depth, h in expectations.nested(headings)]
    assert "第2章 我が国におけるAI関連研究開発の取組" in [t for d, t in outline if d == 2]
    assert all(title != "目次" for _, title in outline)


def test_parts_and_chapters_open_a_page_and_a_chapter_may_share_its_parts_page(seed_build):
    pdf = _pdf(seed_build)
    outline = _outline_pages(pdf)
    previous_page, previous_depth = 0, 0
    for depth, title, page in outline:
        if depth <= 2:  # 部 and 章 in this document
            if depth == 2 and previous_depth == 1:
                assert page in (previous_page, previous_page + 1), title
            else:
                assert page > previous_page, f"{title} shares page {page}"
        previous_page, previous_depth = page, depth
    pages = {title: page for _, title, page in outline}
    assert pages["第1章 科学技術・イノベーション政策の展開"] == pages["第2部 科学技術・イノベーション創出の振興に関して講じた施策"]


def test_running_head_shows_the_part_label_and_the_chapter(seed_build):
    pdf = _pdf(seed_build)
    texts = _page_texts(pdf)
    pages = {title: page for _, title, page in _outline_pages(pdf)}
    head = texts[pages["第2章 我が国におけるAI関連研究開発の取組"] - 1].strip().splitlines()[0]
    assert re.match(r"第1部\s+第2章 我が国におけるAI関連研究開発の取組$", head)
    head = texts[pages["第2部 科学技術・イノベーション創出の振興に関して講じた施策"] - 1].strip().splitlines()[0]
    assert re.match(r"第2部\s+第1章 科学技術・イノベーション政策の展開$", head)
    assert not texts[1].strip().startswith("第"), "no running head on the 目次"
    # a 部's opening page before its first 章: the label alone, not the 部's title a second time
    lines = [line.strip() for line in texts[pages["第1部 AIがもたらす科学技術・イノベーションの変革"] - 1].splitlines() if line.strip()]
    assert lines[0] == "第1部" and lines[1].startswith("第1部 AIがもたらす")


def test_folios_are_the_page_numbers(seed_build):
    texts = _page_texts(_pdf(seed_build))
    for number, text in enumerate(texts[1:], start=2):
        assert text.rstrip().splitlines()[-1].strip() == str(number)


def test_table_header_repeats_and_rows_never_split(tmp_path):
    rows = "".join(f"| 項目{i:02d} | 始{i:02d}{'長い説明の文章。' * 9}終{i:02d} |\n" for i in range(40))
    source = _write(tmp_path, f"# 第1章 表\n\n| 区分 | 内容 |\n|----|----------------|\n{rows}")
    pdf = _build(tmp_path, source=source)
    texts = _page_texts(pdf)[2:]
    assert len(texts) >= 3
    for text in texts:
        assert "区分" in text and "内容" in text, "header row on every page of the table"
    for i in range(40):
        start = [n for n, t in enumerate(texts) if f"始{i:02d}" in t]
        end = [n for n, t in enumerate(texts) if f"終{i:02d}" in t]
        assert start == end and len(start) == 1, f"row {i} split across pages"


def test_lists_use_japanese_bullets(seed_build):
    text = "\n".join(_page_texts(_pdf(seed_build)))
    assert re.search(r"^\s*・\s*国立情報学研究所は企業や大学等と", text, re.M)


def test_text_reads_back_as_the_source_text(seed_build):
    text = subprocess.run(["pdftotext", str(_pdf(seed_build)), "-"], capture_output=True, check=True).stdout.decode()
    assert "\ufffd" not in text
    # 和欧間 is set as a margin small enough that extractors insert no space
    assert "生成AIの開発" in text and "LLM勉強会" in text


def test_full_width_lines_fill_the_measure(tmp_path):
    """A line of full-width text broken only by the measure is exactly 40 characters of 10.5 pt."""
    need_system("pdftotext")
    source = _write(tmp_path, "# 第1章 版面\n\n" + "あいうえおかきくけこ" * 12 + "\n")
    out = subprocess.run(["pdftotext", "-bbox-layout", str(_build(tmp_path, source=source)), "-"], capture_output=True, check=True).stdout.decode()
    lines = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>\s*<word[^>]*>([あ-こ]+)</word>', out)
    assert [len(text) for _, _, text in lines] == [39, 40, 40, 1]  # the first line is indented 1 字
    for x_min, x_max, _ in lines[1:3]:
        assert float(x_max) - float(x_min) == pytest.approx(40 * 10.5, abs=0.01)
    assert float(lines[0][0]) == pytest.approx(float(lines[1][0]) + 10.5, abs=0.01)


# ---- PDF/UA, PDF/A, metadata, reproducibility -----------------------------------------------------


def _struct_tags(reader: PdfReader) -> list[str]:
    tags: list[str] = []

    def walk(node):
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, dict):
            if "/S" in node:
                tags.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return tags


def test_tagged_pdf_ua_with_heading_tags_and_language(seed_build):
    reader = PdfReader(str(_pdf(seed_build)))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "ja"
    headings = pipeline.prepare(DEFAULT_SOURCE, ["pdf"]).documents["pdf"].headings
    tags = [t for t in _struct_tags(reader) if re.fullmatch(r"/H[1-6]", t)]
    assert tags == ["/H1"] + [f"/H{h.level}" for h in headings]  # 目次, then the document's headings
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp


SMALL = "# 第1章 総論\n\n本文。\n"  # for what does not depend on the document: metadata, page boxes


def test_pdf_a_3b_variant(tmp_path):
    reader = PdfReader(str(_build(tmp_path, "--pdf-variant", "pdf/a-3b", source=_write(tmp_path, SMALL))))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part="3"', xmp) and re.search(r'pdfaid:conformance="B"', xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_metadata_from_the_front_matter(seed_build):
    info = PdfReader(str(_pdf(seed_build))).metadata
    assert info.title == "令和5年度 科学技術・イノベーション創出の振興に関する年次報告（概要）"
    assert info.author == "文部科学省"
    assert info.subject == "科学技術・イノベーション白書 概要"
    assert info["/Keywords"] == "科学技術, イノベーション, AI, 白書"
    assert info["/CreationDate"].startswith("D:20240611") and info["/ModDate"].startswith("D:20240611")


def test_source_date_epoch_sets_the_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    info = PdfReader(str(_build(tmp_path, source=_write(tmp_path, SMALL)))).metadata
    assert info["/CreationDate"].startswith("D:20231114221320")


def test_crop_marks_add_bleed_around_the_a4_trim(tmp_path, seed_build):
    page = PdfReader(str(_build(tmp_path, "--crop-marks", source=_write(tmp_path, SMALL)))).pages[0]
    trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
    assert float(trim.width) == pytest.approx(210 * MM, abs=0.5) and float(trim.height) == pytest.approx(297 * MM, abs=0.5)
    assert float(bleed.width) - float(trim.width) == pytest.approx(6 * MM, abs=0.5)
    assert float(bleed.left) == pytest.approx(float(trim.left) - 3 * MM, abs=0.5)
    assert [float(v) for v in media] == [float(v) for v in bleed]  # WeasyPrint draws the marks in the bleed
    plain = PdfReader(str(_pdf(seed_build))).pages[0]
    assert float(plain.mediabox.width) == pytest.approx(210 * MM, abs=0.5)


def test_running_head_label_for_a_heading_with_its_own_id(tmp_path):
    body = "# 第1部 総論 {#1部-総論}\n\n## 第1章 目的\n\n本文。\n\n## 第2章 方法\n\n本文。\n"
    texts = _page_texts(_build(tmp_path, source=_write(tmp_path, body)))
    assert re.match(r"第1部\s+第2章 方法$", texts[-1].strip().splitlines()[0])


def test_headings_in_the_cover_material_are_neither_bookmarked_nor_listed(tmp_path):
    source = _write(tmp_path, "::: cover\n## 送付状\n\n標記の件\n:::\n\n# 第1章 総論\n\n本文。\n")
    pdf = _build(tmp_path, source=source)
    assert vpdf.pdf_outline(pdf) == [ReadHeading(1, "第1章 総論")]
    assert "送付状" not in _page_texts(pdf)[1] and "送付状" in _page_texts(pdf)[0]
    assert pdf_checks.check(pdf, ("Noto Serif CJK JP", "Noto Sans CJK JP")) == []


@pytest.mark.parametrize(
    "title",
    [
        "令和5年度 科学技術・イノベーション創出の振興に関する年次報告（概要）",
        "令和6年度 地域における防災・減災の取組の推進に関する基本計画の策定について",
    ],
)
def test_cover_title_breaks_between_phrases(tmp_path, title):
    flat = title.replace(" ", "")
    starts, at = set(), 0
    for part in phrases(title):
        starts.add(at)
        at += len(part.replace(" ", ""))
    source = _write(tmp_path, "# 第1章 総論\n\n本文。\n").read_text(encoding="utf-8").replace("title: 試験文書", f"title: {title}")
    (tmp_path / "doc.md").write_text(source, encoding="utf-8")
    cover = _page_texts(_build(tmp_path, source=tmp_path / "doc.md"))[0]
    lines = [line.replace(" ", "") for line in cover.splitlines() if line.strip()]
    spans = [(i, j) for i in range(len(lines)) for j in range(i + 2, len(lines) + 1) if "".join(lines[i:j]) == flat]
    assert spans, "the title is set on two or more lines"
    i, j = spans[0]
    breaks = {len("".join(lines[i:k])) for k in range(i + 1, j)}
    assert breaks <= starts, lines[i:j]


def _line_widths(pdf: Path) -> dict[str, float]:
    """Text of each printed line (words at one baseline) → its extent. Glyphs set half-width by
    ``halt`` keep their full advance in the font's widths, so poppler sees them overlap the next
    one and may split the line into two: words are grouped by their baseline, not by poppler's lines."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    rows: dict[tuple[int, str], list[tuple[float, float, str]]] = {}
    page = 0
    for chunk in out.split("<page ")[1:]:
        page += 1
        for x_min, x_max, y_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk):
            rows.setdefault((page, y_max), []).append((float(x_min), float(x_max), word))
    return {"".join(w for _, _, w in words): max(x for _, x, _ in words) - min(x for x, _, _ in words) for words in rows.values()}


def test_consecutive_punctuation_is_set_in_one_and_a_half_em(tmp_path):
    need_system("pdftotext")
    widths = _line_widths(_build(tmp_path, source=_write(tmp_path, "# 第1章 約物\n\n「あ」「い」\n\n「あ」と「い」\n")))
    assert widths["「あ」と「い」"] == pytest.approx(7 * 10.5, abs=0.05)
    assert widths["「あ」「い」"] == pytest.approx(5.5 * 10.5, abs=0.05)  # 」「 takes 1.5 em, not 2


def test_latin_runs_get_a_small_gap_from_kana_and_kanji(tmp_path):
    need_system("pdftotext")
    widths = _line_widths(_build(tmp_path, source=_write(tmp_path, "# 第1章 和欧間\n\nあいAIうえ\n\nAIあいうえ\n")))
    both, one = widths["あいAIうえ"], widths["AIあいうえ"]
    assert both - one == pytest.approx(0.08 * 10.5, abs=0.05)  # a gap on each side against one


def test_long_cover_material_flows_on_without_losing_a_line(tmp_path):
    paragraphs = "".join(f"送付状の第{i}段落です。本計画は地域の防災体制を定めるものであり、関係機関に送付いたします。\n\n" for i in range(1, 15))
    pdf = _build(tmp_path, source=_write(tmp_path, f"::: cover\n{paragraphs}:::\n\n# 第1章 総論\n\n本文。\n"))
    text = "".join(_page_texts(pdf)[:3])
    assert all(f"送付状の第{i}段落" in text for i in range(1, 15))
    assert text.index("送付状の第14段落") < text.index("令和6年4月1日") < text.index("試験省")


def test_short_cover_material_keeps_the_foot_at_the_bottom(seed_build):
    words = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(_pdf(seed_build)), "-"], capture_output=True, check=True).stdout.decode()
    y = float(re.search(r'yMin="([\d.]+)"[^>]*>文部科学省<', words).group(1))
    assert y > 0.7 * 841.89


def test_long_urls_and_wide_tables_stay_inside_the_measure(tmp_path):
    url = "https://www.example.go.jp/" + "a" * 60 + "/" + "b" * 60 + ".html"
    body = f"# 第1章 参考\n\n参照先は{url}である。\n\n| 区分 | 所在 | 備考 |\n|--|--|--|\n| 資料 | {url} | {url} |\n"
    out = subprocess.run(["pdftotext", "-bbox", str(_build(tmp_path, source=_write(tmp_path, body))), "-"], capture_output=True, check=True).stdout.decode()
    right = max(float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', out))
    assert right <= 595.28 - 87.63 + 0.5


def test_a_long_heading_breaks_between_phrases(seed_build):
    pdf = _pdf(seed_build)
    pages = {title: page for _, title, page in _outline_pages(pdf)}
    page = pages["第2部 科学技術・イノベーション創出の振興に関して講じた施策"]
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("第2部 科学技術"))
    assert lines[start + 1] == "講じた施策"  # not 「…講じ」 / 「た施策」


def test_a_heading_that_fits_on_one_line_gets_no_phrase_spans(tmp_path):
    """Phrase spans only where a heading can break: they cost layout time on every heading that has them."""
    from jpub.editions.pdf import writer as pdf_edition

    short = "第1章 短い見出し"
    long = "第2章 科学技術・イノベーション創出の振興に関して講じた施策の全体像"
    pub = pipeline.prepare(_write(tmp_path, f"# {short}\n\n本文。\n\n# {long}\n\n本文。\n"), ["pdf"])
    html = pdf_edition.print_html(pub)
    short_h, long_h = re.findall(r"<h1[^>]*>(.*?)</h1>", html.split("<main>")[1], re.S)
    assert 'class="phrase"' not in short_h
    assert 'class="phrase"' in long_h


@pytest.mark.parametrize(("role", "fits", "breaks"), [("part", 24, 25), ("chapter", 29, 30), ("section", 35, 36), ("item", 40, 41)])
def test_heading_one_line_capacity(role, fits, breaks):
    """At most as many full-width characters as the measure holds at the heading's size, less its rule and padding."""
    from jpub.editions.pdf.layout import HEADINGS

    assert HEADINGS[role].fits_one_line("字" * fits)
    assert not HEADINGS[role].fits_one_line("字" * breaks)
    assert not HEADINGS[role].fits_one_line("字" * (fits - 4) + "WWWW")  # as many characters, but Latin counts wider


def test_headings_that_may_break_keep_their_phrase_spans(tmp_path):
    """Latin capitals with 和欧間 are wider than an em, and the cover's box is narrower than the measure:
    such headings are laid out and read back, and each breaks between phrases, never inside one."""
    latin = "案W" * 17  # 34 characters: fewer than a 節's 35 full-width, but wider
    cover_heading = "科学技術・イノベーション創出の振興に関して講じた施策の全体像について"  # 34 characters at 12 pt in the box
    body = f"::: cover\n### {cover_heading}\n:::\n\n# 第1章 はじめに\n\n## 第1節 {latin}\n\n本文。\n"
    pub = pipeline.prepare(_write(tmp_path, body), ["pdf"])
    from jpub.editions.pdf import writer as pdf_edition

    html = pdf_edition.print_html(pub)
    cover, main_part = html.split("<main>")
    assert 'class="phrase"' in re.search(r"<h3[^>]*>(.*?)</h3>", cover, re.S).group(1)
    assert 'class="phrase"' in re.search(r"<h2[^>]*>(.*?)</h2>", main_part, re.S).group(1)
    pages = _page_texts(_build(tmp_path, source=tmp_path / "doc.md"))
    lines = [line.strip() for line in pages[0].splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("科学技術・イノベーション創出"))
    assert lines[start + 1] in ("全体像について", "施策の全体像について")  # not 「…につい／て」
