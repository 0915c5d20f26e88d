"""The documents of a folder: every ``.md`` directly in it, except those whose name starts with ``_``.

``source/`` may hold several documents, each with its own editions ``output/<stem>.{pdf,docx,html}``. Files
that are only included live in a subfolder (``source/parts/``) or start with ``_`` (``source/_common.md``):
they are never built on their own. An include of a file that is itself a document is reported, since it
would be published twice, once as a piece of the other.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import jinja2
from jinja2 import nodes

from jpub import source_template
from jpub.diagnostics import Diagnostic
from jpub.source import Source, display_path

INCLUDE_ONLY = "_"  # a name starting with this is never a document of its own


def is_document(path: Path) -> bool:
    return path.suffix == ".md" and not path.name.startswith((INCLUDE_ONLY, "."))


def documents(folder: Path) -> list[Path]:
    """The documents directly in ``folder``, by name."""
    return sorted(path for path in folder.glob("*.md") if path.is_file() and is_document(path))


def included_documents(src: Source) -> list[Diagnostic]:
    """Each literal ``{% include %}`` — in the source or in what it includes — of a file that is a document of
    the source's folder, at the file and line where the include is written."""
    folder = src.path.parent.resolve()
    env = source_template.environment(src.path.parent)
    found: list[Diagnostic] = []
    seen: set[Path] = set()

    def visit(text: str, shown: str, first_line: int) -> None:
        for name, line in _includes(env, text):
            target = (folder / name).resolve()
            if not target.is_file() or target in seen:
                continue
            seen.add(target)
            if target.parent == folder and is_document(target):
                message = (
                    f"取り込む {name} は単独の文書でもあります（{name} の出力も作られます）。"
                    f"取り込み専用なら名前を _{target.name} にするか、下位のフォルダに移してください"
                )
                found.append(Diagnostic(shown, first_line + line - 1, 0, "error", "include-document", message))
            elif target.is_relative_to(folder):
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    visit(target.read_text(encoding="utf-8"), display_path(target), 1)

    visit(src.body, src.display, src.body_line)
    return found


def _includes(env: jinja2.Environment, text: str) -> Iterator[tuple[str, int]]:
    """(name, line within ``text``) of every include whose name is written out; a template that does not
    parse is reported by the rendering, not here."""
    try:
        tree = env.parse(text)
    except jinja2.TemplateSyntaxError:
        return
    for include in tree.find_all(nodes.Include):
        if isinstance(include.template, nodes.Const) and isinstance(include.template.value, str):
            yield include.template.value, include.lineno


def each(sources: Sequence[Path], run: Callable[[Path], int], quiet: bool, merge_json: bool) -> int:
    """Run the command on every document in turn: one that fails keeps its earlier outputs and does not stop
    the others; the failures are named at the end and the status is 1. An interruption (130) or a usage
    error (2) stops at once. ``merge_json``: the documents' JSON diagnostics come out as one list."""
    failed: list[Path] = []
    merged: list[object] = []
    for number, source in enumerate(sources, start=1):
        if not quiet:
            print(f"[{number}/{len(sources)}] {source}", file=sys.stderr, flush=True)
        with _captured(merge_json) as captured:
            status = run(source)
        if merge_json:
            merged += json.loads(captured.getvalue() or "[]")
        if status in (2, 130):
            return status
        if status != 0:
            failed.append(source)
    if merge_json:
        sys.stdout.write(json.dumps(merged, ensure_ascii=False, indent=2) + "\n")
    if failed:
        names = "、".join(str(path) for path in failed)
        print(f"{len(sources)} 件の文書のうち {len(failed)} 件が失敗しました: {names}", file=sys.stderr, flush=True)
        return 1
    return 0


@contextlib.contextmanager
def _captured(capture: bool) -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    if not capture:
        yield buffer
        return
    with contextlib.redirect_stdout(buffer):
        yield buffer
