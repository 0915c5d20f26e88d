"""Running the pandoc that ships inside the pypandoc-binary wheel."""

from __future__ import annotations

import functools
import json
import signal
import subprocess
from pathlib import Path

import pypandoc

from jpub.errors import DocumentError
from jpub.pandoc_ast import Tree, read_tree

# smart quotes would rewrite punctuation; ids are ours (pandoc_ast.assign_ids); a line break between two Japanese
# characters is no space (the Markdown reader would make one of it, as between English words), in every edition
READER = "markdown-smart-auto_identifiers+east_asian_line_breaks"


@functools.cache
def executable() -> str:
    try:
        return str(pypandoc.get_pandoc_path())  # a path, as a str (pypandoc has no type information)
    except OSError:
        raise DocumentError.at("pandoc", 0, "pandoc が見つかりません（pip install pypandoc-binary）", "pandoc") from None


BASE_SECONDS = 20.0  # any run: start-up, and the whole default source many times over
SECONDS_PER_MEGABYTE = 20.0  # reading runs at about 8 s a megabyte here; writing from JSON faster


def time_limit(data: bytes) -> float:
    """How long one run may take: proportional to its input, so that a pathological input that the
    checks before it did not catch stops in seconds, not hours."""
    return BASE_SECONDS + len(data) / 1_000_000 * SECONDS_PER_MEGABYTE


def run(args: list[str], data: bytes, cwd: Path | None = None) -> bytes:
    """pandoc with the sandbox on: readers and writers touch only files named on the command line."""
    command = [executable(), "--sandbox", *args]
    seconds = time_limit(data)
    try:
        done = subprocess.run(command, input=data, capture_output=True, cwd=cwd, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        message = f"pandoc が {seconds:.0f} 秒以内に終わりませんでした（かっこ・強調・表などの書き方が pandoc を極端に遅くしていないか確かめてください）"
        raise DocumentError.at("pandoc", 0, message, "pandoc") from None
    if done.returncode == -signal.SIGINT:  # Ctrl-C reached pandoc too (one process group): the build is interrupted
        raise KeyboardInterrupt
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise DocumentError.at("pandoc", 0, f"pandoc が失敗しました: {message}", "pandoc")
    return done.stdout


def parse_markdown(text: str) -> Tree:
    """pandoc's AST of a Markdown text: a fresh copy each time, the callers change it."""
    return read_tree(_parsed(text))


@functools.lru_cache(maxsize=4)
def _parsed(text: str) -> bytes:
    """One pandoc run per text: the build's parse and the checks that read the same rendering share it."""
    return run(["-f", READER, "-t", "json"], text.encode("utf-8"))


def write(ast: Tree, to: str, extra: list[str] | None = None, cwd: Path | None = None) -> bytes:
    return run(["-f", "json", "-t", to, *(extra or [])], json.dumps(ast, ensure_ascii=False).encode("utf-8"), cwd)
