"""Reading the canonical source: YAML front matter and a Jinja2 body, with line numbers kept."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from jpub.errors import DocumentError
from jpub.limits import LIMITS

MAX_BYTES = LIMITS.max_bytes  # a source larger than the largest rendering allowed cannot build
FENCE_OPEN = "---"
FENCE_CLOSE = ("---", "...")


@dataclass(frozen=True)
class Source:
    path: Path
    display: str  # the path as the user should see it in diagnostics
    front: Mapping[str, Any]
    front_text: str  # the YAML exactly as written (for checks that need its lines)
    body: str
    body_line: int  # 1-based line of the body's first line in the file


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """The file's text, or a DocumentError saying why it cannot be used."""
    shown = display_path(path)
    if not path.exists():
        raise DocumentError.at(shown, 0, "ソースファイルが見つかりません", "source-missing")
    if path.is_dir():
        raise DocumentError.at(shown, 0, "ソースがディレクトリです（.md ファイルを指定してください）", "source-unreadable")
    if not path.is_file():  # /dev/zero would be read forever, a FIFO would wait for a writer
        raise DocumentError.at(shown, 0, "ソースが通常のファイルではありません（FIFO・デバイスなど。.md ファイルを指定してください）", "source-unreadable")
    try:
        data = _read_bounded(path)
    except OSError as exc:
        raise DocumentError.at(shown, 0, f"ソースを読めません: {exc.strerror}", "source-unreadable") from None
    if len(data) > MAX_BYTES:
        raise DocumentError.at(shown, 0, f"ソースが大きすぎます（上限 {MAX_BYTES:,} バイト）", "limit-size")
    if b"\x00" in data:
        raise DocumentError.at(shown, 0, "バイナリファイルです（UTF-8 のテキストが必要です）", "source-encoding")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DocumentError.at(shown, line, "UTF-8 として読めません（文字コードを UTF-8 にしてください）", "source-encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bounded(path: Path) -> bytes:
    """At most MAX_BYTES + 1 bytes of a regular file, opened without waiting (a FIFO put in its place since
    it was looked at is not waited on) and checked again once open."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise OSError(errno.EINVAL, "通常のファイルではありません")
        return stream.read(MAX_BYTES + 1)


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(yaml text, body, 1-based body line). A source without front matter has an empty one."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE_OPEN:
        return "", text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in FENCE_CLOSE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise DocumentError.at(shown, 1, "フロントマターの終わり（---）が見つかりません", "front-matter")


def parse_front_matter(yaml_text: str, shown: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as exc:
        line, message, column = _yaml_place(exc)
        raise DocumentError.at(shown, line, message, "front-matter", column) from None
    except ValueError as exc:  # a well-formed but impossible value, such as the date 2024-13-01
        line = _impossible_date_line(yaml_text)
        raise DocumentError.at(shown, line, f"フロントマターの値が不正です: {exc}（存在する日付を YYYY-MM-DD で）", "front-matter") from None
    if not isinstance(data, dict):
        raise DocumentError.at(shown, 2, "フロントマターは「キー: 値」の形で書いてください", "front-matter")
    for key, value in data.items():
        bad = unwritable(key) or unwritable(value)
        if bad:
            raise DocumentError.at(shown, _key_line(yaml_text, str(key)), unwritable_message(str(key), bad), "front-matter")
    return {str(key): _plain(value) for key, value in data.items()}


# what no XML document may hold (the Word edition is XML; the title goes into its header and properties):
# C0 controls but tab and line breaks, unpaired surrogates (YAML's "\ud800"), U+FFFE and U+FFFF
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unwritable(value: Any) -> str:
    """The first character of a front-matter value (strings inside lists and mappings too) that no edition can hold."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _UNWRITABLE.search(item)
            if found:
                return found.group(0)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
    return ""


def unwritable_message(key: str, character: str) -> str:
    return f"フロントマターの {key} に文書に書けない文字 U+{ord(character):04X} があります（制御文字などは削除してください）"


def _key_line(yaml_text: str, key: str) -> int:
    for index, line in enumerate(yaml_text.split("\n")):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return index + 2
    return 2


def _yaml_place(exc: yaml.YAMLError) -> tuple[int, str, int]:
    """(file line, message, column). An unclosed [ or a key without its colon is placed where it was written,
    not where the parser gave up (the next line)."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    where_written = context is not None and any(word in (getattr(exc, "context", "") or "") for word in ("flow", "simple key"))
    mark = context if where_written else (problem or context)
    line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening fence
    column = mark.column + 1 if mark else 0
    what = getattr(exc, "problem", None) or str(exc)
    context_text = getattr(exc, "context", None)
    if context_text:
        what = f"{context_text}: {what}"
    return line, f"フロントマターの YAML が不正です: {what}", column


_ISO_DATE = re.compile(r"^\s*[\w-]+\s*:\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*(?:#.*)?$")


def _impossible_date_line(yaml_text: str) -> int:
    for index, line in enumerate(yaml_text.split("\n")):
        found = _ISO_DATE.match(line)
        if found:
            try:
                dt.date(*(int(part) for part in found.groups()))
            except ValueError:
                return index + 2
    return 2


def _plain(value: Any) -> Any:
    """YAML dates stay dates; everything else is kept as loaded."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def load(path: Path) -> Source:
    shown = display_path(path)
    text = read_text(path)
    if not text.strip():
        raise DocumentError.at(shown, 1, "ソースが空です", "source-empty")
    yaml_text, body, body_line = split_front_matter(text, shown)
    front = parse_front_matter(yaml_text, shown)
    if not body.strip():
        raise DocumentError.at(shown, body_line, "本文がありません", "source-empty")
    return Source(path, shown, MappingProxyType(front), yaml_text, body, body_line)
