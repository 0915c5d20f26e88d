"""``check --fix``: the repairs that cannot change what a sentence says — spaced-out letters and digits and
split decimals from copying a PDF, full-width letters and digits, half-width katakana, ヶ月 for か月,
half-width ( ) around Japanese text — written into the files the author edits, included files too.

The repairs are the ones the checks found (each finding carries its edits), so a line silenced with
``{## check: ignore … ##}`` or a rule switched off is left alone. An edit is made only where the file still
holds the text it replaces, never inside a Jinja tag, a code block or span, or the front matter. Each file
is written beside itself and renamed into place; a unified diff of the changes is printed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jpub.checks import regions
from jpub.diagnostics import Diagnostic
from jpub.outputs import write_atomically
from jpub.publication import Publication
from jpub.source import display_path

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", re.S)

Edit = tuple[int, int, str, str]  # (line, column, old, new), 1-based


@dataclass(frozen=True)
class Change:
    """One file's repairs: its text before and after."""

    path: Path
    display: str
    before: str
    after: str
    edits: int


def files_of(pub: Publication) -> dict[str, tuple[Path, int]]:
    """Every file the renderings read, by the path diagnostics show, with the first line that may be edited
    (the source's front matter may not)."""
    found = {pub.source.display: (pub.source.path, pub.source.body_line)}
    for document in pub.documents.values():
        for path in document.rendered.files[1:]:
            found.setdefault(display_path(path), (path, 1))
    return found


def plan(pub: Publication, diagnostics: Iterable[Diagnostic]) -> list[Change]:
    """The changes the diagnostics' edits make, file by file."""
    wanted: dict[str, set[Edit]] = {}
    for diagnostic in diagnostics:
        if diagnostic.fixes:
            wanted.setdefault(diagnostic.path, set()).update(diagnostic.fixes)
    files = files_of(pub)
    changes = []
    for display, edits in wanted.items():
        if display not in files:
            continue
        path, first_line = files[display]
        before = path.read_bytes().decode("utf-8-sig")  # as written: a CRLF file stays CRLF
        after, made = apply(before.replace("\r\n", "\n"), sorted(edits), first_line)
        if made:
            if "\r\n" in before:
                after = after.replace("\n", "\r\n")
            changes.append(Change(path, display, before, after, made))
    return changes


def apply(text: str, edits: list[Edit], first_line: int = 1) -> tuple[str, int]:
    """The text with every edit made that still matches it and touches no Jinja tag, code or front matter;
    how many were made."""
    lines = text.split("\n")
    protected = _protected(text, lines, first_line)
    accepted: list[Edit] = []
    for edit in edits:
        line, column, old, new = edit
        start, end = column - 1, column - 1 + len(old)
        if not 1 <= line <= len(lines) or lines[line - 1][start:end] != old or protected[line - 1] & set(range(start, end)):
            continue
        if accepted and accepted[-1][0] == line and accepted[-1][1] - 1 + len(accepted[-1][2]) > start:
            continue  # overlaps the edit before it
        accepted.append(edit)
    for line, column, old, new in reversed(accepted):
        text_line = lines[line - 1]
        lines[line - 1] = text_line[: column - 1] + new + text_line[column - 1 + len(old) :]
    return "\n".join(lines), len(accepted)


def _protected(text: str, lines: list[str], first_line: int) -> list[set[int]]:
    """Per line, the columns no edit may touch: Jinja tags, code and HTML comments, the front matter."""
    protected: list[set[int]] = [set(range(len(line))) if number < first_line else set() for number, line in enumerate(lines, 1)]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for tag in _TAG.finditer(text):
        for offset in range(tag.start(), tag.end()):
            row = _row(starts, offset)
            protected[row].add(offset - starts[row])
    for row, region in enumerate(regions.classify(lines)):
        if region.code:
            protected[row].update(range(len(lines[row])))
        else:
            protected[row].update(k for k, ch in enumerate(region.prose) if ch == regions.BLANK)
    return protected


def _row(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high - 1:
        middle = (low + high) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle
    return low


def diff(changes: Iterable[Change]) -> str:
    out: list[str] = []
    for change in changes:
        out += difflib.unified_diff(
            change.before.replace("\r\n", "\n").splitlines(keepends=True),
            change.after.replace("\r\n", "\n").splitlines(keepends=True),
            fromfile=change.display,
            tofile=change.display,
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def write(changes: Iterable[Change]) -> None:
    """Each file written beside itself and renamed into place, keeping its permissions (and a BOM it had)."""
    for change in changes:
        target = change.path.resolve()
        mode = target.stat().st_mode & 0o7777
        bom = target.read_bytes().startswith(b"\xef\xbb\xbf")
        write_atomically(target, (b"\xef\xbb\xbf" if bom else b"") + change.after.encode("utf-8"))
        target.chmod(mode)


def run(pub: Publication, found: list[Diagnostic], dry_run: bool) -> tuple[str, list[Change]]:
    """(the diff, the changes) of fixing what the checks found; written unless ``dry_run``."""
    changes = plan(pub, found)
    if not dry_run:
        write(changes)
    return diff(changes), changes
