"""Where the Word edition's pages start: publish: page-flow, explicit breaks, the sections and their running
heads — read from the XML, and from LibreOffice's layout of the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jpub import page_flow, pipeline
from jpub.editions.fragments import chapter_level

from .conftest import DEFAULT_SOURCE, FIXTURES, need_client
from .test_docx_support import (
    Package,
    attr,
    body_blocks,
    bookmark_pages,
    build_docx,
    instructions,
    page_count,
    region_text,
    render_pdf,
    section_ends,
    starts_page,
    style_of,
    text_of,
    variant,
    w,
)

pytest_plugins = ["tests.test_docx_support"]  # the seed_docx and chapters_docx fixtures
LONG = FIXTURES / "long-titles.md"
HEADER_BAND = (20, 60)  # points from the top: the header sits 15 mm down, the text starts at 30 mm


def headings(source: Path):
    return pipeline.prepare(source, ["docx"]).documents["docx"].headings


def built(tmp_path: Path, source: Path, flow: str | None = None) -> Path:
    if flow is not None:
        source = variant(tmp_path, source, f"  page-flow: {flow}")
    return build_docx(source, tmp_path)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The Word edition of a source in a page flow, built once for the module: editions(source, flow)."""
    made: dict[tuple[Path, str | None], Path] = {}

    def edition(source: Path, flow: str | None = None) -> Path:
        if (source, flow) not in made:
            made[source, flow] = built(tmp_path_factory.mktemp(flow or source.stem), source, flow)
        return made[source, flow]

    return edition


def heading_paragraphs(pkg: Package) -> list:
    return [b for b in body_blocks(pkg) if style_of(b).startswith("Heading")]


def starting(pkg: Package, block) -> bool:
    """Whether a block begins a page: by itself, a section break before it, or its style's page break."""
    own = block.find(f"{w('pPr')}/{w('pageBreakBefore')}")
    if own is not None:
        return starts_page(block)
    return starts_page(block) or bool(pkg.style_flag(style_of(block), "w:pPr/w:pageBreakBefore"))


# --- the page flow in the XML ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flow", "breaking"),
    [("run-on", {"Heading1": True, "Heading2": False}), ("new-page", {"Heading1": True, "Heading2": True}), ("recto", {"Heading1": False, "Heading2": False})],
)
def test_heading_styles_break_pages_as_the_flow_says(editions, flow, breaking):
    pkg = Package(editions(DEFAULT_SOURCE, flow))
    for style_id, value in breaking.items():
        assert bool(pkg.style_flag(style_id, "w:pPr/w:pageBreakBefore")) is value, style_id
    assert not pkg.style_flag("Heading3", "w:pPr/w:pageBreakBefore")


def test_without_parts_chapters_run_on_by_default(chapters_docx):
    assert not chapters_docx.style_flag("Heading1", "w:pPr/w:pageBreakBefore")


@pytest.mark.parametrize("flow", list(page_flow.PAGE_FLOWS))
def test_which_headings_start_a_page(editions, flow):
    pkg = Package(editions(DEFAULT_SOURCE, flow))
    chapter = chapter_level(headings(DEFAULT_SOURCE))
    blocks = body_blocks(pkg)
    for index, block in enumerate(blocks):
        style = style_of(block)
        if not style.startswith("Heading"):
            continue
        level = int(style[-1])
        under_its_part = index > 0 and style_of(blocks[index - 1]) == "Heading1" and level == chapter
        want = page_flow.starts_page(level, chapter, page_flow.SHORTHANDS[flow]) and not under_its_part
        assert starting(pkg, block) is want, (flow, text_of(block))


def test_recto_sections_start_on_odd_pages(editions):
    pkg = Package(editions(DEFAULT_SOURCE, "recto"))
    ends = section_ends(pkg)
    assert len(ends) > 3
    kinds = [attr(sect.find(w("type")), "val") for sect in ends]
    assert {kind or "nextPage" for kind in kinds[:2]} == {"nextPage"}  # the cover, the 目次 (nextPage is the default)
    assert set(kinds[2:]) == {"oddPage"}


# --- explicit breaks in the XML --------------------------------------------------------------------------


def test_explicit_breaks_start_the_next_block_and_leave_no_marker(editions):
    pkg = Package(editions(LONG))
    texts = {text_of(b): b for b in body_blocks(pkg) if b.tag == w("p")}
    for text in ("改ページの後の段落です。", "二つ続いた改ページの後の段落です。"):
        assert starts_page(texts[text]), text
    table = next(b for b in body_blocks(pkg) if b.tag == w("tbl"))
    assert starts_page(table.getprevious())  # a 1-pt paragraph carries a break before a table
    assert "JpubPageBreak" not in pkg.raw["word/document.xml"].decode()


# --- LibreOffice's layout ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flows(editions) -> dict[str, tuple[Path, Path]]:
    """The seed in each page flow (run-on as the default, no setting) and the long-titles fixture: (docx,
    LibreOffice's PDF of it)."""
    need_client("LibreOffice", shutil.which("soffice") is not None, "the Word edition is laid out with soffice --headless")
    out = {}
    for name, source, flow in (
        ("run-on", DEFAULT_SOURCE, None),
        ("new-page", DEFAULT_SOURCE, "new-page"),
        ("recto", DEFAULT_SOURCE, "recto"),
        ("long", LONG, None),
    ):
        docx = editions(source, flow)
        out[name] = (docx, render_pdf(docx))
    return out


