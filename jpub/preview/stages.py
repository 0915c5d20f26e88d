"""The build's stages up to the checks, as the preview runs them in each of its processes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jpub import pipeline
from jpub.diagnostics import Diagnostic
from jpub.editions import FORMATS
from jpub.errors import DocumentError
from jpub.publication import Publication


def checked(source: Path, overrides: Mapping[str, Any], editions: Sequence[str]) -> tuple[Publication | None, list[Diagnostic]]:
    """read → guard → parse → check over every edition's rendering, as a build does (``editions``: those to be
    built, for what they need of this machine); the Publication, or None when a stage before the checks stopped."""
    try:
        draft = pipeline.read(source, overrides, FORMATS)
        found = pipeline.guard(draft)
        if found:
            return None, found + pipeline.preflight_only(draft, editions)
        pub = pipeline.parse(draft)
        return pub, pipeline.check(pub, editions)
    except DocumentError as exc:
        return None, exc.diagnostics
