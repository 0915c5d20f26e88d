"""Word style definitions as data (templates/docx/styles.yaml) turned into WordprocessingML.

Every element is written in the order the schema requires, since Word rejects files that break it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from jpub import page_templates
from jpub.errors import DocumentError
from jpub.settings import Settings
from jpub.source import display_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4
LANG = "ja-JP"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def el(tag: str, attrs: Mapping[str, Any] | None = None, *children: etree._Element) -> etree._Element:
    """A w: element with w: attributes (values stringified) and children."""
    node = etree.Element(w(tag), {w(k): str(v) for k, v in (attrs or {}).items()}, nsmap={"w": W})
    node.extend(children)
    return node


DEFINITIONS = "docx/styles.yaml"
# The folder of the source being rendered: its templates/docx/styles.yaml, if it has one, replaces jpub's.
_source_folder: contextvars.ContextVar[Path | None] = contextvars.ContextVar("docx_source_folder", default=None)


@contextlib.contextmanager
def definitions_for(source_folder: Path) -> Iterator[None]:
    """Within this block ``data()`` reads the style definitions in force for a source in ``source_folder``."""
    token = _source_folder.set(source_folder)
    try:
        yield
    finally:
        _source_folder.reset(token)


def data() -> dict[str, Any]:
    folder = _source_folder.get()
    path = page_templates.path(DEFINITIONS, folder) if folder else page_templates.packaged() / DEFINITIONS
    return _load(path, path.stat().st_mtime_ns)


@functools.cache
def _load(path: Path, _mtime: int) -> dict[str, Any]:
    """A document's own styles.yaml replaces jpub's whole: it must hold every section of it."""
    shown = display_path(path)
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DocumentError.at(shown, mark.line + 1 if mark else 0, f"Word のスタイル定義の YAML が不正です: {exc}", "page-template") from None
    sections: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    missing = [key for key in ("defaults", "page", "bullets", "fonts", "styles", "table") if key not in sections]
    if missing:
        message = f"Word のスタイル定義に {', '.join(missing)} がありません（jpub の {DEFINITIONS} を写して直してください）"
        raise DocumentError.at(shown, 0, message, "page-template")
    return sections


@dataclass(frozen=True)
class Fonts:
    serif: str
    sans: str

    @classmethod
    def of(cls, settings: Settings) -> Fonts:
        return cls(settings.docx_serif_font, settings.docx_sans_font)

    def role(self, name: str) -> str:
        return {"serif": self.serif, "sans": self.sans}[name]


def pt(value: float) -> int:
    return round(value * TWIPS_PER_PT)


def half_points(value: float) -> int:
    return round(value * 2)


def text_width_twips() -> int:
    page = data()["page"]
    return round((page["width"] - page["margins"]["left"] - page["margins"]["right"]) * TWIPS_PER_MM)


def chars(value: float) -> int:
    """Characters of the body size, in twips."""
    return round(value * data()["defaults"]["size"] * TWIPS_PER_PT)


def run_properties(spec: Mapping[str, Any], fonts: Fonts) -> etree._Element:
    """w:rPr: explicit fonts for every script (no theme fonts), then weight, colour, size, language."""
    rpr = el("rPr")
    if "font" in spec:
        face = fonts.role(spec["font"])
        rpr.append(el("rFonts", {"ascii": face, "hAnsi": face, "eastAsia": face, "cs": face}))
    if "bold" in spec:
        value = "1" if spec["bold"] else "0"
        rpr.extend([el("b", {"val": value}), el("bCs", {"val": value})])
    if "color" in spec:
        rpr.append(el("color", {"val": spec["color"]}))
    if "size" in spec:
        rpr.extend([el("sz", {"val": half_points(spec["size"])}), el("szCs", {"val": half_points(spec["size"])})])
    if spec.get("underline"):
        rpr.append(el("u", {"val": "single"}))
    rpr.append(el("lang", {"val": LANG, "eastAsia": LANG}))
    return rpr


def spacing(spec: Mapping[str, Any]) -> etree._Element | None:
    attrs: dict[str, Any] = {}
    if "before" in spec:
        attrs["before"] = pt(spec["before"])
    if "after" in spec:
        attrs["after"] = pt(spec["after"])
    if "line" in spec:
        attrs.update(line=pt(spec["line"]), lineRule="atLeast")
    return el("spacing", attrs) if attrs else None


def box_properties(box: Mapping[str, Any]) -> list[etree._Element]:
    """w:pBdr and w:shd of a box style: every paragraph of a box has the same, so Word draws one box round them."""
    edge = {"val": "single", "sz": round(box["border"] * 8), "space": box["space"], "color": box["color"]}
    sides = [el(side, edge) for side in ("top", "left", "bottom", "right") if side in box["sides"]]
    return [el("pBdr", None, *sides), el("shd", {"val": "clear", "color": "auto", "fill": box["fill"]})]


def paragraph_properties(spec: Mapping[str, Any]) -> etree._Element:
    ppr = el("pPr")
    for key, tag in (("keep_next", "keepNext"), ("keep_lines", "keepLines"), ("page_break", "pageBreakBefore")):
        if key in spec:
            ppr.append(el(tag, {"val": "1" if spec[key] else "0"}))
    if spec.get("border_bottom"):
        ppr.append(el("pBdr", None, el("bottom", {"val": "single", "sz": 6, "space": 2, "color": "000000"})))
    if "box" in spec:
        ppr.extend(box_properties(data()["boxes"][spec["box"]]))
    if spec.get("toc_tab"):
        ppr.append(el("tabs", None, el("tab", {"val": "right", "leader": "dot", "pos": text_width_twips()})))
    ppr.append(el("overflowPunct", {"val": "1"}))  # explicit in every style: see doc_defaults
    ppr.append(el("snapToGrid", {"val": "0"}))  # never snap to a line grid: Yu fonts would take two grid lines
    found = spacing(spec)
    if found is not None:
        ppr.append(found)
    indent = {k: chars(spec[k]) for k in ("left", "right") if k in spec}
    if indent:
        ppr.append(el("ind", indent))
    if "align" in spec:
        ppr.append(el("jc", {"val": spec["align"]}))
    if "outline" in spec:
        ppr.append(el("outlineLvl", {"val": spec["outline"]}))
    return ppr


def style(spec: Mapping[str, Any], fonts: Fonts) -> etree._Element:
    kind = spec.get("type", "paragraph")
    attrs = {"type": kind, "styleId": spec["id"]}
    if spec.get("custom"):
        attrs["customStyle"] = "1"
    node = el("style", attrs, el("name", {"val": spec["name"]}))
    if "based" in spec:
        node.append(el("basedOn", {"val": spec["based"]}))
    if "next" in spec:
        node.append(el("next", {"val": spec["next"]}))
    node.append(el("qFormat"))
    if kind == "paragraph":
        node.append(paragraph_properties(spec))
    node.append(run_properties(spec, fonts))
    return node


def doc_defaults(fonts: Fonts) -> etree._Element:
    spec = data()["defaults"]
    # w:overflowPunct written out as Word's default (on). LibreOffice 7.4 reads an explicit "on" as no hanging
    # punctuation; left implicit, it hangs 、。 into the margin and its PDF export loses them.
    ppr = el("pPr", None, el("overflowPunct", {"val": "1"}), el("snapToGrid", {"val": "0"}), spacing(spec))
    return el("docDefaults", None, el("rPrDefault", None, run_properties(spec, fonts)), el("pPrDefault", None, ppr))


def _border(size: float, color: str) -> dict[str, Any]:
    return {"val": "single", "sz": round(size * 8), "space": 0, "color": color}


def table_style(fonts: Fonts, compact: bool = False) -> etree._Element:
    """The table style pandoc names on every table: ruled cells, a shaded header row in Gothic. ``compact``: the
    same at the smaller size, for a table whose words would not fit (jpub/editions/docx/tables.py)."""
    spec = data()["table"]
    edge = _border(spec["border"], spec["border_color"])
    borders = el("tblBorders", None, *(el(side, edge) for side in ("top", "left", "bottom", "right", "insideH", "insideV")))
    padding = spec["compact_padding" if compact else "padding"]
    margins = el("tblCellMar", None, *(el(side, {"w": round(padding[side] * TWIPS_PER_MM), "type": "dxa"}) for side in ("top", "left", "bottom", "right")))
    header = spec["header"]
    first_row = el(
        "tblStylePr",
        {"type": "firstRow"},
        el("rPr", None, *run_properties({"font": header["font"], "bold": header["bold"]}, fonts)[:-1]),
        el("tcPr", None, el("shd", {"val": "clear", "color": "auto", "fill": header["fill"]})),
    )
    attrs = {"type": "table", "styleId": "TableCompact"} if compact else {"type": "table", "default": "1", "styleId": "Table"}
    return el(
        "style",
        attrs,
        el("name", {"val": spec["compact_name"] if compact else "Table"}),
        el("basedOn", {"val": "TableNormal"}),
        el("qFormat"),
        el("pPr", None, el("spacing", {"before": 0, "after": 0}), el("jc", {"val": "left"})),
        run_properties({"size": spec["compact_size" if compact else "size"]}, fonts),
        el("tblPr", None, borders, margins),
        first_row,
    )
