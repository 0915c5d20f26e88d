"""Rendering the Jinja2 body per edition, keeping a map from rendered lines back to source lines.

Each source line that starts with literal text gets an invisible marker carrying its file and line
number; after rendering, the markers are read off and removed. Lines produced by a loop therefore map
to the loop body, lines after a removed ``{% if %}`` block keep their own numbers, and what an
``{% include %}`` or a macro from an ``{% import %}`` brings in maps to the file and line where it was
written, with the line that brought it in kept as context.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from jpub.errors import DocumentError
from jpub.source import Source, display_path

COMMENT_START, COMMENT_END = "{##", "##}"  # Jinja's own {# would swallow pandoc's {#id}

_MARK_OPEN, _MARK_CLOSE, _FILE_OPEN = "\ue000", "\ue001", "\ue002"
# a line marker (file.line), or the marker that starts an included file's text (file)
_MARK = re.compile(f"{_MARK_OPEN}(\\d+)\\.(\\d+){_MARK_CLOSE}|{_FILE_OPEN}(\\d+){_MARK_CLOSE}")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|" + re.escape(COMMENT_START) + ".*?" + re.escape(COMMENT_END), re.S)


@dataclass(frozen=True)
class Origin:
    """Where a rendered line was written: a file (0 = the source, then included and imported files in the
    order they were loaded) and its 1-based line; ``via`` is the line that brought it in (an include, a
    macro call), if any."""

    file: int
    line: int
    via: Origin | None = None

    def outermost(self) -> Origin:
        origin = self
        while origin.via is not None:
            origin = origin.via
        return origin


@dataclass(frozen=True)
class Rendered:
    format: str
    text: str
    lines: tuple[int, ...]  # lines[i] = line in the source file of rendered line i+1 (an include's own line for what it brought in)
    files: tuple[Path, ...] = ()  # every file the rendering read: the source, then included and imported files
    origins: tuple[Origin, ...] = ()  # origins[i] = where rendered line i+1 was written, included files too

    def source_line(self, rendered_line: int) -> int:
        if not self.lines:
            return 0
        return self.lines[min(max(rendered_line, 1), len(self.lines)) - 1]

    def origin(self, rendered_line: int) -> Origin | None:
        if not self.origins:
            return None
        return self.origins[min(max(rendered_line, 1), len(self.origins)) - 1]

    def where(self, rendered_line: int, source_display: str) -> tuple[str, int, str]:
        """(path as shown, line, context) of a rendered line: the file the author wrote it in, and the
        include lines that brought it into the source (empty for the source's own lines)."""
        origin = self.origin(rendered_line)
        if origin is None or not self.files:
            return source_display, self.source_line(rendered_line), ""
        return self.display(origin.file, source_display), origin.line, self.context(origin, source_display)

    def display(self, file: int, source_display: str) -> str:
        return source_display if file == 0 or file >= len(self.files) else display_path(self.files[file])

    def context(self, origin: Origin, source_display: str) -> str:
        """「a.md:3 ← doc.md:12 で取り込み」: the chain of lines that brought an included line in."""
        chain = []
        via = origin.via
        while via is not None:
            chain.append(f"{self.display(via.file, source_display)}:{via.line}")
            via = via.via
        return f"{' ← '.join(chain)} で取り込み" if chain else ""


def environment(root: Path) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        comment_start_string=COMMENT_START,
        comment_end_string=COMMENT_END,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_TRAILING_COMMENT = re.compile(r"(?m)(?<=\S)([ \t]*" + re.escape(COMMENT_START) + r"[^\n]*?)(?<!\+)" + re.escape(COMMENT_END) + r"[ \t]*$")


def keep_line_breaks(body: str) -> str:
    """A comment that ends a line of text must not swallow the line break (trim_blocks would): ``+##}``."""
    return _TRAILING_COMMENT.sub(lambda m: m.group(1) + "+" + COMMENT_END, body)


_INCLUDE = re.compile(r"\{%[-+]?\s*include\b")


def mark_lines(body: str, first_line: int, file: int = 0) -> str:
    """Prefix each line that starts with literal text, an expression or an include with a marker of its
    file and line."""
    spans = [m.span() for m in _TAG.finditer(body)]
    out: list[str] = []
    pos, span_index, line_no = 0, 0, first_line
    for line in body.split("\n"):
        end = pos + len(line)
        while span_index < len(spans) and spans[span_index][1] <= pos:
            span_index += 1
        inside = span_index < len(spans) and spans[span_index][0] < pos
        next_tag = spans[span_index][0] if span_index < len(spans) else len(body)
        literal = line[: max(0, min(end, next_tag) - pos)]
        expression = not literal.strip() and line.lstrip().startswith("{{")
        # what an include brings in is placed at the include's own line
        include = _INCLUDE.match(line) is not None
        if not inside and (literal.strip() or expression or include):
            out.append(f"{_MARK_OPEN}{file}.{line_no}{_MARK_CLOSE}{line}")
        else:
            out.append(line)
        pos, line_no = end + 1, line_no + 1
    return "\n".join(out)


def unmark(text: str, fallback: int) -> tuple[str, tuple[Origin, ...]]:
    """Remove markers; each output line maps to its first marker, else to the last one seen.

    A marker that wrote nothing before the next one (an include's own line, a line holding only a macro
    call) gives way to it and becomes its context, ``via``; the later lines of that file keep the context.
    """
    lines: list[str] = []
    origins: list[Origin] = []
    last = Origin(0, fallback)
    sites: dict[int, Origin] = {}  # file → the line that brought it in most recently
    for line in text.split("\n"):
        chosen: Origin | None = None
        written_after = 0  # end of the chosen marker: text between it and the next marker is what it wrote
        for found in _MARK.finditer(line):
            if found.group(3) is not None:  # an included file starts here
                sites[int(found.group(3))] = chosen or last
                continue
            file = int(found.group(1))
            if chosen is not None and file != chosen.file and not _MARK.sub("", line[written_after : found.start()]).strip():
                sites[file] = chosen
                chosen = None
            if chosen is None:
                chosen = Origin(file, int(found.group(2)), sites.get(file) if file else None)
                written_after = found.end()
        if chosen is not None:
            last = chosen
        origins.append(last)
        lines.append(_MARK.sub("", line))
    return "\n".join(lines), tuple(origins)


def template_line(exc: BaseException, name: str) -> int:
    """The template line Jinja2 recorded for an error raised while rendering."""
    line = getattr(exc, "lineno", None) or 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def failing_file(exc: BaseException, files: list[Path]) -> tuple[int, int]:
    """(file, line) of the innermost template frame of an error: an included or imported file when the error
    is in one, else the source."""
    names = {str(path): index for index, path in enumerate(files)}
    found = (0, getattr(exc, "lineno", None) or 0)
    tb = exc.__traceback__
    while tb is not None:
        index = names.get(tb.tb_frame.f_code.co_filename)
        if index is not None:
            found = (index, tb.tb_lineno)
        tb = tb.tb_next
    return found


class _MarkingLoader(jinja2.BaseLoader):
    """The environment's loader, with every file it loads marked line by line like the source, so that what
    an include or a macro brings in maps back to the file and line where it was written."""

    def __init__(self, inner: jinja2.BaseLoader, files: list[Path]):
        self.inner, self.files = inner, files

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        text, filename, uptodate = self.inner.get_source(environment, template)
        path = Path(filename) if filename else Path(template)
        if path not in self.files:
            self.files.append(path)
        index = self.files.index(path)
        return f"{_FILE_OPEN}{index}{_MARK_CLOSE}" + mark_lines(keep_line_breaks(text), 1, index), filename, uptodate


_BLOCK_TAG = re.compile(r"\{%[-+]?\s*(\w+)")
_OPENERS = {"for", "if", "macro", "call", "filter", "block", "raw", "with", "autoescape", "trans"}


def unclosed_block(body: str, first_line: int) -> tuple[int, str] | None:
    """(line, tag) of the innermost block a template opens and never closes ({% for %} without {% endfor %})."""
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(body.split("\n"), start=first_line):
        for found in _BLOCK_TAG.finditer(line):
            tag = found.group(1)
            if tag in _OPENERS or (tag == "set" and "=" not in line[found.end() :].split("%}")[0]):
                stack.append((number, tag))
            elif tag.startswith("end") and stack and stack[-1][1] == tag[3:]:
                stack.pop()
    return stack[-1] if stack else None


def _undefined(source: Source, exc: Exception, variables: Mapping[str, Any]) -> str:
    text = str(exc)
    name = re.search(r"'([^']+)' is undefined", text)
    if name:
        close = difflib.get_close_matches(name.group(1), [str(k) for k in variables], n=1)
        hint = f"{close[0]} のことですか？" if close else "フロントマターで定義してください"
        return f"変数 {name.group(1)} が定義されていません（{hint}）"
    attribute = re.search(r"'([^']+)' has no attribute '([^']+)'", text)
    if attribute:
        return f"値（{attribute.group(1).replace(' object', '')}）に {attribute.group(2)} という項目はありません（フロントマターの構造を確認してください）"
    return f"未定義の値を使っています（{text}）"


@dataclass(frozen=True)
class _Failed:
    """The template file an error is in: the source's body, or an included or imported file."""

    display: str
    body: str
    first_line: int


def _in_file(source: Source, files: list[Path], index: int) -> _Failed:
    if index == 0 or index >= len(files):
        return _Failed(source.display, source.body, source.body_line)
    try:
        text = files[index].read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    return _Failed(display_path(files[index]), text, 1)


def _error(source: Source, exc: Exception, line: int, variables: Mapping[str, Any] | None = None, failed: _Failed | None = None) -> DocumentError:
    failed = failed or _Failed(source.display, source.body, source.body_line)
    shown = failed.display
    if isinstance(exc, jinja2.UndefinedError):
        return DocumentError.at(shown, line, _undefined(source, exc, variables or {}), "template-undefined")
    if isinstance(exc, jinja2.TemplateNotFound):
        if (source.path.parent / str(exc.name)).exists():  # the loader refuses paths that leave the source's folder
            message = f"取り込むファイル {exc.name} はソースのフォルダの外にあるため取り込めません"
        else:
            message = f"取り込むファイル {exc.name} が見つかりません（ソースのフォルダからの相対パスで書いてください）"
        return DocumentError.at(shown, line, message, "include-missing")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        nesting = re.search(r"unknown tag '(\w+)'.*needs to be closed is '(\w+)'", exc.message or "", re.S)
        if nesting:
            message = f"{{% {nesting.group(1)} %}} の前に {{% {nesting.group(2)} %}} を {{% end{nesting.group(2)} %}} で閉じてください（入れ子の誤り）"
            return DocumentError.at(shown, line, message, "template-syntax")
        opened = unclosed_block(failed.body, failed.first_line) if "end of template" in (exc.message or "") else None
        if opened:
            message = f"{{% {opened[1]} %}} が閉じられていません（{{% end{opened[1]} %}} が必要です）"
            return DocumentError.at(shown, opened[0], message, "template-syntax")
        return DocumentError.at(shown, line, f"テンプレートの構文エラー: {exc.message}", "template-syntax")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return DocumentError.at(shown, line, f"テンプレートから許されない操作をしています: {exc}", "template-security")
    return DocumentError.at(shown, line, f"テンプレートの評価に失敗しました: {exc}", "template-error")


def render_body(source: Source, variables: Mapping[str, Any], fmt: str) -> Rendered:
    env = environment(source.path.parent)
    files = [source.path]  # file 0 is the source; the loader adds each file it loads
    env.loader = _MarkingLoader(env.loader, files) if env.loader else None
    # pad with blank lines so that template line numbers are file line numbers
    padded = "\n" * (source.body_line - 1) + mark_lines(keep_line_breaks(source.body), source.body_line)
    try:
        template = env.from_string(padded)
        template.filename = str(source.path)
        text = template.render({**variables, "format": fmt})
    except jinja2.TemplateSyntaxError as exc:
        index = files.index(Path(exc.filename)) if exc.filename and Path(exc.filename) in files else 0
        raise _error(source, exc, exc.lineno, failed=_in_file(source, files, index)) from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        index, line = failing_file(exc, files)
        raise _error(source, exc, line, variables, _in_file(source, files, index)) from None
    text, origins = unmark(text, source.body_line)
    # drop the padding lines again
    pad = source.body_line - 1
    text = "\n".join(text.split("\n")[pad:])
    origins = origins[pad:]
    return Rendered(fmt, text, tuple(o.outermost().line for o in origins), tuple(files), origins)


def render_front(source: Source) -> dict[str, Any]:
    """Front-matter strings may use other front-matter values: title: "{{ fiscal_year }} 年次報告"."""
    env = environment(source.path.parent)
    rendered: dict[str, Any] = {}
    for key, value in source.front.items():
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            try:
                rendered[key] = env.from_string(value).render(dict(source.front))
            except jinja2.TemplateError as exc:
                raise _error(source, exc, front_key_line(source, key)) from None
        else:
            rendered[key] = value
    return rendered


def front_key_line(source: Source, key: str) -> int:
    for index, line in enumerate(source.front_text.split("\n")):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return index + 2
    return 1
