"""pydyf's list of page references, built once per page count instead of once per use.

pydyf 0.13 rebuilds ``PDF.page_references`` — a tuple of every page's reference — each time it is read, and
WeasyPrint reads it once for every structure element of a tagged PDF (and every link). That is pages ×
elements string formatting, growing with the square of the length: at 30 times the seed document (251
pages) writing the PDF took 5.6 s with it and 4.3 s with the cache. The cache is keyed on the page list's length, which only
``add_page`` changes (it appends), so a read after a page is added sees the new page.
"""

from __future__ import annotations

import pydyf

_ORIGINAL = pydyf.PDF.page_references


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_jpub_page_references")
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        cached = (kids, len(kids), _ORIGINAL.fget(pdf))
        pdf.__dict__["_jpub_page_references"] = cached
    return cached[2]


def install() -> None:
    """Replace the property (idempotent; left alone if a pydyf release no longer has it as a property)."""
    if isinstance(_ORIGINAL, property):
        pydyf.PDF.page_references = property(_page_references, doc=_ORIGINAL.__doc__)
