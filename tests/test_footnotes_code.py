"""Code and notes in every edition: code in the configured monospace face, notes at the foot of the print page,
and verify agreeing with a fresh build and naming a note whose text was changed."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest

from jpub import verify
from jpub.editions.pdf.typography import refine
from jpub.verify import docx as vdocx
from jpub.verify import expectations, pdf_checks
from jpub.verify import html as vhtml
from jpub.verify import pdf as vpdf

from .conftest import build, need_system

pytestmark = pytest.mark.slow

HEADING = "第1章 設定の方法"
HEADING_NOTE = "見出しに付けた注の本文である。"
BEFORE_CALL = "この計画は市民の意見を踏まえて定めた"
AFTER_CALL = "。以後の改定も同じ手順による。"
PARAGRAPH_NOTE = "令和6年度の意見募集による。"
CHANGED_NOTE = "令和7年度の意見募集による。"
LONG_NOTE = "別冊の手引に書き方の例がある。手引は毎年度の改定に合わせて見直し、各課の担当者に配布している。問合せは情報政策課まで。"
NOTES = (HEADING_NOTE, LONG_NOTE, PARAGRAPH_NOTE)

SOURCE = f"""---
title: 注と符号の確認
author: 架空市役所
date: 2025-03-31
lang: ja
---

# {HEADING}[^h]

設定ファイルは `config.yaml` に書く。値を変えたら `make` を実行する[^l]。

```
publish:
  mono-font: Noto Sans Mono CJK JP
```

# 第2章 運用

{BEFORE_CALL}[^p]{AFTER_CALL}

