"""What the Word edition takes from LibreOffice's layout of itself: the 目次's page numbers (PAGEREF fields
Word can update) and headings broken between phrases, never leaving one or two characters on a line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from jpub import cli, libreoffice, pipeline, verify
from jpub.editions.docx import heading_breaks, layout

from .conftest import DEFAULT_SOURCE, FIXTURES, need_client
from .test_docx_support import Package, attr, bookmark_pages, build_docx, instructions, render_pdf, style_of, text_of, w

LONG = FIXTURES / "long-titles.md"
SOURCES = {"seed": DEFAULT_SOURCE, "long": LONG}


def toc_paragraphs(pkg: Package) -> list:
    return [p for p in pkg.paragraphs() if style_of(p).startswith("TOC") and style_of(p) != "TOCHeading"]


def entry(paragraph) -> tuple[str, str, str | None, str]:
    """(anchor, title, PAGEREF instruction, cached page) of a 目次 entry."""
    link = paragraph.find(w("hyperlink"))
    pieces = ["\t" if node.tag == w("tab") else node.text or "" for node in link.iter(w("t"), w("tab"))]
    title, _, page = "".join(pieces).partition("\t")
    return attr(link, "anchor") or "", title, instructions(link) or None, page


@pytest.fixture(scope="module", params=sorted(SOURCES))
def laid_out(request, tmp_path_factory) -> tuple[str, Package, Path]:
    need_client("LibreOffice", shutil.which("soffice") is not None, "the Word edition is laid out with soffice --headless")
    docx = build_docx(SOURCES[request.param], tmp_path_factory.mktemp(f"layout-{request.param}"))
    return request.param, Package(docx), render_pdf(docx)


@pytest.mark.slow
def test_toc_numbers_are_the_pages_libreoffice_puts_the_headings_on(laid_out):
    _which, pkg, pdf = laid_out
    pages = bookmark_pages(pdf)
    entries = [entry(p) for p in toc_paragraphs(pkg)]
    assert entries
    for anchor, _title, instruction, page in entries:
        assert instruction == f"PAGEREF {anchor} \\h"
        assert page == str(pages[anchor]), anchor


@pytest.mark.slow
def test_toc_field_stays_for_word_to_update(laid_out):
    _which, pkg, _pdf = laid_out
    begin = pkg.document.find(f".//{w('fldChar')}[@{w('fldCharType')}='begin']")
    assert attr(begin, "dirty") == "true"
    assert attr(pkg.xml("word/settings.xml").find(w("updateFields")), "val") == "true"
    leader = {attr(tab, "leader") for p in toc_paragraphs(pkg) for tab in pkg.style(style_of(p)).iter(w("tab"))}
    assert leader == {"middleDot"}  # ･････ before the page number, as 3点リーダー


def test_without_libreoffice_the_toc_keeps_its_titles_and_no_number_is_made_up(tmp_path, monkeypatch):
    monkeypatch.setattr(libreoffice, "executable", lambda: None)
    pkg = Package(build_docx(DEFAULT_SOURCE, tmp_path))
    entries = [entry(p) for p in toc_paragraphs(pkg)]
    headings = pipeline.prepare(DEFAULT_SOURCE, ["docx"]).documents["docx"].headings
    assert [title for _a, title, _i, _p in entries] == [h.text for h in headings if h.level <= 2]
    assert all(instruction is None and page == "" for _a, _t, instruction, page in entries)
    assert not any(p.find(f".//{w('tab')}") is not None for p in toc_paragraphs(pkg))
    # a right-hand head whose 章 changes from page to page is left for Word to fill
    right_heads = [pkg.xml(name) for name in pkg.names if name.startswith("word/header")]
    assert any(instructions(h) == "STYLEREF 2" and text_of(h) == "" for h in right_heads)


def test_a_build_warns_when_libreoffice_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(libreoffice, "executable", lambda: None)
    status = cli.main(["docx", "--source", str(DEFAULT_SOURCE), "--out", str(tmp_path)])
    out = capsys.readouterr()
    assert status == 0 and (tmp_path / "white-paper-summary.docx").is_file()
    assert "warning: LibreOffice（soffice）がないため、Word 版の目次にページ番号を入れません" in out.out + out.err
    assert "[docx-layout]" in out.out + out.err


def test_one_layout_when_the_numbers_cannot_move_a_page(tmp_path, monkeypatch):
    need_client("LibreOffice", shutil.which("soffice") is not None, "the Word edition is laid out with soffice --headless")
    calls = []
    real = libreoffice.to_pdf

    def counted(data: bytes) -> bytes:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(libreoffice, "to_pdf", counted)
    build_docx(LONG, tmp_path)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("lines", "titles", "beside"),
    [
        (["第1章 総論 ･････････ 000", "第2章 各論･････････000"], ["第1章 総論", "第2章 各論"], True),
        (["第1章 とても長い見出しの", "最後の部分 ･････････ 000"], ["第1章 とても長い見出しの最後の部分"], True),
        (["第1章 とても長い見出しの最後の部分", "000"], ["第1章 とても長い見出しの最後の部分"], False),  # the number went on alone
    ],
)
def test_numbers_beside_titles(lines, titles, beside):
    assert layout.numbers_beside_titles(lines, titles) is beside


# --- heading breaks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "measure", "lines"),
    [
        ("第1章 総論", 20.0, ["第1章 総論"]),
        ("科学技術・イノベーション創出の振興に関する年次報告について", 26.7, ["科学技術・イノベーション創出の振興に関する", "年次報告について"]),
        ("第2部 科学技術・イノベーション創出の振興に関して講じた施策", 26.7, ["第2部 科学技術・イノベーション創出の振興に関して", "講じた施策"]),
        ("イノベーションエコシステムイノベーションエコシステム", 10.0, ["イノベーションエコシステムイノベーションエコシステム"]),  # one phrase: left alone
    ],
)
def test_plan_breaks_between_phrases(text, measure, lines):
    cuts = [0, *heading_breaks.plan(text, measure), len(text)]
    assert [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)] == lines


def test_plan_never_leaves_a_short_last_line():
    text = "第1節 多様で卓越した研究を生み出す環境の再構築と研究者の処遇の改善に関する施策"
    for measure in (18.0, 22.0, 26.0, 30.0, 34.0, 38.0):
        cuts = [0, *heading_breaks.plan(text, measure), len(text)]
        lines = [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
        assert all(heading_breaks.em(line.rstrip()) <= measure - heading_breaks.SLACK_EM for line in lines[:-1]), measure
        assert len(lines) == 1 or heading_breaks.em(lines[-1]) >= heading_breaks.MIN_LAST_EM, (measure, lines)


def body_lines(pdf: Path, page: int) -> list[str]:
    """The lines of a page below its header, spaces removed."""
    command = ["pdftotext", "-f", str(page), "-l", str(page), "-layout", "-y", "80", "-W", "600", "-H", "720", str(pdf), "-"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [line for line in ("".join(raw.split()) for raw in out.splitlines()) if line]


def lines_of(lines: list[str], text: str) -> list[str]:
    """The consecutive lines that together hold ``text`` (spaces aside)."""
    want = "".join(text.split())
    for start in range(len(lines)):
        taken, end = "", start
        while end < len(lines) and want.startswith(taken + lines[end]):
            taken += lines[end]
            end += 1
            if taken == want:
                return lines[start:end]
    raise AssertionError(f"{text} is not on the page")


@pytest.mark.slow
def test_no_heading_or_title_ends_with_one_or_two_characters(laid_out):
    """As LibreOffice sets them: each heading's lines, read off its page, end with a line of three or more."""
    which, pkg, pdf = laid_out
    pages = bookmark_pages(pdf)
    document = pipeline.prepare(SOURCES[which], ["docx"])
    checked = 0
    for heading in document.documents["docx"].headings:
        set_in = lines_of(body_lines(pdf, pages[heading.id]), heading.text)
        assert len(set_in[-1]) >= 3, (heading.text, set_in)
        checked += len(set_in) > 1
    assert checked, "some heading of this document takes two lines"
    title = lines_of(body_lines(pdf, 1), document.meta.title)
    assert len(title) > 1 and len(title[-1]) >= 3, title


