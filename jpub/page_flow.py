"""Where the paged editions (print and Word) start a new page: ``publish: page-flow`` and explicit breaks.

A 概要 is dense: every 部 starts a new page and the 章 run on after the previous one (``run-on``, the
default). A full 白書 starts every 章 on a new page too (``new-page``), or every 部 and 章 on a right-hand
page (``recto``). Headings above the level of 章 (部, and the unnumbered headings at that level) always
start a page. An explicit break is a ``::: pagebreak`` div or pandoc's ``\\newpage`` (a raw TeX block):
both mean "the next block starts a new page", and a break that would leave an empty page is not made.
"""

from __future__ import annotations

from typing import Any

RUN_ON, NEW_PAGE, RECTO = "run-on", "new-page", "recto"
PAGE_FLOWS = (RUN_ON, NEW_PAGE, RECTO)
BREAK_CLASS = "pagebreak"
_RAW_BREAKS = ("\\newpage", "\\pagebreak", "\\clearpage")
_RAW_FORMATS = ("tex", "latex")


def starts_page(level: int, chapter: int, flow: str) -> bool:
    """Whether a heading of ``level`` starts a new page; ``chapter`` is the level of 章 in the document."""
    return level < chapter or (level == chapter and flow != RUN_ON)


def is_page_break(block: dict[str, Any]) -> bool:
    """A ``::: pagebreak`` div or a raw TeX ``\\newpage`` (also ``\\pagebreak``, ``\\clearpage``) block."""
    if block["t"] == "Div":
        return BREAK_CLASS in block["c"][0][1]
    if block["t"] == "RawBlock":
        fmt, text = block["c"]
        return fmt in _RAW_FORMATS and text.strip() in _RAW_BREAKS
    return False
