"""両端揃え for Japanese: a justified full line's slack spread over the gaps between its characters.

WeasyPrint 70 justifies by widening spaces only (``layout.inline.justify_line`` counts U+0020 and U+00A0), so a
Japanese line, which has none, stays as short as line breaking left it: up to a character and more short of
the measure when it holds Latin, figures or an unbreakable number. For lines in ``lang="ja"`` (or ``ja-*``)
this module

- replaces ``justify_line``: the gaps and the share each takes come from ``spacing``; the boxes after each gap
  move right as WeasyPrint's ``add_word_spacing`` moves them, and each text box keeps its gaps on its own
  copy of its Pango layout;
- wraps ``text_align``: the 和欧間 margins at the line's head and end are taken out first (``line_edges``),
  on every line, justified or not;
- wraps ``Layout.reactivate`` (called just before a text box is drawn): the glyph before each gap is widened
  in Pango's glyph string, which WeasyPrint writes as a TJ offset. No character is added to the PDF's text.

The last line of a paragraph and a line ended by ``<br>`` are not justified (``text-align-last``). Lines in
other languages, right-to-left, or with no gap get WeasyPrint's own justification.
"""

from __future__ import annotations

from typing import Any

from weasyprint.draw import text as draw_text
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from jpub.editions.pdf import line_edges, spacing
from jpub.editions.pdf.pinned import Pin, safe_to_patch

_originals: dict[str, Any] = {}

PINS = (
    # replaced
    Pin(
        "layout.inline.justify_line",
        "f83b21ff8793ba6b6dfc5fe8e10e4ab6cd6e02b17de02da97200902166148a81",
        lambda: _originals.get("justify_line", inline.justify_line),
    ),
    # wrapped; calls justify_line by its module-level name
    Pin(
        "layout.inline.text_align", "e953d41b87ccfc30405f83f6cc3c73918ef4638662794db4f834b1d788d6ed67", lambda: _originals.get("text_align", inline.text_align)
    ),
    # wrapped: re-creates the Pango layout just before drawing
    Pin(
        "text.line_break.Layout.reactivate",
        "0b89ee097104b71376c179f48a98858708b07169dc0212c393263a1a831607c9",
        lambda: _originals.get("reactivate", line_break.Layout.reactivate),
    ),
    # relied on: writes glyph_info.geometry.width as TJ offsets, truncated to thousandths
    Pin("draw.text.draw_first_line", "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b", lambda: draw_text.draw_first_line),
    # relied on: the moving of boxes imitated here
    Pin("layout.inline.add_word_spacing", "879516e71f1b80fa1833aee877e1a34c851248c5fd871d6c855c58f07358d418", lambda: inline.add_word_spacing),
)


def install() -> bool:
    """Patch WeasyPrint (idempotent); False, with a RuntimeWarning and nothing patched, on another version."""
    if _originals:
        return True
    if not safe_to_patch("和文の両端揃え", PINS):
        return False
    _originals.update(justify_line=inline.justify_line, text_align=inline.text_align, reactivate=line_break.Layout.reactivate)
    inline.justify_line = _justify_line
    inline.text_align = _text_align
    line_break.Layout.reactivate = _reactivate
    return True


def uninstall() -> None:
    """Put WeasyPrint back as it was (for tests and side-by-side measurements)."""
    if _originals:
        inline.justify_line = _originals.pop("justify_line")
        inline.text_align = _originals.pop("text_align")
        line_break.Layout.reactivate = _originals.pop("reactivate")


def is_japanese(style: Any) -> bool:
    lang = (style["lang"] or "").lower()
    return lang == "ja" or lang.startswith("ja-")


def _text_align(context: Any, line: Any, available_width: float, last: bool) -> Any:
    if is_japanese(line.style):
        line_edges.trim_start(line)
        line_edges.trim_end(line)
    return _originals["text_align"](context, line, available_width, last)


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    style = line.style
    if not is_japanese(style) or style["direction"] == "rtl":
        _originals["justify_line"](context, line, extra_width)
        return None
    gaps = spacing.gaps(spacing.characters(line))
    if not gaps:
        _originals["justify_line"](context, line, extra_width)
        return None
    widths: dict[int, list[tuple[int, int, float]]] = {}  # id(text box) → (byte offset, Pango units, px) of its gaps
    for gap, (drawn, units) in zip(gaps, spacing.quantised(gaps, spacing.distribute(extra_width, gaps, style["font_size"])), strict=True):
        if units:
            widths.setdefault(id(gap.box), []).append((gap.end, units, drawn))
    _shift(line, widths, 0.0)
    return None


def _shift(box: Any, widths: dict[int, list[tuple[int, int, float]]], x_advance: float) -> float:
    """Move each box right by what the gaps before it took and widen the text boxes that hold gaps."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        own = widths.get(id(box))
        if own:
            # The gaps go on a copy of the layout: a box copied for pagination may share the original.
            # (copy.copy goes through the pickling protocol, 50 µs on this object; this is a dict copy.)
            original = box.pango_layout
            layout = object.__new__(type(original))
            layout.__dict__.update(original.__dict__)
            layout.jpub_gaps = {end: units for end, units, _ in own}
            box.pango_layout = layout
            added = sum(drawn for _, _, drawn in own)
            box.width += added
            x_advance += added
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, widths, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)  # an image or inline block
    return x_advance


def _reactivate(self: Any, style: Any) -> None:
    _originals["reactivate"](self, style)
    gaps = getattr(self, "jpub_gaps", None)
    if gaps:
        _widen_glyphs(self, gaps)


def _widen_glyphs(layout: Any, gaps: dict[int, int]) -> None:
    """Add each gap's Pango units to the advance of the last glyph before it (byte offset → units)."""
    # draw_first_line sets single-paragraph mode, which lays the text out again if it changes: set it first,
    # so that the glyph string widened here is the one drawn.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    first_line, _ = layout.get_first_line()
    pending = sum(gaps.values())
    last_glyph = None
    run = first_line.runs
    while run != ffi.NULL:
        item, glyph_string = run.data.item, run.data.glyphs
        run = run.next
        count, clusters, glyphs = glyph_string.num_glyphs, glyph_string.log_clusters, glyph_string.glyphs
        for i in range(count):
            if i + 1 < count and clusters[i + 1] == clusters[i]:
                continue  # not the last glyph of its cluster
            units = gaps.get(item.offset + (clusters[i + 1] if i + 1 < count else item.length))
            if units:
                glyphs[i].geometry.width += units
                pending -= units
            last_glyph = glyphs[i]
    if pending and last_glyph is not None:
        last_glyph.geometry.width += pending  # a gap inside a cluster (a ligature): the line's width stays right
