"""Rendering the Jinja2 body per edition, keeping a map from rendered lines back to source lines.

Each source line that starts with literal text gets an invisible marker carrying its file and line
number; after rendering, the markers are read off and removed. Lines produced by a loop therefore map
to the loop body, lines after a removed ``{% if %}`` block keep their own numbers, and what an
``{% include %}`` or a macro from an ``{% import %}`` brings in maps to the file and line where it was
written, with the line that brought it in kept as context.

Rendering is bounded: includes come only from the source's folder (jpub/includes.py), every value is
size-checked as it is made (jpub/template_sandbox.py), the output is counted as it streams, and a
deadline and a memory ceiling stop what slips past (jpub/backstops.py).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from jpub import backstops, template_errors, template_sandbox
from jpub.diagnostics import included_via
from jpub.errors import DocumentError
from jpub.includes import SourceFolderLoader
from jpub.limits import LIMITS
from jpub.source import Source, display_path, unwritable, unwritable_message
from jpub.template_sandbox import BoundedSandbox

COMMENT_START, COMMENT_END = "{##", "##}"  # Jinja's own {# would swallow pandoc's {#id}

_MARK_OPEN, _MARK_CLOSE, _FILE_OPEN = "\ue000", "\ue001", "\ue002"
# a line marker (file.line), or the marker that starts an included file's text (file)
_MARK = re.compile(f"{_MARK_OPEN}(\\d+)\\.(\\d+){_MARK_CLOSE}|{_FILE_OPEN}(\\d+){_MARK_CLOSE}")
_CLOSER = {"{{": "}}", "{%": "%}", COMMENT_START: COMMENT_END}


def _at(text: str, mark: str) -> list[int]:
    """Every offset where ``mark`` starts, overlapping ones too."""
    found, at = [], text.find(mark)
    while at != -1:
        found.append(at)
        at = text.find(mark, at + 1)
    return found


def tag_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of every {{ … }}, {% … %} and {## … ##}: each opener to the next closer of its kind; an
    opener never closed is no tag. Linear (a regex ``{{.*?}}`` scans to the end of the text from each
    unclosed ``{{``: 20,000 of them took 15 s)."""
    openers = sorted((at, mark) for mark in _CLOSER for at in _at(body, mark))
    closers = {mark: _at(body, closer) for mark, closer in _CLOSER.items()}
    spans, end = [], 0
    for at, mark in openers:
        if at < end:
            continue
        ends = closers[mark]
        index = bisect.bisect_left(ends, at + len(mark))
        if index < len(ends):
            end = ends[index] + len(_CLOSER[mark])
            spans.append((at, end))
    return spans


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
    includes: tuple[Path, ...] = ()  # the real path of every file the rendering included or imported

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
        """The chain of lines that brought an included line in (diagnostics.included_via)."""
        chain = []
        via = origin.via
        while via is not None:
            chain.append((self.display(via.file, source_display), via.line))
            via = via.via
        return included_via(chain)


