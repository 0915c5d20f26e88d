"""Publishing settings: defaults in one place, read strictly from the front matter's ``publish`` key."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from jpub.errors import DocumentError
from jpub.page_flow import PAGE_FLOWS, RUN_ON

SEVERITIES = ("off", "warning", "error")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-2b", "none")


@dataclass(frozen=True)
class Settings:
    serif_font: str = "Noto Serif CJK JP"  # PDF body (明朝)
    sans_font: str = "Noto Sans CJK JP"  # PDF headings (ゴシック)
    mono_font: str = "Noto Sans Mono CJK JP"  # PDF code (等幅)
    docx_serif_font: str = "游明朝"  # Word body: what Japanese Windows and Office for Mac ship
    docx_sans_font: str = "游ゴシック"
    toc_depth: int = 0  # heading level the 目次 goes down to; 0 = the level of 章
    pdf_variant: str = "pdf/ua-1"
    crop_marks: bool = False  # crop marks and 3 mm bleed for the printer
    docx_header: bool = True  # running header with the current 部 and 章 in the Word edition
    page_flow: str = RUN_ON  # where 章 start in print and Word: run-on, new-page or recto (部 always on a new page)
    checks: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Settings)}


def _line_of(key: str, yaml_text: str, publish_line: int) -> int:
    """The file line of ``key:`` inside the publish block (the publish line when it cannot be found)."""
    lines = yaml_text.split("\n")
    for index in range(max(publish_line - 1, 0), len(lines)):
        if re.match(rf"\s+{re.escape(key)}\s*:", lines[index]):
            return index + 2  # +1 for 1-based, +1 for the opening ---
    return publish_line


def from_front_matter(front: Mapping[str, Any], path: str, line: int = 1, yaml_text: str = "") -> Settings:
    """Build Settings from ``publish:``; an unknown key names the valid ones and the closest match."""
    raw = front.get("publish") or {}
    if not isinstance(raw, dict):
        raise DocumentError.at(path, line, "publish: にはキーと値の組を書いてください", "settings")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = _KEYS.get(str(key))
        at = _line_of(str(key), yaml_text, line)
        if name is None:
            valid = ", ".join(sorted(_KEYS))
            close = difflib.get_close_matches(str(key), list(_KEYS), n=1)
            hint = f"{close[0]} のことですか？ " if close else ""
            raise DocumentError.at(path, at, f"publish: に不明なキー {key!r} があります（{hint}有効なキー: {valid}）", "settings")
        values[name] = _validate(name, value, path, at)
    return Settings(**values)


def _validate(name: str, value: Any, path: str, line: int) -> Any:
    default = getattr(Settings(), name)
    if name == "checks":
        if isinstance(value, dict):  # YAML reads an unquoted off as false
            value = {k: "off" if v is False else v for k, v in value.items()}
        if not isinstance(value, dict) or any(v not in SEVERITIES for v in value.values()):
            raise DocumentError.at(path, line, f"publish.checks は「規則ID: {' | '.join(SEVERITIES)}」の形です", "settings")
        return MappingProxyType({str(k): str(v) for k, v in value.items()})
    if name == "pdf_variant" and value not in PDF_VARIANTS:
        raise DocumentError.at(path, line, f"pdf-variant は {', '.join(PDF_VARIANTS)} のいずれかです（{value!r}）", "settings")
    if name == "page_flow" and value not in PAGE_FLOWS:
        raise DocumentError.at(path, line, f"page-flow は {', '.join(PAGE_FLOWS)} のいずれかです（{value!r}）", "settings")
    if name == "toc_depth" and (type(value) is not int or not 1 <= value <= 6):
        raise DocumentError.at(path, line, f"toc-depth は 1 から 6 の整数で書いてください（{value!r}）", "settings")
    if type(value) is not type(default):
        raise DocumentError.at(path, line, f"publish.{name.replace('_', '-')} は {type(default).__name__} で書いてください（{value!r}）", "settings")
    return value


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """Command-line options win over the front matter."""
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
