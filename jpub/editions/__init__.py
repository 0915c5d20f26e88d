"""The editions: one table of writers sharing one signature, ``render(publication) -> bytes``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..publication import Publication
from . import docx, html, pdf


@dataclass(frozen=True)
class Edition:
    name: str
    suffix: str
    render: Callable[[Publication], bytes]


EDITIONS: dict[str, Edition] = {
    "pdf": Edition("pdf", ".pdf", pdf.render),
    "docx": Edition("docx", ".docx", docx.render),
    "html": Edition("html", ".html", html.render),
}
