"""``jpub new DIR``: a document project that builds, passes its checks and verifies as it is.

The project is ``DIR/source/<DIR's name>.md`` (front matter, a 第1章 with a figure, a footnote and a table),
its figure, a Makefile and a .gitignore, copied from ``jpub/scaffold_files/``. Nothing existing is
overwritten: the folder must be new or empty.
"""

from __future__ import annotations

import argparse
import importlib.resources
import sys
from collections.abc import Iterator, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import NoReturn

FILES = "scaffold_files"
SOURCE = "source/document.md"  # copied as source/<name>.md
RENAMED = {"gitignore": ".gitignore"}  # a dot-file would not travel as package data


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one clear line, as the build's do
        raise _UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jpub new", description="Start a document project: a sample source that builds, a figure, a Makefile.")
    p.add_argument("folder", type=Path, help="the new project's folder (created; an existing one must be empty)")
    p.add_argument("--name", help="the document's name, which its editions take (default: the folder's name)")
    return p


def document_name(folder: Path, wanted: str | None) -> str:
    """The source's stem: a name starting with _ or . would make it an include-only file, not a document."""
    name = (wanted or folder.resolve().name).lstrip("_.").strip()
    return name if name and "/" not in name and "\\" not in name else "document"


def files() -> Iterator[tuple[str, Traversable]]:
    """(path inside the project, packaged file) for every file of the scaffold."""

    def walk(node: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            if child.is_dir():
                yield from walk(child, f"{prefix}{child.name}/")
            else:
                yield f"{prefix}{child.name}", child

    yield from walk(importlib.resources.files("jpub") / FILES, "")


def create(folder: Path, name: str) -> list[Path]:
    """Write the project into ``folder`` (new or empty); the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for inside, packaged in files():
        relative = f"source/{name}.md" if inside == SOURCE else RENAMED.get(inside, inside)
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(packaged.read_bytes())
        written.append(target)
    return written


def main(argv: Sequence[str]) -> int:
    try:
        args = parser().parse_args(list(argv))
    except _UsageError as exc:
        print(f"jpub new: 使い方の誤り: {exc}", file=sys.stderr)
        print("jpub new --help で使い方を表示します", file=sys.stderr)
        return 2
    folder: Path = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"{folder}: error: 空でないフォルダ（またはファイル）です。上書きしないよう、新しいフォルダを指定してください [project-exists]", file=sys.stderr)
        return 1
    name = document_name(folder, args.name)
    try:
        create(folder, name)
    except OSError as exc:
        print(f"{exc.filename or folder}: error: ファイルを書けません: {exc.strerror or exc} [project-write]", file=sys.stderr)
        return 1
    print(
        f"{folder} に文書のプロジェクトを作りました（原稿 source/{name}.md）。次のように作ります:\n"
        f"  cd {folder}\n"
        f"  jpub pdf docx html verify   # 検査して三つの版を output/ に作り、読み返して原稿と照合する\n"
        f"  make                        # 同じことを、変更のあった文書だけ\n"
        f"  jpub check                  # 検査だけ",
        file=sys.stderr,
    )
    return 0
