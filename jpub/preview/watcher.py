"""Watching what a build reads: the source's folder (the source, its includes, images and data: the build reads
nothing of the author's from anywhere else) and the page templates. The output folder is left out, or every
build would set off the next."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from jpub import page_templates

SETTLE_MS = 30  # a save is often several events (a temporary file, a rename): wait this long for the rest


def watched(source: Path) -> tuple[Path, ...]:
    return tuple(path for path in (source.resolve().parent, page_templates.packaged()) if path.is_dir())


def changes_filter(out: Path) -> watchfiles.DefaultFilter:
    """Editors' swap and backup files (watchfiles' defaults), version control folders, and the outputs."""
    return watchfiles.DefaultFilter(ignore_paths=[str(out.resolve())])


def watch(paths: Iterable[Path], out: Path, on_change: Callable[[list[str]], object], stop: threading.Event) -> threading.Thread:
    """Call ``on_change`` with the changed paths after each settled group of changes, until ``stop`` is set."""

    def run() -> None:
        for changes in watchfiles.watch(*paths, watch_filter=changes_filter(out), step=SETTLE_MS, stop_event=stop, rust_timeout=500, raise_interrupt=False):
            on_change(sorted(path for _, path in changes))

    thread = threading.Thread(target=run, name="preview-watcher", daemon=True)
    thread.start()
    return thread
