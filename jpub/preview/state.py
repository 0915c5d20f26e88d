"""What the preview shows, as one frozen snapshot, and the board that hands each new snapshot to every page.

A snapshot is replaced whole, never changed in place, so a page (or the terminal) always sees one consistent
state: the diagnostics of one save beside the editions that were last built without errors.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from jpub.diagnostics import Diagnostic


@dataclass(frozen=True)
class EditionState:
    """One edition's last good build, and whether a newer one is under way."""

    file: str = ""  # the file's name in the output folder; empty until the first good build
    generation: int = 0  # the save it was built from (0: not built yet)
    building: bool = False
    seconds: float = 0.0  # how long its last build took
    pages: int = 0  # for the PDF
    problem: str = ""  # why the last attempt failed, when it did (the last good file is still served)


@dataclass(frozen=True)
class Snapshot:
    generation: int = 0  # saves seen (the first build is 1)
    checked: int = 0  # the save whose diagnostics these are
    diagnostics: tuple[Diagnostic, ...] = ()
    failed: bool = False  # that save has errors: the editions shown are older
    editions: Mapping[str, EditionState] = field(default_factory=lambda: MappingProxyType({}))
    closing: bool = False

    def as_json(self) -> dict[str, Any]:
        """For the page: plain values only."""
        return {
            "generation": self.generation,
            "checked": self.checked,
            "failed": self.failed,
            "diagnostics": [dataclasses.asdict(d) | {"text": d.format()} for d in self.diagnostics],
            "editions": {name: dataclasses.asdict(edition) for name, edition in self.editions.items()},
            "closing": self.closing,
        }


class Board:
    """The current snapshot, changed under a lock; waiters wake on every change."""

    def __init__(self, editions: tuple[str, ...]):
        self._snapshot = Snapshot(editions=MappingProxyType({name: EditionState() for name in editions}))
        self._changed = threading.Condition()

    @property
    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def update(self, change: Callable[[Snapshot], Snapshot]) -> Snapshot:
        with self._changed:
            self._snapshot = change(self._snapshot)
            self._changed.notify_all()
            return self._snapshot

    def edition(self, name: str, **values: Any) -> Snapshot:
        """Replace some fields of one edition's state."""

        def change(snapshot: Snapshot) -> Snapshot:
            editions = dict(snapshot.editions)
            editions[name] = dataclasses.replace(editions[name], **values)
            return dataclasses.replace(snapshot, editions=MappingProxyType(editions))

        return self.update(change)

    def wait_newer(self, seen: Snapshot | None, timeout: float) -> Snapshot:
        """The snapshot once it is not ``seen`` (at once if it already differs), or the same after ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot is not seen, timeout)
            return self._snapshot
