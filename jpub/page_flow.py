"""Where the paged editions (print and Word) start a new page: ``publish: page-flow`` and explicit breaks.

``page-flow`` says, for 部 (``part``: the headings above the level of 章, unnumbered ones at that level
too) and for 章 (``chapter``), whether they start a new page (``new-page``), the next right-hand page
(``recto``) or run on after what precedes (``run-on``). A 概要 is dense: by default every 部 starts a new
page and the 章 run on. One word stands for a common choice: ``run-on`` (the default), ``new-page`` (every
部 and 章 on a new page, as a full 白書) or ``recto`` (every 部 and 章 on a right-hand page). An explicit
break is a ``::: pagebreak`` div or pandoc's ``\\newpage`` (a raw TeX block): both mean "the next block
starts a new page", and a break that would leave an empty page is not made.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from jpub.pandoc_ast import Block

RUN_ON, NEW_PAGE, RECTO = "run-on", "new-page", "recto"
PAGE_FLOWS = (RUN_ON, NEW_PAGE, RECTO)
PAGE_FLOW_UNITS = ("part", "chapter")
DEFAULT_PAGE_FLOW: Mapping[str, str] = MappingProxyType({"part": NEW_PAGE, "chapter": RUN_ON})
# the one-word forms
SHORTHANDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        RUN_ON: DEFAULT_PAGE_FLOW,
        NEW_PAGE: MappingProxyType({"part": NEW_PAGE, "chapter": NEW_PAGE}),
        RECTO: MappingProxyType({"part": RECTO, "chapter": RECTO}),
    }
)
BREAK_CLASS = "pagebreak"
_RAW_BREAKS = ("\\newpage", "\\pagebreak", "\\clearpage")
_RAW_FORMATS = ("tex", "latex")


def unit_flow(level: int, chapter: int, flow: Mapping[str, str]) -> str:
    """How a heading of ``level`` begins (``chapter`` is the level of 章 in the document); below 章, run-on."""
    if level < chapter:
        return flow["part"]
    return flow["chapter"] if level == chapter else RUN_ON


def starts_page(level: int, chapter: int, flow: Mapping[str, str]) -> bool:
    """Whether a heading of ``level`` starts a new page (a new one or a right-hand one)."""
    return unit_flow(level, chapter, flow) != RUN_ON


def any_recto(flow: Mapping[str, str]) -> bool:
    return RECTO in flow.values()


def is_page_break(block: Block) -> bool:
    """A ``::: pagebreak`` div or a raw TeX ``\\newpage`` (also ``\\pagebreak``, ``\\clearpage``) block."""
    if block["t"] == "Div":
        return BREAK_CLASS in block["c"][0][1]
    if block["t"] == "RawBlock":
        fmt, text = block["c"]
        return fmt in _RAW_FORMATS and text.strip() in _RAW_BREAKS
    return False
