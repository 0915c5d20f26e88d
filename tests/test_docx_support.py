"""Helpers and fixtures shared by the Word-edition tests (no tests here): build, open parts, resolve styles."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from jpub import libreoffice, pipeline
from jpub.editions.docx import writer as docx_edition

from .conftest import DEFAULT_SOURCE, FIXTURES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
CHAPTERS = FIXTURES / "chapters-only.md"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def attr(node, name: str) -> str | None:
    return None if node is None else node.get(w(name))


def build_docx(source: Path, out_dir: Path) -> Path:
    pub = pipeline.prepare(source, ["docx"])
    path = out_dir / f"{source.stem}.docx"
    path.write_bytes(docx_edition.render(pub))
    return path


def variant(tmp_path: Path, source: Path, publish: str) -> Path:
    """A copy of ``source`` with extra ``publish:`` settings in its front matter."""
    text = source.read_text(encoding="utf-8")
    assert "\npublish:" not in text
    copy = tmp_path / source.name
    copy.write_text(text.replace("\nlang: ja\n", f"\nlang: ja\npublish:\n{publish}\n", 1), encoding="utf-8")
    return copy


class Package:
    """A built DOCX opened part by part."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.names = z.namelist()
            self.raw = {n: z.read(n) for n in self.names}
        self._xml: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element:
        if name not in self._xml:
            self._xml[name] = etree.fromstring(self.raw[name])
        return self._xml[name]

    @property
    def document(self) -> etree._Element:
        return self.xml("word/document.xml")

    @property
    def styles(self) -> etree._Element:
        return self.xml("word/styles.xml")

    def style(self, style_id: str) -> etree._Element:
        found = self.styles.xpath(f"w:style[@w:styleId='{style_id}']", namespaces=NS)
        assert found, f"style {style_id} is missing"
        return found[0]

    def style_value(self, style_id: str, path: str, name: str) -> str | None:
        """A property of a style, following w:basedOn, then docDefaults (``path`` is under the style)."""
        node = self.style(style_id)
        while node is not None:
            found = node.xpath(path, namespaces=NS)
            if found and found[0].get(w(name)) is not None:
                return found[0].get(w(name))
            based = node.find(w("basedOn"))
            node = self.style(attr(based, "val")) if based is not None else None
        holder = "w:rPrDefault" if path.startswith("w:rPr") else "w:pPrDefault"
        defaults = self.styles.xpath(f"w:docDefaults/{holder}/{path}", namespaces=NS)
        return defaults[0].get(w(name)) if defaults else None

    def style_flag(self, style_id: str, path: str) -> bool | None:
        """An on/off property of a style (w:b, w:keepNext, w:pageBreakBefore…), following w:basedOn: an element
        without w:val is on, as the schema says; None when no style in the chain sets it."""
        node = self.style(style_id)
        while node is not None:
            found = node.xpath(path, namespaces=NS)
            if found:
                return found[0].get(w("val"), "1") in ("1", "true", "on")
            based = node.find(w("basedOn"))
            node = self.style(attr(based, "val")) if based is not None else None
        return None

    def paragraphs(self, part: str = "word/document.xml") -> list[etree._Element]:
        return self.xml(part).xpath("//w:p", namespaces=NS)


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def section_ends(pkg: Package) -> list[etree._Element]:
    """Every w:sectPr in document order (each ends a section; the body's own is the last)."""
    return pkg.document.xpath("//w:sectPr", namespaces=NS)


def part_of(pkg: Package, sect: etree._Element, kind: str, which: str = "default") -> etree._Element | None:
    """The header or footer part a section refers to (None when it refers to none of that kind)."""
    refs = [r for r in sect.findall(w(f"{kind}Reference")) if attr(r, "type") == which]
    if not refs:
        return None
    rid = refs[0].get(f"{{{R}}}id")
    target = next(r.get("Target") for r in pkg.xml("word/_rels/document.xml.rels") if r.get("Id") == rid)
    return pkg.xml(f"word/{target}")


def instructions(node) -> str:
    return "".join(t.text or "" for t in node.iter(w("instrText"))).strip()


def body_blocks(pkg: Package) -> list[etree._Element]:
    return [b for b in pkg.document.find(w("body")) if b.tag in (w("p"), w("tbl"))]


def starts_page(block: etree._Element) -> bool:
    """Whether a block begins a page: "page break before" on it, or a section break right before it."""
    own = block.find(f"{w('pPr')}/{w('pageBreakBefore')}")
    if own is not None and attr(own, "val") in (None, "1", "true"):
        return True
    previous = block.getprevious()
    while previous is not None and previous.tag not in (w("p"), w("tbl")):
        previous = previous.getprevious()
    return previous is not None and previous.find(f"{w('pPr')}/{w('sectPr')}") is not None


def style_of(paragraph) -> str:
    found = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return attr(found, "val") or "Normal"


def text_of(node) -> str:
    return "".join(t.text or "" for t in node.iter(w("t")))


@pytest.fixture(scope="session")
def seed_docx(seed_build) -> Package:
    return Package(seed_build / f"{DEFAULT_SOURCE.stem}.docx")


@pytest.fixture(scope="session")
def chapters_docx(chapters_build) -> Package:
    return Package(chapters_build / f"{CHAPTERS.stem}.docx")


def render_pdf(docx: Path) -> Path:
    """LibreOffice's layout of a built DOCX, as a PDF beside it whose named destinations are its bookmarks."""
    pdf = docx.with_suffix(".pdf")
    pdf.write_bytes(libreoffice.to_pdf(docx.read_bytes()))
    return pdf


def bookmark_pages(pdf: Path) -> dict[str, int]:
    """Each bookmark (a heading's id) → the number of the page it is on (1-based)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    return {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def region_text(pdf: Path, page: int, top_pt: float, height_pt: float) -> str:
    """The text of a band of a page (pdftotext's crop, in points from the top), spaces removed."""
    import subprocess

    command = ["pdftotext", "-f", str(page), "-l", str(page), "-x", "0", "-y", str(int(top_pt)), "-W", "600", "-H", str(int(height_pt))]
    out = subprocess.run([*command, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(out.split())
