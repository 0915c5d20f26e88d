"""Writing a build's outputs all or nothing, so that a failure never destroys or mixes the last good files.

Every output is first written in full to a temporary file beside it; only when all are written are they
renamed into place, and a rename that fails puts back the files already replaced. Before anything is
written, an output that would replace one of the build's inputs (the source, an include, an image) or
land on a folder is refused. A temporary file carries the id of the process that wrote it, so the next
build removes those that a killed build left behind, and leaves those of a build still running.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from jpub.errors import DocumentError
from jpub.source import display_path

RULE = "output"
_TEMPORARY = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.(?:tmp|old)$")


def write_all(files: Mapping[Path, bytes], inputs: Iterable[Path] = ()) -> None:
    """Write every file or none: a failure leaves each earlier output byte-identical and no temporary behind."""
    targets = list(files)
    _refuse_unsafe_targets(targets, list(inputs))
    for folder in {target.parent for target in targets}:
        _make_folder(folder)
        remove_stale_temporaries(folder)
    stamp = f"{os.getpid()}-{os.urandom(4).hex()}"
    written: dict[Path, Path] = {}
    try:
        for target, data in files.items():
            written[target] = _write_temporary(target, data, stamp)
        _rename_all(written, stamp)
    finally:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)


def _entry(path: Path) -> Path:
    """The directory entry a path names: its folder resolved, its last component kept (a symlink stays itself)."""
    return path.parent.resolve() / path.name


def _refuse_unsafe_targets(targets: list[Path], inputs: list[Path]) -> None:
    read = {_entry(path) for path in inputs} | {path.resolve() for path in inputs}
    for target in targets:
        shown = display_path(target)
        if _entry(target) in read or target.resolve() in read:
            message = f"出力先 {shown} はこのビルドが読むファイル（ソース・取り込み・画像）と同じです。上書きしないよう --out に別のフォルダを指定してください"
            raise DocumentError.at(shown, 0, message, RULE)
        if target.is_dir():
            raise DocumentError.at(shown, 0, f"出力先 {shown} がフォルダです（削除するか名前を変えてください）", RULE)


def _make_folder(folder: Path) -> None:
    shown = display_path(folder)
    if folder.exists() and not folder.is_dir():
        raise DocumentError.at(shown, 0, f"出力先 {shown} はファイルです（--out にはフォルダを指定してください）", RULE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocumentError.at(shown, 0, f"出力先のフォルダ {shown} を作れません: {exc.strerror or exc}", RULE) from None


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files of builds whose process is gone (killed mid-write)."""
    for path in folder.iterdir():
        found = _TEMPORARY.match(path.name)
        if found and not _running(int(found.group(1))):
            path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user
        return True
    return True


def _write_temporary(target: Path, data: bytes, stamp: str) -> Path:
    temporary = target.with_name(f".{target.name}.{stamp}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _failed(target, exc) from None
    return temporary


def _rename_all(written: Mapping[Path, Path], stamp: str) -> None:
    """Rename each temporary into place; if one rename fails, the outputs replaced so far are put back."""
    kept: dict[Path, Path | None] = {}  # target → a copy of what it held before (None: it did not exist)
    try:
        for target in written:
            kept[target] = _keep(target, stamp)
        done: list[Path] = []
        try:
            for target, temporary in written.items():
                os.replace(temporary, target)
                done.append(target)
        except OSError as exc:
            for replaced in done:
                previous = kept[replaced]
                if previous is None:
                    replaced.unlink(missing_ok=True)
                else:
                    os.replace(previous, replaced)
            raise _failed(target, exc) from None
        _sync_folders(written)
    finally:
        for previous in kept.values():
            if previous is not None:
                previous.unlink(missing_ok=True)


def _keep(target: Path, stamp: str) -> Path | None:
    """A second name for the target's current content (a hard link, else a copy), to put it back from."""
    if not target.exists():
        return None
    previous = target.with_name(f".{target.name}.{stamp}.old")
    try:
        os.link(target, previous)
    except OSError:
        try:
            shutil.copy2(target, previous)
        except OSError as exc:
            previous.unlink(missing_ok=True)
            raise _failed(target, exc) from None
    return previous


def _sync_folders(written: Iterable[Path]) -> None:
    for folder in {target.parent for target in written}:
        try:
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(descriptor)
        except OSError:  # some file systems cannot sync a folder; the renames are done all the same
            pass
        finally:
            os.close(descriptor)


def _failed(target: Path, exc: OSError) -> DocumentError:
    shown = display_path(target)
    return DocumentError.at(shown, 0, f"{shown} を書き出せませんでした: {exc.strerror or exc}", RULE)
