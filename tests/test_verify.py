"""verify: the built editions read back agree with the source, and every kind of tampering is named."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn

from jpub import verify
from jpub.cli import main
from jpub.editions import EDITIONS
from jpub.verify import docx as vdocx
from jpub.verify import html as vhtml
from jpub.verify import pdf as vpdf
from jpub.verify import text as vtext
from jpub.verify.compare import Report, compare_lists, in_order
from jpub.verify.text import ReadHeading

from .conftest import DEFAULT_SOURCE, FIXTURES, build

pytestmark = pytest.mark.slow

STEM = DEFAULT_SOURCE.stem
CHAPTER2 = "第2章 我が国におけるAI関連研究開発の取組"
CHAPTER2_EDITED = "第2章 我が国におけるAI研究の取組"
CHAPTER3 = "第3章 AI関連研究開発の世界の動向"
PARAGRAPH = "生成AIの開発、計算資源やデータ資源の整備・活用、安全性研究、人材育成等に係る取組事例を紹介。"


def errors(found, suffix: str, rule: str | None = None) -> list[str]:
    return [d.format() for d in found if d.path.endswith(suffix) and d.severity == "error" and rule in (None, d.rule)]


def copy_outputs(seed_build: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    return out


@pytest.mark.parametrize(("source", "fixture"), [(DEFAULT_SOURCE, "seed_build"), (FIXTURES / "chapters-only.md", "chapters_build")])
def test_fresh_outputs_verify(source, fixture, request, capsys):
    out = request.getfixturevalue(fixture)
    assert verify.verify(source, out) == []
    assert main(["verify", "--source", str(source), "--out", str(out)]) == 0
    assert "原稿と一致しています" in capsys.readouterr().err


# --- tampering: each case edits one edition and names the difference it must produce -------------------------


_MODIFIED_PDF: list[bytes] = []  # the build is reproducible: made once, copied for every test that wants it


def pdf_from_modified_source(out: Path, tmp_path: Path) -> None:
    """Rebuild the PDF from a source whose chapter title and one paragraph were changed."""
    if not _MODIFIED_PDF:
        source = tmp_path / "modified" / DEFAULT_SOURCE.name
        source.parent.mkdir()
        text = DEFAULT_SOURCE.read_text(encoding="utf-8")
        text = text.replace(CHAPTER3, "第3章 AI関連研究開発の海外動向").replace(PARAGRAPH, "取組事例を紹介。")
        source.write_text(text, encoding="utf-8")
        _MODIFIED_PDF.append((build(source, tmp_path / "modified-out", "pdf") / f"{STEM}.pdf").read_bytes())
    (out / f"{STEM}.pdf").write_bytes(_MODIFIED_PDF[0])


def docx_heading_edited(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.docx"
    document = docx.Document(str(path))
    heading = next(p for p in document.paragraphs if p.text == CHAPTER2 and p.style.style_id.startswith("Heading"))
    for run in heading.runs[1:]:
        run.text = ""
    heading.runs[0].text = CHAPTER2_EDITED
    document.save(str(path))


def html_paragraph_removed(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.html"
    root = lxml.html.fromstring(path.read_bytes())
    paragraph = next(p for p in root.iter("p") if p.text_content().strip() == PARAGRAPH)
    paragraph.drop_tree()
    path.write_bytes(lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"))


def html_toc_link_removed(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.html"
    root = lxml.html.fromstring(path.read_bytes())
    nav = vhtml.html_toc_nav(root)
    link = next(a for a in nav.iter("a") if a.text_content().strip() == CHAPTER3)
    link.getparent().drop_tree()
    path.write_bytes(lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"))


def html_toc_link_broken(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.html"
    root = lxml.html.fromstring(path.read_bytes())
    link = next(a for a in vhtml.html_toc_nav(root).iter("a") if a.text_content().strip() == CHAPTER3)
    link.set("href", "#nowhere")
    path.write_bytes(lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"))


def docx_toc_entry_edited(out: Path, tmp_path: Path) -> None:
    """A cached entry of the Word contents no longer matches its heading (as after a hand edit in Word)."""
    path = out / f"{STEM}.docx"
    document = docx.Document(str(path))
    texts = [t for t in document.element.body.iter(qn("w:t")) if t.text == CHAPTER3]
    texts[0].text = "第3章 世界の動向"  # the first is in the contents, before the heading itself
    document.save(str(path))


def output_deleted(out: Path, tmp_path: Path) -> None:
    (out / f"{STEM}.docx").unlink()


def output_truncated(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.pdf"
    path.write_bytes(path.read_bytes()[:2000])


# (tampering, edition suffix, rule, texts every message of that rule must together contain)
TAMPERING = [
    (pdf_from_modified_source, ".pdf", "verify-headings", ["見出しが違います", f"期待「{CHAPTER3}」（レベル2）", "実際「第3章 AI関連研究開発の海外動向」"]),
    (pdf_from_modified_source, ".pdf", "verify-text", ["本文がありません", PARAGRAPH[:20], f"{DEFAULT_SOURCE.name}:"]),
    (pdf_from_modified_source, ".pdf", "verify-toc", [f"目次に項目がありません: 「{CHAPTER3}」", "目次に余分な項目があります", "海外動向"]),
    (docx_heading_edited, ".docx", "verify-headings", [f"見出しが違います: 期待「{CHAPTER2}」（レベル2）、実際「{CHAPTER2_EDITED}」（レベル2）"]),
    (docx_toc_entry_edited, ".docx", "verify-toc", [f"目次の項目が違います: 期待「{CHAPTER3}」（レベル2）、実際「第3章 世界の動向」（レベル2）"]),
    (html_paragraph_removed, ".html", "verify-text", ["本文がありません", PARAGRAPH[:20]]),
    (html_toc_link_removed, ".html", "verify-toc", [f"目次の項目がありません: 期待「{CHAPTER3}」（レベル2）"]),
    (html_toc_link_broken, ".html", "verify-toc", [f"目次のリンク先がありません: 「{CHAPTER3}」（#nowhere）"]),
    (output_deleted, ".docx", "verify-output", ["出力がありません"]),
    (output_truncated, ".pdf", "verify-output", ["読み込めません"]),
]


@pytest.mark.parametrize(("tamper", "suffix", "rule", "wanted"), TAMPERING, ids=lambda v: getattr(v, "__name__", None))
def test_tampered_edition_is_named(tamper, suffix, rule, wanted, seed_build, tmp_path):
    out = copy_outputs(seed_build, tmp_path)
    tamper(out, tmp_path)
    found = verify.verify(DEFAULT_SOURCE, out)
    messages = errors(found, suffix, rule)
    assert messages, [d.format() for d in found]
    assert all(m.startswith(str(out / f"{STEM}{suffix}")) for m in messages)
    joined = "\n".join(messages)
    for text in wanted:
        assert text in joined, joined
    untouched = {".pdf", ".docx", ".html"} - {suffix}
    assert not [d for d in found if any(d.path.endswith(s) for s in untouched)], "only the tampered edition is named"


def test_cli_exits_1_with_compiler_style_lines(seed_build, tmp_path, capsys):
    out = copy_outputs(seed_build, tmp_path)
    docx_heading_edited(out, tmp_path)
    assert main(["verify", "--source", str(DEFAULT_SOURCE), "--out", str(out)]) == 1
    line = next(line for line in capsys.readouterr().out.splitlines() if "見出しが違います" in line)
    assert line.startswith(f"{out / STEM}.docx: error: 見出しが違います: 期待「{CHAPTER2}」（レベル2）")
    assert line.endswith("[verify-headings]")


def test_missing_outputs_are_each_named(tmp_path, capsys):
    assert main(["verify", "--source", str(DEFAULT_SOURCE), "--out", str(tmp_path)]) == 1
    stdout = capsys.readouterr().out
    for suffix in (".pdf", ".docx", ".html"):
        assert f"{tmp_path / STEM}{suffix}: error: 出力がありません" in stdout
    assert "Traceback" not in stdout


def test_pdf_post_build_checks_run_in_verify(seed_build, tmp_path):
    """Settings that name only the serif face: the PDF's gothic headings are reported by the font check."""
    source = tmp_path / DEFAULT_SOURCE.name
    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    source.write_text(text.replace("\n---\n", "\npublish:\n  sans-font: Noto Serif CJK JP\n---\n", 1), encoding="utf-8")
    found = verify.verify(source, seed_build)
    assert {d.rule for d in found} == {"pdf-fonts"}, [d.format() for d in found]
    assert all(d.path.endswith(".pdf") and "Noto-Sans-CJK" in d.message for d in found)


