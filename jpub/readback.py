"""Reading built editions back: headings and text of the PDF, DOCX and HTML (for verify and tests)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import docx
import lxml.html
from pypdf import PdfReader


@dataclass(frozen=True)
class ReadHeading:
    level: int
    text: str


def normalise(text: str) -> str:
    """For comparing text across editions: NFKC, no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_outline(path: Path) -> list[ReadHeading]:
    reader = PdfReader(str(path))
    found: list[ReadHeading] = []

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append(ReadHeading(level, item.title))

    walk(reader.outline, 1)
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


_HEADING_STYLE = re.compile(r"^Heading(\d)$")


def docx_headings(path: Path) -> list[ReadHeading]:
    found = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style_id = paragraph.style.style_id if paragraph.style is not None else ""
        match = _HEADING_STYLE.match(style_id or "")
        if match:
            found.append(ReadHeading(int(match.group(1)), paragraph.text))
    return found


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def html_tree(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def html_headings(path: Path, scope: str = "//main") -> list[ReadHeading]:
    root = html_tree(path)
    found = root.xpath(f"{scope}//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")
    return [ReadHeading(int(h.tag[1]), h.text_content().strip()) for h in found]


def html_text(path: Path) -> str:
    return html_tree(path).text_content()