def test_broken_headings_and_entries_read_back_whole_by_verify(tmp_path):
    built = build_docx(LONG, tmp_path)
    broken = [p for p in Package(built).paragraphs() if style_of(p).startswith(("Heading", "TOC")) and p.find(f".//{w('br')}") is not None]
    assert {style_of(p)[:3] for p in broken} == {"Hea", "TOC"}  # headings and 目次 entries both broken here
    assert verify.verify(LONG, tmp_path, ["docx"]) == []


@pytest.mark.parametrize(("bookmark", "name"), [("part1-chapter2", "part1-chapter2"), ("_Ref757417154", "5FRef757417154"), ("fig:hi", "fig3Ahi")])
def test_destination_names_as_libreoffice_writes_them(bookmark, name):
    assert libreoffice.destination_name(bookmark) == name


@pytest.mark.slow
def test_the_list_of_figures_gets_its_page_numbers_too(tmp_path):
    need_client("LibreOffice", shutil.which("soffice") is not None, "the Word edition is laid out with soffice --headless")
    from .test_crossref_editions import write_figures

    out = tmp_path / "out"
    out.mkdir()
    docx = build_docx(write_figures(tmp_path), out)
    pdf = render_pdf(docx)
    pages = bookmark_pages(pdf)
    entries = [entry(p) for p in Package(docx).paragraphs() if style_of(p) == "TableofFigures"]
    assert entries
    for anchor, _title, instruction, page in entries:
        assert instruction == f"PAGEREF {anchor} \\h" and page == str(pages[libreoffice.destination_name(anchor)])
