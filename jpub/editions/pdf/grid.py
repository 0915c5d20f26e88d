"""The line grid (行送り): a block marked ``--box-snap: block-start`` begins on it.

Body lines are one pitch apart (10.5 pt × 1.7 = 17.85 pt). The stylesheet gives headings, lists and notes
heights in whole pitches where it knows them; a table, a figure, a code block, a multi-line heading or any
block it does not know has some other height, and the lines after it would fall off the grid. So the top
border edge of every marked block is pushed down to the next grid line, counted from the top of the page's
content box — CSS Line Grid's ``box-snap: block-start``, which WeasyPrint does not know. The push is given
to WeasyPrint as the block's clearance, before the block is laid out: the block is placed below it, its
margins stop collapsing through it, and pagination sees it (a block that no longer fits moves on).

The stylesheet marks the body's top-level blocks and unmarks what is inside them (custom properties
inherit): ``main > * { --box-snap: block-start }``, ``main > * * { --box-snap: none }``.

Patched (pinned in ``PINS``): ``get_clearance`` as block.py calls it, and ``block_level_layout`` as page.py
calls it for the page's root box, to note the page's content top, the grid's origin.
"""

from __future__ import annotations

import math
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, page

from jpub.editions.pdf.pinned import Pin, safe_to_patch

PX_PER_PT = 4 / 3
_originals: dict[str, Any] = {}
_pitch = {"px": 0.0}

PINS = (
    # wrapped (block.py's reference): the snap is returned as clearance
    Pin(
        "layout.float.get_clearance",
        "0b765de20bc5e18af7569e5c9c2b2a2c6cda1bf16000189cbc7ad6d53596a73b",
        lambda: _originals.get("get_clearance", block.get_clearance),
    ),
    # wrapped (page.py's reference): lays out the root box with the page as its containing block
    Pin(
        "layout.block.block_level_layout",
        "c1301dde9284e24519ee0432b508d6cd79768018d2564d4066f0fdf103982dd6",
        lambda: _originals.get("block_level_layout", page.block_level_layout),
    ),
    # relied on: calls block_level_layout for the root box with the page box as containing block
    Pin("layout.page.make_page", "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971", lambda: page.make_page),
)


def install(pitch_pt: float) -> bool:
    """Snap marked blocks to a grid of ``pitch_pt`` (idempotent; a second call sets the pitch); False, with a
    RuntimeWarning and nothing patched, on another WeasyPrint."""
    if not _originals and not safe_to_patch("行送りへの揃え（行取り）", PINS):
        return False
    _pitch["px"] = pitch_pt * PX_PER_PT
    if not _originals:
        _originals.update(get_clearance=block.get_clearance, block_level_layout=page.block_level_layout)
        block.get_clearance = _get_clearance
        page.block_level_layout = _page_block_level_layout
    return True


def uninstall() -> None:
    if _originals:
        block.get_clearance = _originals.pop("get_clearance")
        page.block_level_layout = _originals.pop("block_level_layout")


def snaps(box: Any) -> bool:
    try:
        value = box.style["__box_snap"]
    except KeyError:
        return False
    return "".join(getattr(token, "value", "") or "" for token in value or ()).strip().lower() == "block-start"


def _page_block_level_layout(context: Any, box: Any, bottom_space: float, skip_stack: Any, containing_block: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(containing_block, boxes.PageBox):
        context.jpub_grid_top = containing_block.content_box_y()
    return _originals["block_level_layout"](context, box, bottom_space, skip_stack, containing_block, *args, **kwargs)


def _get_clearance(context: Any, box: Any, direction: str, collapsed_margin: float = 0) -> float | None:
    clearance: float | None = _originals["get_clearance"](context, box, direction, collapsed_margin)
    top = getattr(context, "jpub_grid_top", None)
    if top is None or not isinstance(box, boxes.BlockLevelBox) or not snaps(box):
        return clearance
    if clearance is not None and clearance > 1e6:  # after a float broken on the previous page: the next page anyway
        return clearance
    pitch = _pitch["px"]
    edge = box.position_y + collapsed_margin + (clearance or 0)
    lines = math.ceil((edge - top) / pitch - 1e-4)
    push = top + lines * pitch - edge
    return (clearance or 0) + push if push > 1e-4 else clearance
