"""Publishing settings: defaults in one place, read strictly from the front matter's ``publish`` key."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Literal

from jpub import item_numbers
from jpub.crossref import scheme
from jpub.errors import DocumentError
from jpub.page_flow import DEFAULT_PAGE_FLOW, PAGE_FLOW_UNITS, PAGE_FLOWS, SHORTHANDS

RuleSetting = Literal["off", "warning", "error"]  # what publish.checks may set a rule to
SEVERITIES: tuple[RuleSetting, ...] = ("off", "warning", "error")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-2b", "none")
COLUMN_NUMBERING = ("none", "document", "chapter")  # コラム / コラム1 / コラム2-1
LINK_URLS = ("footnote", "after", "none")  # where the print edition prints a link's URL


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
    docx_header: bool = True  # running heads with the current 部 and 章 in the Word edition
    column_numbering: str = "none"  # how ::: column boxes are numbered (COLUMN_NUMBERING)
    pdf_link_urls: str = "footnote"  # paper cannot be clicked: a link's URL as a footnote, after its text, or not
    figure_number: str = ""  # numbering scheme of figures (図{chapter}-{n}); "" = numbers written by hand
    table_number: str = ""  # of tables; the same text as figure_number makes one series (図表)
    list_of_figures: bool = False  # a 図表目次 after the 目次
    pdf_reference_page: bool = False  # print edition: a reference says its target's page (図1-2（p.5）)
    checks: Mapping[str, RuleSetting] = field(default_factory=lambda: MappingProxyType({}))
    numbering: tuple[str, ...] = ()  # the document's own order of item numbers below 第N項, outermost first
    page_flow: Mapping[str, str] = field(default_factory=lambda: DEFAULT_PAGE_FLOW)  # {part|chapter: new-page|recto|run-on}


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Settings)}


def _line_of(key: str, yaml_text: str, publish_line: int) -> int:
    """The file line of ``key:`` inside the publish block (the publish line when it cannot be found)."""
    lines = yaml_text.split("\n")
    for index in range(max(publish_line - 1, 0), len(lines)):
        if re.match(rf"\s+{re.escape(key)}\s*:", lines[index]):
            return index + 2  # +1 for 1-based, +1 for the opening ---
    return publish_line


def _nested_line_of(key: str, yaml_text: str, parent_line: int) -> int:
    """The file line of ``key:`` in the block under the setting written at ``parent_line`` (that line when the
    block is written inline, ``{part: run-on}``, or the key cannot be found)."""
    lines = yaml_text.split("\n")
    parent = lines[parent_line - 2] if 2 <= parent_line <= len(lines) + 1 else ""
    indent = len(parent) - len(parent.lstrip())
    for index in range(parent_line - 1, len(lines)):
        line = lines[index]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if re.match(rf"\s+{re.escape(key)}\s*:", line):
            return index + 2
    return parent_line


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
        values[name] = _page_flow(value, path, at, yaml_text) if name == "page_flow" else _validate(name, value, path, at)
    figures, tables = values.get("figure_number", ""), values.get("table_number", "")
    if figures and tables and figures != tables and scheme.parse(figures).label == scheme.parse(tables).label:
        label = scheme.parse(figures).label
        message = f"figure-number と table-number が同じ見出し語「{label}」の別々の番号列です（同じ書式で 1 つの番号列にするか、見出し語を分けてください）"
        raise DocumentError.at(path, _line_of("table-number", yaml_text, line), message, "settings")
    return Settings(**values)


def _page_flow(value: Any, path: str, line: int, yaml_text: str) -> Mapping[str, str]:
    """``{part: …, chapter: …}`` over the defaults, or one word for both (jpub/page_flow.py); an unknown unit or
    flow is an error at its own line."""
    shape = f"page-flow は {', '.join(PAGE_FLOWS)} のいずれか、または「{' | '.join(PAGE_FLOW_UNITS)}: {' | '.join(PAGE_FLOWS)}」の形です"
    if isinstance(value, str) and value in SHORTHANDS:
        return SHORTHANDS[value]
    if not isinstance(value, dict):
        raise DocumentError.at(path, line, f"{shape}（{value!r}）", "settings")
    flow = dict(DEFAULT_PAGE_FLOW)
    for unit, where in value.items():
        at = _nested_line_of(str(unit), yaml_text, line)
        if unit not in PAGE_FLOW_UNITS:
            close = difflib.get_close_matches(str(unit), PAGE_FLOW_UNITS, n=1)
            hint = f"{close[0]} のことですか？ " if close else ""
            raise DocumentError.at(path, at, f"page-flow に不明なキー {unit!r} があります（{hint}{shape}）", "settings")
        if where not in PAGE_FLOWS:
            raise DocumentError.at(path, at, f"page-flow の {unit} は {', '.join(PAGE_FLOWS)} のいずれかです（{where!r}）", "settings")
        flow[unit] = where
    return MappingProxyType(flow)


def _validate(name: str, value: Any, path: str, line: int) -> Any:
    default = getattr(Settings(), name)
    if name == "checks":
        if isinstance(value, dict):  # YAML reads an unquoted off as false
            value = {k: "off" if v is False else v for k, v in value.items()}
        if not isinstance(value, dict) or any(v not in SEVERITIES for v in value.values()):
            raise DocumentError.at(path, line, f"publish.checks は「規則ID: {' | '.join(SEVERITIES)}」の形です", "settings")
        return MappingProxyType({str(k): str(v) for k, v in value.items()})
    if name == "numbering":
        entries = value if isinstance(value, list) else None
        wrong = [e for e in entries or [None] if not isinstance(e, str) or item_numbers.level_of(e) is None]
        if wrong:
            example = "[第1, 1, （1）, ア, （ア）, a, （a）]"
            raise DocumentError.at(
                path, line, f"publish.numbering は上の階層から順に各階層の最初の番号を並べたリスト（{example}）のはずが {wrong[0]!r}", "settings"
            )
        return tuple(entries or ())
    if name == "pdf_variant" and value not in PDF_VARIANTS:
        raise DocumentError.at(path, line, f"pdf-variant は {', '.join(PDF_VARIANTS)} のいずれかです（{value!r}）", "settings")
    for key, allowed in (("column_numbering", COLUMN_NUMBERING), ("pdf_link_urls", LINK_URLS)):
        if name == key and value not in allowed:
            raise DocumentError.at(path, line, f"{key.replace('_', '-')} は {', '.join(allowed)} のいずれかです（{value!r}）", "settings")
    if name == "toc_depth" and (type(value) is not int or not 1 <= value <= 6):
        raise DocumentError.at(path, line, f"toc-depth は 1 から 6 の整数で書いてください（{value!r}）", "settings")
    if name in ("figure_number", "table_number") and isinstance(value, str) and value:
        try:
            scheme.parse(value)
        except scheme.SchemeError as exc:
            raise DocumentError.at(path, line, f"publish.{name.replace('_', '-')} の書式 {value!r}: {exc}", "settings") from None
    if type(value) is not type(default):
        raise DocumentError.at(path, line, f"publish.{name.replace('_', '-')} は {type(default).__name__} で書いてください（{value!r}）", "settings")
    return value


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """Command-line options win over the front matter."""
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
