"""Checks of the source and its renderings (rules live in their own modules, listed in RULES)."""

from __future__ import annotations

from typing import Mapping

from ..diagnostics import Diagnostic
from ..settings import Settings
from ..source import Source
from ..templating import Rendered


def run(source: Source, renderings: Mapping[str, Rendered], settings: Settings) -> list[Diagnostic]:
    """Every rule over every edition's rendering; a defect seen in several renderings is reported once."""
    return []
