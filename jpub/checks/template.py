"""Template and source errors that rendering does not raise: tags left in the text, missing images."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from jpub.checks.model import Finding, expected_found
from jpub.checks.view import Doc

_LEFTOVER = re.compile(r"\{\{|\{%|\{#(?!#)[^{}\n]*#\}")  # {# … #} is Jinja's usual comment, not this project's {## … ##}
_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+[\"'(][^)]*)?\s*\)")
# ![alt][label], ![label][] and ![label]: an image whose path is in a reference definition [label]: path
_IMAGE_REFERENCE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?(?!\()")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def leftover(doc: Doc) -> Iterator[Finding]:
    """{{ or {% still in a rendering (from {% raw %} or a value that contains braces); code is exempt."""
    for line in doc.lines:
        if line.code:
            continue
        for match in _LEFTOVER.finditer(line.prose):
            where = doc.at(line.index, match.start(), line.prose[match.start() : match.start() + 8].rstrip())
            if match.group(0).startswith("{#"):
                hint = "{# #} はコメントにならず出力にそのまま出ます"
                yield Finding(where, expected_found("コメントは", "{## … ##}", f"「{match.group(0)[:20]}」", hint))
            else:
                yield Finding(where, expected_found("本文は", "展開済みのテキスト", f"テンプレート記法「{match.group(0)}」", "出力にそのまま出ます"))


def image(doc: Doc) -> Iterator[Finding]:
    """An image ![](x.png), or ![](…)[label] with its [label]: x.png, whose file does not exist relative to the source."""
    labels = {(m.group(2) or m.group(1)).strip().lower() for line in doc.lines if not line.code for m in _IMAGE_REFERENCE.finditer(line.prose)}
    for line in doc.lines:
        if line.code:
            continue
        found = list(_IMAGE.finditer(line.prose)) if "![" in line.prose else []
        definition = _DEFINITION.match(line.prose)
        if definition and definition.group(1).strip().lower() in labels:
            found.append(definition)
        for match in found:
            target = match.group(match.lastindex or 1).strip("<>")
            if not target or _SCHEME.match(target) or target.startswith("#"):
                continue
            path = Path(unquote(target.split("#")[0].split("?")[0]))
            try:
                present = (doc.root / path).is_file()
            except (OSError, ValueError):
                present = False
            if not present:
                where = doc.at(line.index, match.start(), match.group(0))
                yield Finding(where, expected_found(f"画像 {target} は", "ソースからの相対パスにあるファイル", "見つかりません"))
