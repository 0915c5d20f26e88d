"""What every reader gives back and how texts are compared across editions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadHeading:
    level: int
    text: str


def normalise(text: str) -> str:
    """For comparing text across editions: NFKC, no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
