"""pydyf's list of page references, built once per page count instead of once per use.

pydyf 0.13 rebuilds ``PDF.page_references`` — a tuple of every page's reference — each time it is read, and
WeasyPrint reads it once for every structure element of a tagged PDF (and every link). That is pages ×
elements string formatting, growing with the square of the length: at 30 times the seed document (251
pages) writing the PDF took 5.6 s with it and 4.3 s with the cache. The cache is keyed on the page list's length, which only
``add_page`` changes (it appends), so a read after a page is added sees the new page.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
import textwrap

import pydyf

_ORIGINAL = pydyf.PDF.page_references
# The source of the property this cache stands in for, as pydyf 0.13.0 writes it (pyproject.toml pins 0.13).
# A release that changes it may also change what the property returns: then pydyf is left as it is.
EXPECTED_SOURCE = "3175bae9885c04002ce255130a135c27ba05233eab15fa2eb9b6caaea0e45865"
CHANGED = "pydyf {version} の PDF.page_references が jpub の想定と違うため、その高速化を使わずに PDF を書き出します（長い文書では遅くなります）"


def fingerprint(prop: object) -> str | None:
    """sha256 of the property's getter source (indentation removed), or None when there is none to read."""
    getter = getattr(prop, "fget", None)
    if getter is None:
        return None
    try:
        source = inspect.getsource(getter)
    except (OSError, TypeError):
        return None
    return hashlib.sha256(textwrap.dedent(source).encode("utf-8")).hexdigest()


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_jpub_page_references")
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        cached = (kids, len(kids), _ORIGINAL.fget(pdf))
        pdf.__dict__["_jpub_page_references"] = cached
    references: tuple[bytes, ...] = cached[2]
    return references


def install() -> bool:
    """Replace the property (idempotent) when it is the one expected; otherwise say so and leave it. Whether
    the cache is in place."""
    current = pydyf.PDF.page_references
    if isinstance(current, property) and current.fget is _page_references:
        return True
    if not isinstance(current, property) or fingerprint(current) != EXPECTED_SOURCE:
        print(f"jpub: warning: {CHANGED.format(version=getattr(pydyf, '__version__', '?'))}", file=sys.stderr)
        return False
    pydyf.PDF.page_references = property(_page_references, doc=current.__doc__)
    return True
