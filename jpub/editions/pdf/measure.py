"""Widths of text in the print faces, for fitting table columns: the font files fontconfig finds for the
configured families, measured with Pillow (FreeType). Where a face cannot be found the width is estimated."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Callable

from PIL import ImageFont

from jpub.editions.columns import estimated_width

_UNITS = 1000  # the size the faces are opened at: a width in these units / 1000 is a width in em


@functools.cache
def _face(family: str, bold: bool) -> ImageFont.FreeTypeFont | None:
    """The configured family's font file (and its index in a collection), or None if fontconfig has no such
    family (it would answer with a substitute, whose widths are not the ones WeasyPrint will set)."""
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    try:
        done = subprocess.run(["fc-match", "-f", "%{family}\n%{file}\n%{index}", pattern], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    names, path, index = (done.stdout.split("\n") + ["", "", "0"])[:3]
    if family.casefold() not in (name.strip().casefold() for name in names.split(",")) or not path:
        return None
    try:
        return ImageFont.truetype(path, _UNITS, index=int(index or 0))
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