def environment(source: Source) -> BoundedSandbox:
    """The sandbox a source renders in: includes only from the source's folder, every value size-checked."""
    return BoundedSandbox(
        loader=SourceFolderLoader(source.path.parent, source.path),
        undefined=jinja2.StrictUndefined,
        comment_start_string=COMMENT_START,
        comment_end_string=COMMENT_END,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def keep_line_breaks(body: str) -> str:
    """A comment that ends a line of text must not swallow the line break (trim_blocks would): ``+##}``.

    Line by line with str.find: a regex for "text, then {## … ##} at the line's end" scanned to the line's
    end from every {## (100,000 of them on one line took minutes)."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        end = len(line.rstrip(" \t")) - len(COMMENT_END)
        if end < 0 or line[end:].rstrip(" \t") != COMMENT_END or line[end - 1 : end] == "+":
            continue
        text_starts = len(line) - len(line.lstrip())
        opened = line.find(COMMENT_START, text_starts + 1)  # a comment after some text on the line
        if opened != -1 and opened + len(COMMENT_START) <= end:
            lines[index] = line[:end] + "+" + COMMENT_END
    return "\n".join(lines)


_INCLUDE = re.compile(r"\{%[-+]?\s*include\b")


def mark_lines(body: str, first_line: int, file: int = 0) -> str:
    """Prefix each line that starts with literal text, an expression or an include with a marker of its
    file and line."""
    spans = tag_spans(body)
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


def render_body(source: Source, variables: Mapping[str, Any], fmt: str) -> Rendered:
    env = environment(source)
    files = [source.path]  # file 0 is the source; the marking loader adds each file it loads
    env.loader = _MarkingLoader(env.loader, files) if env.loader else None
    # pad with blank lines so that template line numbers are file line numbers
    padded = "\n" * (source.body_line - 1) + mark_lines(keep_line_breaks(source.body), source.body_line)
    text = _render(source, env, padded, {**variables, "format": fmt}, 0, variables)
    text, origins = unmark(text, source.body_line)
    # drop the padding lines again
    pad = source.body_line - 1
    text = "\n".join(text.split("\n")[pad:])
    origins = origins[pad:]
    lines = tuple(o.outermost().line for o in origins)
    return Rendered(fmt, text, lines, tuple(files), origins, tuple(_loaded(env)))


_NAMES_FORMAT = re.compile(r"\bformat\b")


def render_bodies(source: Source, variables: Mapping[str, Any], formats: Iterable[str]) -> dict[str, Rendered]:
    """The body rendered for each of ``formats``. A template reaches a variable only by its name, so when
    neither the source nor any file its rendering read names ``format``, every format renders the same
    text, by the same path: the first rendering stands for all (a large source renders once, not three
    times). Any mention of the word — in text too — renders each format again, as before."""
    renderings: dict[str, Rendered] = {}
    for fmt in formats:
        first = next(iter(renderings.values()), None)
        if first is not None and not _names_format(source, first):
            renderings[fmt] = dataclasses.replace(first, format=fmt)
        else:
            renderings[fmt] = render_body(source, variables, fmt)
    return renderings


def _names_format(source: Source, rendered: Rendered) -> bool:
    if _NAMES_FORMAT.search(source.body):
        return True
    for path in rendered.includes:
        try:
            if _NAMES_FORMAT.search(path.read_text(encoding="utf-8", errors="replace")):
                return True
        except OSError:
            return True
    return False


def render_front(source: Source) -> dict[str, Any]:
    """Front-matter strings may use other front-matter values: title: "{{ fiscal_year }} 年次報告"."""
    env = environment(source)
    rendered: dict[str, Any] = {}
    for key, value in source.front.items():
        if key in _SET_AS_TEXT:
            _check_length(source, key, value)
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            rendered[key] = _render(source, env, value, dict(source.front), front_key_line(source, key), source.front)
            bad = unwritable(rendered[key])  # {{ "\x01" }} makes what the YAML could not hold
            if bad:
                raise DocumentError.at(source.display, front_key_line(source, key), unwritable_message(key, bad), "front-matter")
            if key in _SET_AS_TEXT:
                _check_length(source, key, rendered[key])
        else:
            rendered[key] = value
    return rendered


def _render(source: Source, env: BoundedSandbox, text: str, context: dict[str, Any], line: int, variables: Mapping[str, Any]) -> str:
    """The template's output, counted as it streams: past the size limit it stops at the line it has reached.
    ``line`` is where the text stands in the file when its own lines are not the file's (a front-matter value)."""
    seconds = LIMITS.render_seconds(len(source.body) + len(source.front_text))
    chunks: list[str] = []
    size = 0
    stream = None
    try:
        with backstops.deadline(seconds), backstops.memory_ceiling():
            template = _compiled(source, env, text, line)
            template.filename = str(source.path)
            stream = template.generate(context)
            for chunk in stream:
                chunks.append(chunk)
                size += len(chunk)
                if size > LIMITS.max_bytes:
                    message = f"テンプレートの出力が大きすぎます（{LIMITS.max_bytes:,} 文字を超えました。ループや取り込みを見直してください）"
                    raise template_sandbox.TooLarge(message)
    except template_errors.AUTHOR_ERRORS as exc:
        reached = _suspended_at(stream) if stream is not None else None
        raise template_errors.diagnose(source, exc, variables, front_line=line, reached=reached, seconds=seconds, included=_loaded(env)) from None
    return "".join(chunks)


def _loaded(env: BoundedSandbox) -> list[Path]:
    """The real paths of the files the environment's loader has given out so far."""
    loader = env.loader.inner if isinstance(env.loader, _MarkingLoader) else env.loader
    return loader.loaded if isinstance(loader, SourceFolderLoader) else []


def _compiled(source: Source, env: BoundedSandbox, text: str, line: int) -> jinja2.Template:
    """The template, or an error at the first unclosed {{ or {% when they nest too deep for Jinja2's parser."""
    try:
        return env.from_string(text)
    except RecursionError:
        spans = tag_spans(text)
        unclosed = next((m.start() for m in re.finditer(r"\{\{|\{%", text) if not any(a <= m.start() < b for a, b in spans)), 0)
        at = line or text.count("\n", 0, unclosed) + 1
        message = "{{ や {% が閉じられないまま深く重なっていて読めません（}} や %} の閉じ忘れを確かめてください）"
        raise DocumentError.at(source.display, at, message, "template-syntax") from None


def _suspended_at(stream: Iterator[str]) -> tuple[str, int] | None:
    """(template file, line) where a template's output stream stands: the place to report a limit that was
    crossed between two pieces of output."""
    found = None
    frame_of: Any = stream
    while frame_of is not None:
        frame = getattr(frame_of, "gi_frame", None)
        template = frame.f_globals.get("__jinja_template__") if frame is not None else None
        if template is not None and frame is not None:
            found = (template.filename or "", template.get_corresponding_lineno(frame.f_lineno))
        frame_of = getattr(frame_of, "gi_yieldfrom", None)
    return found


# metadata set on the cover, in running heads and in the files' properties; laying a very long title out
# on the cover costs time growing faster than its length, and no title needs a thousand characters
_SET_AS_TEXT = ("title", "subtitle", "author", "subject", "keywords")
MAX_TITLE = 1_000


def _check_length(source: Source, key: str, value: Any) -> None:
    length = len(str(value))
    if length > MAX_TITLE:
        message = f"{key} が長すぎます（{length:,} 文字、上限 {MAX_TITLE:,}）"
        raise DocumentError.at(source.display, front_key_line(source, key), message, "front-matter")


def front_key_line(source: Source, key: str) -> int:
    for index, line in enumerate(source.front_text.split("\n")):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return index + 2
    return 1
