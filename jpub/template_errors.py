"""What went wrong while a source's template rendered, said as one diagnostic at the line written.

The line is the one in the file the author wrote: an error inside an included file is placed in that
file, a refused include at the ``{% include %}`` that asked for it. Only a recursion that never ends is
placed at its outermost call, where the author can break it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from jpub.backstops import TooSlow
from jpub.errors import DocumentError
from jpub.includes import IncludeRefused
from jpub.source import Source, display_path
from jpub.template_sandbox import TooLarge

# the failures a template can cause; anything else is a bug of ours and keeps its traceback
AUTHOR_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError, MemoryError, RecursionError, TooSlow)


def diagnose(
    source: Source, exc: BaseException, variables: Mapping[str, Any], *, front_line: int, reached: tuple[str, int] | None, seconds: float, included: list[Path]
) -> DocumentError:
    """The diagnostic for a failure while rendering. ``front_line`` is the line of the front-matter value that
    was the template (0 for the body); ``reached`` the (file, line) where the output stood, for a failure outside
    any template frame (the output grown too long, the deadline striking between two pieces of output);
    ``included`` the real paths included so far."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax(source, exc, front_line)
    path, at = _place(source, exc, included, first=isinstance(exc, RecursionError))
    if front_line:  # a front-matter value: its own line numbers mean nothing in the file
        path, at = source.display, front_line
    elif at == 0 and reached is not None:
        path, at = _shown(source, reached[0]), reached[1]
    message, rule = _describe(exc, variables, seconds)
    return DocumentError.at(path, at, message, rule)


def _describe(exc: BaseException, variables: Mapping[str, Any], seconds: float) -> tuple[str, str]:
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined(exc, variables), "template-undefined"
    if isinstance(exc, IncludeRefused):
        return str(exc), "include-refused"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"取り込むファイル {exc.name} が見つかりません（ソースのフォルダからの相対パスで書いてください）", "include-missing"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"テンプレートから許されない操作をしています: {exc}", "template-security"
    if isinstance(exc, TooLarge):
        return str(exc), "limit-size"
    if isinstance(exc, MemoryError):
        return "テンプレートの処理に必要なメモリが上限を超えました（値を繰り返し大きくしていないか確かめてください）", "limit-size"
    if isinstance(exc, TooSlow):
        return f"テンプレートの処理が {round(seconds, 1):g} 秒で終わりませんでした（ループの入れ子や繰り返しの回数を見直してください）", "limit-time"
    if isinstance(exc, RecursionError):
        message = "取り込みかマクロの呼び出しが深すぎます（ファイルが互いを取り込んでいないか、マクロが自分自身を呼び続けていないか確かめてください）"
        return message, "template-recursion"
    return f"テンプレートの評価に失敗しました: {exc}", "template-error"


def _place(source: Source, exc: BaseException, included: list[Path], first: bool) -> tuple[str, int]:
    """(file as shown, line) of the template frame that raised: the innermost, or with ``first`` the outermost."""
    files = {str(source.path)} | {str(path) for path in included}
    found: tuple[str, int] | None = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in files:
            found = (filename, tb.tb_lineno)
            if first:
                break
        tb = tb.tb_next
    if found is None:
        return source.display, getattr(exc, "lineno", None) or 0
    return _shown(source, found[0]), found[1]


def _shown(source: Source, filename: str) -> str:
    return source.display if filename == str(source.path) else display_path(Path(filename))


def _syntax(source: Source, exc: jinja2.TemplateSyntaxError, line: int) -> DocumentError:
    in_include = exc.filename and exc.filename != str(source.path)
    path = display_path(Path(exc.filename)) if in_include and exc.filename else source.display
    at = line or exc.lineno
    nesting = re.search(r"unknown tag '(\w+)'.*needs to be closed is '(\w+)'", exc.message or "", re.S)
    if nesting:
        message = f"{{% {nesting.group(1)} %}} の前に {{% {nesting.group(2)} %}} を {{% end{nesting.group(2)} %}} で閉じてください（入れ子の誤り）"
        return DocumentError.at(path, at, message, "template-syntax")
    opened = unclosed_block(source) if "end of template" in (exc.message or "") and not in_include and not line else None
    if opened:
        message = f"{{% {opened[1]} %}} が閉じられていません（{{% end{opened[1]} %}} が必要です）"
        return DocumentError.at(path, opened[0], message, "template-syntax")
    return DocumentError.at(path, at, f"テンプレートの構文エラー: {exc.message}", "template-syntax")


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


def _undefined(exc: jinja2.UndefinedError, variables: Mapping[str, Any]) -> str:
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
