"""Where the configured faces are on this machine: fontconfig's answer for a family, or None when it has
no such family (it would name a substitute, whose metrics and glyphs are not the ones the editions use)."""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int  # the face's index in a collection (.ttc)


@functools.cache
def find(family: str, bold: bool = False) -> FontFile | None:
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    try:
        done = subprocess.run(["fc-match", "-f", "%{family}\n%{file}\n%{index}", pattern], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    names, path, index = (done.stdout.split("\n") + ["", "", "0"])[:3]
    if family.casefold() not in (name.strip().casefold() for name in names.split(",")) or not path:
        return None
    return FontFile(path, int(index or 0))
