"""Widths of text in the print faces, for fitting table columns: the font files fontconfig finds for the
configured families, measured with Pillow (FreeType). Where a face cannot be found the width is estimated."""

from __future__ import annotations

import functools
from collections.abc import Callable

from PIL import ImageFont

from jpub import fontfiles
from jpub.editions.columns import estimated_width

_UNITS = 1000  # the size the faces are opened at: a width in these units / 1000 is a width in em


@functools.cache
def _face(family: str, bold: bool) -> ImageFont.FreeTypeFont | None:
    found = fontfiles.find(family, bold)
    if found is None:
        return None
    try:
        return ImageFont.truetype(found.path, _UNITS, index=found.index)
    except OSError:
        return None


def measurer(family: str, bold: bool = False) -> Callable[[str], float]:
    """text → its width in em, set in ``family`` without kerning (as the print stylesheet sets it)."""
    face = _face(family, bold)
    if face is None:
        return estimated_width
    found = face

    def width(text: str) -> float:
        try:
            return found.getlength(text, features=["-kern"]) / _UNITS
        except (KeyError, ValueError):  # without libraqm Pillow takes no features, and its basic layout does not kern
            return found.getlength(text) / _UNITS

    return width
