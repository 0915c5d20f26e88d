"""Python's full garbage collections held off while the editions render.

WeasyPrint builds hundreds of thousands of boxes, style dictionaries and text layouts that all live until the
PDF is written. Every full collection walks each of them, and as the heap grows they come often enough that
layout time grew faster than the page count: at 30 times the seed (251 pages) the PDF took 19.5 s with the
default collector and 14.2 s with full collections held off. Young objects are still collected (a larger
first generation, so fewer passes), and what exists on entry — modules, the parsed document — is moved out
of the collector's reach (``gc.freeze``). The usual thresholds come back on exit.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

RENDERING_THRESHOLDS = (100_000, 50, 1_000)  # generation 0 every 100 000 allocations; a full pass all but never


@contextmanager
def paused() -> Iterator[None]:
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*RENDERING_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
