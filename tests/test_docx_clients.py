"""The Word edition in real clients: LibreOffice renders it to PDF, pandoc reads it back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from jpub import pandoc, pipeline
from jpub.editions.fragments import chapter_level
from jpub.pandoc_ast import headings as ast_headings
from jpub.pandoc_ast import plain_text, walk_blocks
from jpub.verify import pdf as vpdf
from jpub.verify import text as vtext

from .conftest import DEFAULT_SOURCE, FIXTURES, need_client, need_system
from .test_docx_support import CHAPTERS, build_docx

pytestmark = pytest.mark.slow
SOURCES = {"seed": DEFAULT_SOURCE, "chapters": CHAPTERS, "long": FIXTURES / "long-titles.md"}
EXPORT = 'pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"}}'
JAPANESE_FONT = re.compile(r"CJK|JP|Mincho|Gothic|IPA|Yu|Hiragino|Meiryo|Takao|VL", re.IGNORECASE)


def expected(source: Path):
    document = pipeline.prepare(source, ["docx"]).documents["docx"]
    texts = [plain_text(b["c"]) for b in walk_blocks(document.ast()["blocks"]) if b["t"] in ("Para", "Plain")]
    return [vtext.ReadHeading(h.level, h.text) for h in document.headings], texts


@pytest.fixture(scope="module", params=sorted(SOURCES))
def rendered(request, tmp_path_factory) -> tuple[str, Path, Path]:
    """(which, docx, the PDF LibreOffice made of it)."""
    need_client("LibreOffice", shutil.which("soffice") is not None, "the Word edition is rendered with soffice --headless")
    out = tmp_path_factory.mktemp(f"lo-{request.param}")
    docx = build_docx(SOURCES[request.param], out)
    profile = (tmp_path_factory.mktemp("lo-profile")).as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", EXPORT, "--outdir", str(out), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / f"{docx.stem}.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return request.param, docx, pdf


def test_libreoffice_sets_japanese_in_a_japanese_font(rendered):
    need_system("pdffonts")
    _which, _docx, pdf = rendered
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    names = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    assert any(JAPANESE_FONT.search(name) for name in names), names
    assert "科学技術" in vpdf.pdf_text(pdf) or "防災" in vpdf.pdf_text(pdf)


def as_broken(docx: Path) -> list[vtext.ReadHeading]:
    """The headings as the DOCX holds them: a long one broken between phrases has a line break ("\n")."""
    found = []
    for paragraph in Document(str(docx)).paragraphs:
        style = paragraph.style.style_id if paragraph.style is not None else ""
        if style.startswith("Heading") and style[-1].isdigit():
            found.append(vtext.ReadHeading(int(style[-1]), paragraph.text))
    return found


def test_headings_are_the_sources_with_breaks_between_phrases_only(rendered):
    which, docx, _pdf = rendered
    broken = as_broken(docx)
    assert [vtext.ReadHeading(h.level, h.text.replace("\n", "")) for h in broken] == expected(SOURCES[which])[0]
    if which != "chapters":
        assert any("\n" in h.text for h in broken)  # the seed and the long titles have headings too long for a line


def test_libreoffice_exports_every_heading_as_a_bookmark(rendered):
    which, docx, pdf = rendered
    # LibreOffice's outline shows a heading's line break as a space
    assert vpdf.pdf_outline(pdf) == [vtext.ReadHeading(h.level, h.text.replace("\n", " ")) for h in as_broken(docx)]


def test_libreoffice_renders_every_paragraph(rendered):
    which, _docx, pdf = rendered
    _headings, texts = expected(SOURCES[which])
    body = vtext.normalise(vpdf.pdf_text(pdf))
    assert [t for t in texts if vtext.normalise(t) not in body] == []


def test_libreoffice_shows_the_cover_and_the_toc_first(rendered):
    which, _docx, pdf = rendered
    headings, _texts = expected(SOURCES[which])
    pages = [vtext.normalise(p.extract_text() or "") for p in PdfReader(str(pdf)).pages]
    title = pipeline.prepare(SOURCES[which], ["docx"]).meta.title
    assert vtext.normalise(title) in pages[0]
    assert "目次" in pages[1] and vtext.normalise(headings[0].text) in pages[1]


def test_toc_entries_link_to_their_headings_pages(rendered):
    which, _docx, pdf = rendered
    reader = PdfReader(str(pdf))
    depth = chapter_level(pipeline.prepare(SOURCES[which], ["docx"]).documents["docx"].headings)
    targets: list[int] = []

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif level <= depth:
                targets.append(reader.get_destination_page_number(item))

    walk(reader.outline, 1)
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    links = sorted((a for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a), key=lambda a: -float(a["/Rect"][3]))
    # top to bottom; an entry on two lines has a link on each, to the same place
    places = [(reader.get_page_number(a["/Dest"][0].get_object()), tuple(float(x) for x in a["/Dest"][2:] if x is not None)) for a in links]
    pages = [page for i, (page, spot) in enumerate(places) if i == 0 or places[i - 1] != (page, spot)]
    assert pages == targets and targets


@pytest.mark.parametrize("which", sorted(SOURCES))
def test_pandoc_reads_the_same_headings_back(which, tmp_path):
    docx = build_docx(SOURCES[which], tmp_path)
    tree = json.loads(pandoc.run(["-f", "docx", "-t", "json", str(docx)], b""))
    found = [vtext.ReadHeading(h.level, h.text) for h in ast_headings(tree["blocks"])]
    assert found == as_broken(docx)  # pandoc reads the break as a LineBreak
