"""Rendering the Jinja2 body per edition, keeping a map from rendered lines back to source lines.

Each source line that starts with literal text gets an invisible marker carrying its line number;
after rendering, the markers are read off and removed. Lines produced by a loop therefore map to
the loop body, and lines after a removed ``{% if %}`` block keep their own numbers.
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
from jpub.source import Source

COMMENT_START, COMMENT_END = "{##", "##}"  # Jinja's own {# would swallow pandoc's {#id}

_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|" + re.escape(COMMENT_START) + ".*?" + re.escape(COMMENT_END), re.S)


@dataclass(frozen=True)
class Rendered:
    format: str
    text: str
    lines: tuple[int, ...]  # lines[i] = source line of rendered line i+1

    def source_line(self, rendered_line: int) -> int:
        if not self.lines:
            return 0
        return self.lines[min(max(rendered_line, 1), len(self.lines)) - 1]


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


def mark_lines(body: str, first_line: int) -> str:
    """Prefix each line that starts with literal text, an expression or an include with a marker of its line."""
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
            out.append(f"{_MARK_OPEN}{line_no}{_MARK_CLOSE}{line}")
        else:
            out.append(line)
        pos, line_no = end + 1, line_no + 1
    return "\n".join(out)


def unmark(text: str, fallback: int) -> tuple[str, tuple[int, ...]]:
    """Remove markers; each output line maps to its first marker, else to the last one seen."""
    lines, numbers, last = [], [], fallback
    for line in text.split("\n"):
        found = _MARK.search(line)
        if found:
            last = int(found.group(1))
        numbers.append(last)
        lines.append(_MARK.sub("", line))
    return "\n".join(lines), tuple(numbers)


def template_line(exc: BaseException, name: str) -> int:
    """The template line Jinja2 recorded for an error raised while rendering."""
    line = getattr(exc, "lineno", None) or 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_BLOCK_TAG = re.compile(r"\{%[-+]?\s*(\w+)")
_OPENERS = {"for", "if", "macro", "call", "filter", "block", "raw", "with", "autoescape", "trans"}


def unclosed_block(source: Source) -> tuple[int, str] | None:
    """(line, tag) of the innermost block the body opens and never closes ({% for %} without {% endfor %})."""
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
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


def _error(source: Source, exc: Exception, line: int, variables: Mapping[str, Any] | None = None) -> DocumentError:
    if isinstance(exc, jinja2.UndefinedError):
        return DocumentError.at(source.display, line, _undefined(source, exc, variables or {}), "template-undefined")
    if isinstance(exc, jinja2.TemplateNotFound):
        if (source.path.parent / str(exc.name)).exists():  # the loader refuses paths that leave the source's folder
            message = f"取り込むファイル {exc.name} はソースのフォルダの外にあるため取り込めません"
        else:
            message = f"取り込むファイル {exc.name} が見つかりません（ソースのフォルダからの相対パスで書いてください）"
        return DocumentError.at(source.display, line, message, "include-missing")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        nesting = re.search(r"unknown tag '(\w+)'.*needs to be closed is '(\w+)'", exc.message or "", re.S)
        if nesting:
            message = f"{{% {nesting.group(1)} %}} の前に {{% {nesting.group(2)} %}} を {{% end{nesting.group(2)} %}} で閉じてください（入れ子の誤り）"
            return DocumentError.at(source.display, line, message, "template-syntax")
        opened = unclosed_block(source) if "end of template" in (exc.message or "") else None
        if opened:
            message = f"{{% {opened[1]} %}} が閉じられていません（{{% end{opened[1]} %}} が必要です）"
            return DocumentError.at(source.display, opened[0], message, "template-syntax")
        return DocumentError.at(source.display, line, f"テンプレートの構文エラー: {exc.message}", "template-syntax")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return DocumentError.at(source.display, line, f"テンプレートから許されない操作をしています: {exc}", "template-security")
    return DocumentError.at(source.display, line, f"テンプレートの評価に失敗しました: {exc}", "template-error")


def render_body(source: Source, variables: Mapping[str, Any], fmt: str) -> Rendered:
    env = environment(source.path.parent)
    name = str(source.path)
    # pad with blank lines so that template line numbers are file line numbers
    padded = "\n" * (source.body_line - 1) + mark_lines(keep_line_breaks(source.body), source.body_line)
    try:
        template = env.from_string(padded)
        template.filename = name
        text = template.render({**variables, "format": fmt})
    except jinja2.TemplateSyntaxError as exc:
        raise _error(source, exc, exc.lineno) from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise _error(source, exc, template_line(exc, name), variables) from None
    text, lines = unmark(text, source.body_line)
    # drop the padding lines again
    pad = source.body_line - 1
    text = "\n".join(text.split("\n")[pad:])
    return Rendered(fmt, text, lines[pad:])


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