@pytest.mark.slow
def test_run_on_chapters_share_pages_and_parts_start_them(flows):
    _docx, pdf = flows["run-on"]
    pages = bookmark_pages(pdf)
    chapters = [h.id for h in headings(DEFAULT_SOURCE) if h.level == 2]
    assert len({pages[c] for c in chapters}) < len(chapters)  # some 章 share a page
    parts = [h for h in headings(DEFAULT_SOURCE) if h.level == 1]
    assert len({pages[p.id] for p in parts}) == len(parts)
    assert page_count(pdf) < page_count(flows["new-page"][1])


@pytest.mark.slow
def test_new_page_chapters_each_on_a_page(flows):
    docx, pdf = flows["new-page"]
    pages = bookmark_pages(pdf)
    blocks = body_blocks(Package(docx))
    under_part = {text_of(b) for a, b in zip(blocks, blocks[1:], strict=False) if style_of(a) == "Heading1" and style_of(b) == "Heading2"}
    seen = []
    for heading in headings(DEFAULT_SOURCE):
        if heading.level <= 2:
            assert (pages[heading.id] in seen) is (heading.text in under_part), heading.text  # only a 章 right under its 部 shares
            seen.append(pages[heading.id])


@pytest.mark.slow
def test_recto_parts_and_chapters_on_odd_pages(flows):
    _docx, pdf = flows["recto"]
    pages = bookmark_pages(pdf)
    assert all(pages[h.id] % 2 == 1 for h in headings(DEFAULT_SOURCE) if h.level <= 2)


@pytest.mark.slow
def test_explicit_breaks_in_libreoffice(flows):
    _docx, pdf = flows["long"]
    text = [region_text(pdf, page, 80, 760) for page in range(1, page_count(pdf) + 1)]

    def page_of(words: str) -> int:
        return next(i + 1 for i, t in enumerate(text) if words in t)

    before, after, twice = page_of("改ページの前の段落です。"), page_of("改ページの後の段落です。"), page_of("二つ続いた改ページの後の段落です。")
    assert after == before + 1 and twice == after + 1  # two breaks in a row make one new page
    assert page_of("改ページの後の表です。") == twice + 1
    part2 = bookmark_pages(pdf)[[h.id for h in headings(LONG) if h.level == 1][1]]
    assert part2 == page_of("第2章の本文です。") + 1  # a break before a 部 adds no page
    assert page_count(pdf) == page_of("第2部の本文です。")  # a break at the end adds no page


# --- running heads ---------------------------------------------------------------------------------------


def shown_by_word(found, pages: dict[str, int], level: int, page: int) -> str:
    """STYLEREF's rule: the first heading of the level on the page, else the last one before it."""
    on = [h for h in found if h.level == level and pages[h.id] == page]
    before = [h for h in found if h.level == level and pages[h.id] < page]
    return (on or before[-1:] or [None])[0].text if (on or before) else ""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["run-on", "new-page", "long"])
def test_running_heads_show_the_current_part_and_chapter(flows, name):
    """As LibreOffice shows them (the fields' cached results): the 部 on left-hand pages, the 章 on right-hand
    ones (the 部 where it has no 章) — each as Word's STYLEREF finds it — the title on the 目次, none on the cover."""
    _docx, pdf = flows[name]
    source = LONG if name == "long" else DEFAULT_SOURCE
    found = headings(source)
    pages = bookmark_pages(pdf)
    title = pipeline.prepare(source, ["docx"]).meta.title
    assert region_text(pdf, 1, *HEADER_BAND) == ""
    assert region_text(pdf, 2, *HEADER_BAND) == "".join(title.split())
    first_body = min(pages[h.id] for h in found)
    for page in range(first_body, page_count(pdf) + 1):
        part = shown_by_word(found, pages, 1, page)
        chapter = shown_by_word(found, pages, 2, page)
        part_pages = [pages[h.id] for h in found if h.level == 1]
        start = max(p for p in part_pages if p <= page)
        end = min([p for p in part_pages if p > page] or [page_count(pdf) + 1])
        has_chapters = any(start <= pages[h.id] < end for h in found if h.level == 2)
        want = chapter if page % 2 == 1 and has_chapters else part
        assert region_text(pdf, page, *HEADER_BAND) == "".join(want.split()), page


@pytest.mark.slow
def test_a_head_from_a_broken_heading_is_text_not_a_field(flows):
    """Word's STYLEREF result would carry the heading's line break into the head: such a head is text."""
    docx, _pdf = flows["long"]
    pkg = Package(docx)
    broken = {text_of(p) for p in pkg.paragraphs() if style_of(p).startswith("Heading") and p.find(f".//{w('br')}") is not None}
    heads = [pkg.xml(name) for name in pkg.names if name.startswith("word/header")]
    assert broken & {text_of(h) for h in heads}  # some head shows a broken heading …
    for head in heads:
        if text_of(head) in broken:
            assert instructions(head) == ""  # … as text