[^h]: {HEADING_NOTE}
[^p]: {PARAGRAPH_NOTE}
[^l]: {LONG_NOTE}
"""
STEM = "notes"
CONFIGURED = ("Noto Serif CJK JP", "Noto Sans CJK JP", "Noto Sans Mono CJK JP")


def write_source(folder: Path, text: str = SOURCE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{STEM}.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def notes_build(tmp_path_factory) -> tuple[Path, Path]:
    """(source, output folder) with all three editions."""
    folder = tmp_path_factory.mktemp("notes")
    source = write_source(folder / "source")
    return source, build(source, folder / "out")


def page_texts(pdf: Path) -> list[str]:
    need_system("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:-1]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_fresh_build_verifies(notes_build):
    source, out = notes_build
    assert verify.verify(source, out) == []


@pytest.mark.parametrize(("call", "note"), [(HEADING, HEADING_NOTE), (BEFORE_CALL, PARAGRAPH_NOTE)])
def test_pdf_note_at_the_foot_of_the_page_that_calls_it(notes_build, call, note):
    pages = page_texts(notes_build[1] / f"{STEM}.pdf")
    call = squeezed(call)
    calling = [n for n, text in enumerate(pages) if call in squeezed(text)]  # the 目次, then the page itself
    holding = [n for n, text in enumerate(pages) if note in squeezed(text)]
    assert holding == calling[-1:], (calling, holding)
    lines = [squeezed(line) for line in pages[holding[0]].splitlines() if line.strip()]
    at = next(i for i, line in enumerate(lines) if note in line)
    assert at > next(i for i, line in enumerate(lines) if call in line), "the note comes after the text that calls it"
    rest = "".join(lines[at + 1 :])
    for other in NOTES:
        rest = rest.replace(other, "")
    assert re.fullmatch(r"\d*", rest), f"only notes and the folio may follow the note: {rest}"


def test_pdf_notes_are_numbered_through_the_document(notes_build):
    pages = page_texts(notes_build[1] / f"{STEM}.pdf")
    text = "\n".join(squeezed(line) for page in pages for line in page.splitlines())
    assert f"1{HEADING_NOTE}" in text and f"3{PARAGRAPH_NOTE}" in text
    assert f"{BEFORE_CALL}3{AFTER_CALL}" in text, "the call's number sits where the note was called"


def test_pdf_heading_with_a_note_keeps_its_text_in_bookmark_and_running_head(notes_build):
    pdf = notes_build[1] / f"{STEM}.pdf"
    assert [(h.level, h.text) for h in vpdf.pdf_outline(pdf)] == [(1, HEADING), (1, "第2章 運用")]
    page = next(text for text in page_texts(pdf) if HEADING_NOTE in squeezed(text))
    running_head = next(line for line in page.splitlines() if line.strip())
    assert squeezed(running_head) == squeezed(HEADING)


def test_pdf_note_number_hangs_at_the_margin(notes_build):
    """The number at the measure's left edge, a wrapped note's lines aligned after it."""
    need_system("pdftotext")
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(notes_build[1] / f"{STEM}.pdf"), "-"], capture_output=True, check=True).stdout.decode()
    words = [(float(x), text) for x, text in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', layout)]
    margin = min(x for x, _ in words)
    first = next(i for i, (_, text) in enumerate(words) if text.startswith(LONG_NOTE[:6]))
    number, start, wrapped = words[first - 1], words[first], words[first + 1]
    assert number == (margin, "2"), (number, margin)
    assert start[0] > margin and wrapped[0] == start[0], (start, wrapped)
    assert squeezed(start[1] + wrapped[1]) == LONG_NOTE


def test_pdf_uses_only_the_configured_faces_and_sets_code_in_the_monospace_one(notes_build):
    used = pdf_checks.read_fonts(notes_build[1] / f"{STEM}.pdf")
    assert "Noto-Sans-Mono-CJK-JP" in used, used
    assert pdf_checks.fonts("notes.pdf", used, CONFIGURED) == []
    assert not [name for name in used if "DejaVu" in name]


def test_mono_font_setting_is_the_face_code_is_set_in(notes_build, tmp_path):
    """Another monospace face in publish: is the one the PDF embeds, and verify accepts it, not the default."""
    source, out = notes_build
    text = SOURCE.replace("lang: ja\n", "lang: ja\npublish:\n  mono-font: Noto Sans Mono CJK SC\n", 1)
    other = write_source(tmp_path / "source", text)
    build(other, tmp_path / "out", "pdf")
    used = pdf_checks.read_fonts(tmp_path / "out" / f"{STEM}.pdf")
    assert "Noto-Sans-Mono-CJK-SC" in used and "Noto-Sans-Mono-CJK-JP" not in used, used
    assert verify.verify(other, tmp_path / "out", ("pdf",)) == []
    found = verify.verify(other, out, ("pdf",))  # the first build set code in the JP face, which is not configured now
    assert [d.rule for d in found] == ["pdf-fonts"] and "Noto-Sans-Mono-CJK-JP" in found[0].message, [d.format() for d in found]


def test_docx_and_html_carry_both_notes(notes_build):
    out = notes_build[1]
    for read in (vdocx.docx_notes_text(out / f"{STEM}.docx"), vhtml.html_notes_text(out / f"{STEM}.html")):
        assert [squeezed(line) for line in read.splitlines() if line.strip()] == [HEADING_NOTE, LONG_NOTE, PARAGRAPH_NOTE]
    assert "↩" not in vhtml.html_notes_text(out / f"{STEM}.html")


# --- tampering: a changed note is named in its own edition ----------------------------------------------------------


def html_note_changed(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.html"
    root = lxml.html.fromstring(path.read_bytes())
    paragraph = next(p for p in root.xpath("//section[@id='footnotes']//p") if PARAGRAPH_NOTE in p.text_content())
    paragraph.text = CHANGED_NOTE
    path.write_bytes(lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"))


def html_text_after_call_changed(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.html"
    root = lxml.html.fromstring(path.read_bytes())
    call = next(a for a in root.iter("a") if "footnote-ref" in (a.get("class") or "") and BEFORE_CALL in a.getparent().text_content())
    call.tail = "。以後の改定は別に定める。"
    path.write_bytes(lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"))


def docx_note_changed(out: Path, tmp_path: Path) -> None:
    path = out / f"{STEM}.docx"
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    footnotes = parts["word/footnotes.xml"].decode("utf-8")
    assert PARAGRAPH_NOTE in footnotes
    parts["word/footnotes.xml"] = footnotes.replace(PARAGRAPH_NOTE, CHANGED_NOTE).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def pdf_from_source_with_changed_note(out: Path, tmp_path: Path) -> None:
    build(write_source(tmp_path / "changed", SOURCE.replace(PARAGRAPH_NOTE, CHANGED_NOTE)), out, "pdf")


# (tampering, edition suffix, what the message must hold)
TAMPERING = [
    (html_note_changed, ".html", f"注の本文がありません: 「{PARAGRAPH_NOTE}」"),
    (html_text_after_call_changed, ".html", f"本文がありません: 「{AFTER_CALL}」"),
    (docx_note_changed, ".docx", f"注の本文がありません: 「{PARAGRAPH_NOTE}」"),
    (pdf_from_source_with_changed_note, ".pdf", f"注の本文がありません: 「{PARAGRAPH_NOTE}」"),
]


@pytest.mark.parametrize(("tamper", "suffix", "wanted"), TAMPERING, ids=lambda v: getattr(v, "__name__", None))
def test_changed_note_is_named(tamper, suffix, wanted, notes_build, tmp_path):
    source, built = notes_build
    out = tmp_path / "out"
    shutil.copytree(built, out)
    tamper(out, tmp_path)
    found = [d for d in verify.verify(source, out) if d.severity == "error"]
    assert [d.rule for d in found] == ["verify-text"], [d.format() for d in found]
    assert found[0].path == str(out / f"{STEM}{suffix}")
    assert wanted in found[0].message and f"{source.name}:" in found[0].message, found[0].message


# --- the pieces -------------------------------------------------------------------------------------------------


def note(text: str) -> dict:
    return {"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": text}]}]}


def test_a_text_that_calls_notes_is_expected_piece_by_piece():
    strong = {"t": "Strong", "c": [{"t": "Str", "c": "中"}, note("注二")]}
    blocks = [{"t": "Para", "c": [{"t": "Str", "c": "前"}, note("注一"), strong, {"t": "Str", "c": "後"}]}]
    assert expectations.block_texts(blocks) == ["前", "中", "後"]


def test_a_footnote_is_composed_apart_from_the_text_that_calls_it():
    """The note's closing 。 and the 。 after its call are not a pair of adjacent marks: neither is halved."""
    page = refine('<!DOCTYPE html><html><body><main><p>定めた<span class="footnote">よる。</span>。以後、AIを使う。</p></main></body></html>')
    root = lxml.html.fromstring(page)
    assert root.xpath("//span[@class='halt']") == []
    assert [span.text for span in root.xpath("//span[contains(@class, 'wa-')]")] == ["AI"], "the body's own flow is still composed"
