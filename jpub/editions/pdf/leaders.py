"""目次 leaders with the same gap at both ends: after the title and before the page number.

WeasyPrint 70 sets ``leader("…")`` by stepping back from the line's end one whole leader at a time, so the
leaders end at one column but leave up to a whole 3点リーダー (1 em) of blank after the title, a different
amount on every line — and pdftotext reads a gap that wide as a column break, which scrambles the 目次's
text (titles first, then the leaders, then the numbers). Once WeasyPrint has placed them, this spreads that
blank evenly between the leaders: each line's leaders then run from the title (plus the padding the
stylesheet gives) to the number column, a few hundredths of an em apart.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline, leader

from jpub.editions.pdf.pinned import Pin, safe_to_patch

_originals: dict[str, Any] = {}

PINS = (
    # wrapped (inline.py's reference); the leaders it places, right-aligned, are what this spreads
    Pin(
        "layout.leader.handle_leader",
        "e4bf5941eb946d0b2029b21c3613f384d6157edb01d98add8d3bfa120ac3e571",
        lambda: _originals.get("handle_leader", inline.handle_leader),
    ),
)


def install() -> bool:
    """Patch WeasyPrint (idempotent); False, with a RuntimeWarning and nothing patched, on another version."""
    if _originals:
        return True
    if not safe_to_patch("目次のリーダーの均等割り", PINS):
        return False
    _originals["handle_leader"] = inline.handle_leader
    inline.handle_leader = _handle_leader
    return True


def uninstall() -> None:
    if _originals:
        inline.handle_leader = _originals.pop("handle_leader")


def _handle_leader(context: Any, line: Any, containing_block: Any) -> None:
    _originals["handle_leader"](context, line, containing_block)
    if line.style["direction"] != "ltr":
        return
    index, box = leader.leader_index(line)
    if index is None or len(box.children) < 2:
        return
    glyphs = sorted(box.children, key=lambda child: child.position_x)
    blank = glyphs[0].position_x - box.position_x
    if blank <= 0:
        return
    step = glyphs[0].width + blank / (len(glyphs) - 1)
    for number, glyph in enumerate(glyphs):
        glyph.position_x = box.position_x + number * step
