"""Python's full garbage collections held off while the editions render.

WeasyPrint builds hundreds of thousands of boxes, style dictionaries and text layouts that all live until the
PDF is written. Every full collection walks each of them, and as the heap grows they come often enough that
layout time grew faster than the page count: at 30 times the seed (251 pages) the PDF took 19.5 s with the
default collector and 14.2 s with full collections held off. Young objects are still collected (a larger
first generation, so fewer passes), and what exists on entry — modules, the parsed document — is moved out
of the collector's reach (``gc.freeze``). The usual thresholds come back on exit.

The collector's settings belong to the process, and the preview renders editions in overlapping threads: the
first to enter holds collections off and the last to leave restores them, so a render that ends while another
runs neither resumes collections under it nor leaves the rendering thresholds behind.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

RENDERING_THRESHOLDS = (100_000, 50, 1_000)  # generation 0 every 100 000 allocations; a full pass all but never

_lock = threading.Lock()
_depth = 0
_before: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _before
    with _lock:
        if _depth == 0:
            _before = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*RENDERING_THRESHOLDS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_before)
                gc.unfreeze()
