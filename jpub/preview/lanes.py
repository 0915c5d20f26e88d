"""A lane runs one kind of build at a time in its own thread; a request made while a build runs waits, and
only the newest waiting request is kept. So an edition is never built twice at once, and a burst of saves
during a long build costs one more build, not one per save.

After each build the lane runs a full garbage collection. A build leaves cyclic garbage (pypdf's reader, the
parse), and while an edition renders the collector is frozen (jpub/gcpause.py), which moves that garbage out of
its reach; in a process that lives for many builds it was never collected: +3.4 MB on every save, 18 000
objects, until a full collection (40–60 ms here) took it back to flat."""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lane(Generic[T]):
    def __init__(self, name: str, build: Callable[[T], None]):
        self.name = name
        self._build = build
        self._pending: T | None = None
        self._busy = False
        self._stopping = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=f"preview-{name}", daemon=True)
        self._thread.start()

    def request(self, job: T) -> None:
        """Build ``job`` next, in place of any request still waiting."""
        with self._wake:
            self._pending = job
            self._wake.notify_all()

    def idle(self) -> bool:
        with self._wake:
            return not self._busy and self._pending is None

    def stop(self, timeout: float) -> None:
        """No further builds; wait up to ``timeout`` for the running one to end."""
        with self._wake:
            self._stopping = True
            self._pending = None
            self._wake.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                self._busy = False
                self._wake.notify_all()
                self._wake.wait_for(lambda: self._pending is not None or self._stopping)
                if self._stopping:
                    return
                job, self._pending, self._busy = self._pending, None, True
            assert job is not None
            try:
                self._build(job)  # the build reports the document's problems itself
            except Exception:  # a defect in the preview: its traceback in the terminal, and the lane goes on
                traceback.print_exc()
            gc.collect()
