"""A folder of results kept by the digest of everything they were made from: a result is found again only
for exactly the same inputs, so a hit is as good as making it again.

The folder is ``$JPUB_CACHE_DIR`` when that is set (set to nothing, no cache is kept), else
``$XDG_CACHE_HOME/jpub`` (``~/.cache/jpub``). Entries are written whole or not at all (a temporary file
renamed into place), so builds running side by side may share the folder; the folder keeps its newest
entries up to a size, the oldest used going first.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

ENVIRONMENT = "JPUB_CACHE_DIR"
MAX_BYTES = 200 * 1024 * 1024  # per kind of entry


def user_caches() -> Path:
    """Where the user's programs keep their caches: ``$XDG_CACHE_HOME``, else ``~/.cache``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def folder(kind: str) -> Path | None:
    """The folder for entries of one kind, or None when no cache is to be kept."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen is not None:
        return Path(chosen) / kind if chosen else None
    return user_caches() / "jpub" / kind


def digest(parts: Iterable[bytes]) -> str:
    """One key for a sequence of parts (each part's length goes in too, so no two sequences share one)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(len(part).to_bytes(8, "big"))
        hashed.update(part)
    return hashed.hexdigest()


def load(kind: str, key: str) -> bytes | None:
    where = folder(kind)
    if where is None:
        return None
    entry = where / key
    try:
        data = entry.read_bytes()
        os.utime(entry)  # used now: the last to go when the folder is trimmed
    except OSError:
        return None
    return data


def store(kind: str, key: str, data: bytes) -> None:
    """Keep ``data`` under ``key``; a folder that cannot be written is no cache, never an error."""
    where = folder(kind)
    if where is None:
        return
    part = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where, prefix=".part-", delete=False) as part:
            part.write(data)
        os.replace(part.name, where / key)
        trim(where, MAX_BYTES)
    except OSError:
        if part is not None:
            Path(part.name).unlink(missing_ok=True)  # a full disk leaves no half entry behind


def trim(where: Path, max_bytes: int) -> None:
    """Remove the least recently used entries until the folder holds at most ``max_bytes``."""
    entries = []
    for entry in where.iterdir():
        try:
            if not entry.name.startswith(".") and entry.is_file():
                stat = entry.stat()
                entries.append((stat.st_mtime_ns, stat.st_size, entry))
        except OSError:
            continue
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries, key=lambda e: e[0]):
        if total <= max_bytes:
            break
        entry.unlink(missing_ok=True)
        total -= size