# --- the pieces verify reads with -----------------------------------------------------------------------------


def test_paragraph_across_a_page_break_reads_back_whole(tmp_path):
    """Running headers and page numbers between the two halves of a paragraph are left out of the body text."""
    long = "長い段落の文。" * 400
    source = tmp_path / "long.md"
    source.write_text(f"---\ntitle: 長い文書\ndate: 2025-01-01\n---\n\n# 第1章 長い章\n\n{long}\n", encoding="utf-8")
    out = build(source, tmp_path / "out", "pdf")
    pages = vpdf.page_texts(out / "long.pdf")
    assert sum(1 for page in pages if "長い段落の文" in page) >= 2, "the paragraph must run over a page break"
    assert vtext.normalise(long) in vtext.normalise(vpdf.body_text(out / "long.pdf"))


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def toc_paragraph(style: str, text: str, page: str) -> str:
    """One cached TOC entry as Word writes it: the text, a tab, and a PAGEREF field whose result is the page."""
    return (
        f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r><w:r><w:tab/></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def test_docx_toc_reads_cached_entries_without_page_numbers(tmp_path):
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    begin = parse_xml(
        f'<w:p xmlns:w="{W}"><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r></w:p>'
    )
    entries = [parse_xml(toc_paragraph("TOC1", "第1部 総論", "3")), parse_xml(toc_paragraph("TOC2", "第1章 目的", "4"))]
    end = parse_xml(f'<w:p xmlns:w="{W}"><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    after = parse_xml(f'<w:p xmlns:w="{W}"><w:r><w:t>本文 12</w:t></w:r></w:p>')
    for node in (begin, *entries, end, after):
        body.insert(len(body) - 1, node)
    path = tmp_path / "toc.docx"
    document.save(str(path))
    toc = vdocx.docx_toc(path)
    assert toc is not None and toc.depth == 2
    assert toc.entries == (ReadHeading(1, "第1部 総論"), ReadHeading(2, "第1章 目的"))


def test_docx_without_toc_field_reads_none(tmp_path):
    path = tmp_path / "plain.docx"
    docx.Document().save(str(path))
    assert vdocx.docx_toc(path) is None


DIFFS = [
    # (expected, read, messages)
    ([(1, "A"), (2, "B")], [(1, "A"), (2, "B")], []),
    ([(1, "A"), (2, "B")], [(1, "A"), (2, "C")], ["見出しが違います: 期待「B」（レベル2）、実際「C」（レベル2）"]),
    ([(1, "A"), (2, "B")], [(1, "A"), (3, "B")], ["見出しが違います: 期待「B」（レベル2）、実際「B」（レベル3）"]),
    ([(1, "A"), (2, "B")], [(1, "A")], ["見出しがありません: 期待「B」（レベル2）"]),
    ([(1, "A")], [(1, "A"), (2, "X")], ["余分な見出しがあります: 「X」（レベル2）"]),
    ([(1, "A"), (2, "B")], [(2, "B"), (1, "A")], ["余分な見出しがあります: 「B」（レベル2）", "見出しがありません: 期待「B」（レベル2）"]),
    ([(1, "第1部 総論")], [(1, "第１部　総論")], []),  # NFKC and whitespace do not count
]


ORDERS = [
    # (body text, expected texts, the acceptable longest in-order chains)
    ("ABCDE", ["A", "B", "C"], [{0, 1, 2}]),
    ("ACB", ["A", "B", "C"], [{0, 1}, {0, 2}]),  # one moved text: one reported, not all after it
    ("AXC", ["A", "B", "C"], [{0, 2}]),
    ("A B2 C B", ["A", "B", "C"], [{0, 1, 2}]),  # a later repeat does not pull B out of place
    ("AAB", ["A", "A", "B"], [{0, 1, 2}]),
    ("AB", ["A", "A", "B"], [{0, 2}, {1, 2}]),  # a repeated paragraph must appear as often as the source has it
]


@pytest.mark.parametrize(("body", "needles", "chains"), ORDERS)
def test_texts_in_order(body, needles, chains):
    assert in_order(body, needles) in chains


@pytest.mark.parametrize(("want", "got", "messages"), DIFFS)
def test_heading_diff(want, got, messages):
    report = Report(Path("out/x.pdf"), "x.md", None)
    compare_lists(report, "verify-headings", "見出し", tuple(ReadHeading(*w) for w in want), [ReadHeading(*g) for g in got])
    assert sorted(d.message for d in report.found) == sorted(messages)


# --- where the reading happens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tamper", [docx_heading_edited, output_truncated, pdf_from_modified_source], ids=lambda f: f.__name__)
def test_forked_and_sequential_reading_find_the_same(tamper, seed_build, tmp_path, monkeypatch):
    """The PDF read here and the rest in a forked child, or all in one process: the same diagnostics, in order."""
    out = copy_outputs(seed_build, tmp_path)
    tamper(out, tmp_path)
    side_by_side = verify.verify(DEFAULT_SOURCE, out)
    monkeypatch.setattr(verify.forked, "available", lambda: False)
    assert verify.verify(DEFAULT_SOURCE, out) == side_by_side
    assert side_by_side


def test_the_other_editions_are_read_beside_the_pdf(seed_build, tmp_path, monkeypatch):
    """Reading the PDF's pages takes longest: the Word and web editions are read in another process meanwhile."""
    import os

    from jpub import forked

    if not forked.available():
        pytest.skip("this platform does not fork: verify reads the editions one after another")
    seen = tmp_path / "pids"
    original = EDITIONS["docx"].reader()

    def headings(path):
        with open(seen, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\n")
        return original.headings(path)

    reader = dataclasses.replace(original, headings=headings)
    monkeypatch.setitem(EDITIONS, "docx", dataclasses.replace(EDITIONS["docx"], reader=lambda: reader))
    assert verify.verify(DEFAULT_SOURCE, seed_build) == []
    assert seen.read_text(encoding="utf-8").split() != [str(os.getpid())]
