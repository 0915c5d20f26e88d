"""The editions: one table of writers sharing one signature, ``render(publication) -> bytes``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from jpub.publication import Publication


@dataclass(frozen=True)
class Edition:
    name: str
    suffix: str
    render: Callable[[Publication], bytes]


def _writer(module: str) -> Callable[[Publication], bytes]:
    """The module's ``render``, imported on first use (WeasyPrint alone takes half a second to import)."""

    def render(pub: Publication) -> bytes:
        return importlib.import_module(f"{__name__}.{module}").render(pub)

    render.__qualname__ = f"{module}.render"
    return render


EDITIONS: dict[str, Edition] = {
    "pdf": Edition("pdf", ".pdf", _writer("pdf.writer")),
    "docx": Edition("docx", ".docx", _writer("docx.writer")),
    "html": Edition("html", ".html", _writer("html.writer")),
}
