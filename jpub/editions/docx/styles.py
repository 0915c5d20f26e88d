"""Word styles from data (templates/docx/styles.yaml), set through python-docx's style API.

python-docx writes what it has an API for (fonts' Latin names, size, weight, colour, alignment, spacing,
indents, keeps, page breaks, tab stops); ``ooxml`` adds the rest (East Asian font, language, outline
level, Japanese line breaking, borders, the table style's rules).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.styles.styles import Styles

from jpub import page_flow, page_templates
from jpub.editions.docx import ooxml
from jpub.editions.docx.ooxml import el as el
from jpub.editions.docx.ooxml import w as w
from jpub.errors import DocumentError
from jpub.settings import Settings
from jpub.source import display_path

TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}
KIND = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER, "table": WD_STYLE_TYPE.TABLE}


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


def text_width_twips(landscape: bool = False) -> int:
    """The measure: the page's width (its height on a landscape page) less the side margins."""
    page = data()["page"]
    width = page["height"] if landscape else page["width"]
    return round(float(width - page["margins"]["left"] - page["margins"]["right"]) * TWIPS_PER_MM)


def chars(value: float) -> int:
    """Characters of the body size, in twips."""
    return round(value * float(data()["defaults"]["size"]) * TWIPS_PER_PT)


DISPLAY_STYLES = ("Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "Heading5")  # broken between phrases
TOC_STYLES = ("TOC1", "TOC2", "TOC3", "TOC4")  # the 目次's entries, whose cached titles are broken the same way


def line_measures() -> dict[str, float]:
    """The line length of each display style, in em of its own size (its indents taken off the measure)."""
    size = float(data()["defaults"]["size"])
    out = {}
    for spec in data()["styles"]:
        if spec["id"] in DISPLAY_STYLES + TOC_STYLES:
            own = float(spec.get("size", size))
            indents = chars(spec.get("left", 0)) + chars(spec.get("right", 0)) + chars(max(spec.get("first", 0), 0))
            out[spec["id"]] = (text_width_twips() - indents) / (own * TWIPS_PER_PT)
    return out


def set_run_format(style: CharacterStyle, spec: Mapping[str, Any], fonts: Fonts) -> None:
    """Fonts for every script (no theme fonts), weight, colour, size, underline, ja-JP."""
    font = style.font
    if "font" in spec:
        font.name = fonts.role(spec["font"])
    if "bold" in spec:
        font.bold = bool(spec["bold"])
    if "color" in spec:
        font.color.rgb = RGBColor.from_string(spec["color"])
    if "size" in spec:
        font.size = Pt(spec["size"])
    if spec.get("underline"):
        font.underline = True
    rpr = style.element.get_or_add_rPr()
    if "font" in spec:
        ooxml.set_east_asian_font(rpr, fonts.role(spec["font"]))
    ooxml.set_complex_script(rpr, spec.get("bold"), half_points(spec["size"]) if "size" in spec else None)
    ooxml.set_language(rpr)


def set_paragraph_format(style: ParagraphStyle, spec: Mapping[str, Any]) -> None:
    """Keeps, page break, spacing, indents, alignment, the 目次's dotted tab; Japanese line breaking."""
    fmt = style.paragraph_format
    for key, name in (("keep_next", "keep_with_next"), ("keep_lines", "keep_together"), ("page_break", "page_break_before")):
        if key in spec:
            setattr(fmt, name, bool(spec[key]))
    if spec.get("toc_tab"):
        fmt.tab_stops.add_tab_stop(Twips(text_width_twips()), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.MIDDLE_DOT)  # ･･･ as 3点リーダー
    if "before" in spec:
        fmt.space_before = Twips(pt(spec["before"]))
    if "after" in spec:
        fmt.space_after = Twips(pt(spec["after"]))
    if "line" in spec:
        fmt.line_spacing = Twips(pt(spec["line"]))
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    if "left" in spec:
        fmt.left_indent = Twips(chars(spec["left"]))
    if "right" in spec:
        fmt.right_indent = Twips(chars(spec["right"]))
    if "first" in spec:  # the first line's indent: 1 = 字下げ, negative = hanging
        fmt.first_line_indent = Twips(chars(spec["first"]))
    if "align" in spec:
        fmt.alignment = ALIGN[spec["align"]]
    ppr = style.element.get_or_add_pPr()
    for side in ("left", "bottom"):
        if f"border_{side}" in spec:  # a rule, its width in pt, in the style's border colour
            ooxml.set_border(ppr, side, spec[f"border_{side}"], spec.get("border_color", "000000"), spec.get("border_space", 2))
    if "box" in spec:  # every paragraph of a box has the same border and shading: Word draws one box round them
        box = data()["boxes"][spec["box"]]
        for side in box["sides"]:
            ooxml.set_border(ppr, side, box["border"], box["color"], box["space"])
        ooxml.set_shading(ppr, box["fill"])
    # explicit in every style: LibreOffice 7.4 reads an implicit overflowPunct as "hang 、。 into the margin"
    ooxml.set_paragraph_flag(ppr, "overflowPunct", True)
    ooxml.set_paragraph_flag(ppr, "snapToGrid", False)  # Yu fonts would take two pitches of a line grid
    if "outline" in spec:
        ooxml.set_outline_level(ppr, spec["outline"])


def resolve(spec: Mapping[str, Any], chapter: int, flow: Mapping[str, str]) -> Mapping[str, Any]:
    """A style's data for this document: ``page_break: flow`` breaks where the page flow starts a new page (a
    recto is started by its section break: a page break before would add a blank page after it)."""
    if spec.get("page_break") == "flow":
        return {**spec, "page_break": page_flow.unit_flow(spec["outline"] + 1, chapter, flow) == page_flow.NEW_PAGE}
    return spec


def _ensure(styles: Styles, by_id: dict[str, BaseStyle], spec: Mapping[str, Any]) -> BaseStyle:
    """The style with this id, made (empty) if the part has none."""
    style = by_id.get(spec["id"])
    if style is None:
        # python-docx leaves Styles.add_style unannotated (its other calls here are typed): hence the ignore
        style = styles.add_style(spec["name"], KIND[spec.get("type", "paragraph")])  # type: ignore[no-untyped-call]
        style.style_id = spec["id"]
        by_id[spec["id"]] = style
    return style


def _fresh(styles: Styles, by_id: dict[str, BaseStyle], spec: Mapping[str, Any]) -> CharacterStyle:
    """The style with this id, emptied (the data defines it whole), or a new one."""
    style = _ensure(styles, by_id, spec)
    assert isinstance(style, CharacterStyle), spec["id"]  # paragraph, character and table styles
    for child in list(style.element):
        style.element.remove(child)
    ooxml.set_custom(style.element, bool(spec.get("custom")))
    style.name = spec["name"]
    style.quick_style = True
    return style


def define(styles: Styles, by_id: dict[str, BaseStyle], spec: Mapping[str, Any], fonts: Fonts) -> CharacterStyle:
    style = _fresh(styles, by_id, spec)
    if "based" in spec:
        style.base_style = by_id[spec["based"]]
    if "next" in spec and isinstance(style, ParagraphStyle):
        style.next_paragraph_style = by_id[spec["next"]]
    if isinstance(style, ParagraphStyle) and spec.get("type", "paragraph") == "paragraph":
        set_paragraph_format(style, spec)
    set_run_format(style, spec, fonts)
    ooxml.remove_numbering(style.element)
    return style


def table_style(styles: Styles, by_id: dict[str, BaseStyle], fonts: Fonts, compact: bool = False) -> None:
    """The table style pandoc names on every table: ruled cells, a shaded header row in Gothic. ``compact``: the
    same at the smaller size, for a table whose words would not fit (jpub/editions/docx/tables.py)."""
    spec = data()["table"]
    ids = {"id": "TableCompact", "name": spec["compact_name"]} if compact else {"id": "Table", "name": "Table"}
    style = _fresh(styles, by_id, {**ids, "type": "table"})
    assert isinstance(style, ParagraphStyle)  # python-docx's table style has a paragraph and a run format
    if not compact:
        style.element.set(w("default"), "1")  # the table style of every table pandoc writes
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.alignment = Twips(0), Twips(0), WD_ALIGN_PARAGRAPH.LEFT
    set_run_format(style, {"size": spec["compact_size" if compact else "size"]}, fonts)
    sizes = spec["compact_padding" if compact else "padding"]
    padding = {side: round(sizes[side] * TWIPS_PER_MM) for side in ("top", "left", "bottom", "right")}
    header = spec["header"]
    ooxml.set_table_rules(style.element, spec["border"], spec["border_color"], padding)
    ooxml.set_first_row(style.element, fonts.role(header["font"]), header["bold"], header["fill"])


COLOUR_STYLE_PREFIX = "TextColor"  # jpub/editions/docx/body.py: colour_style


def restyle(styles: Styles, fonts: Fonts, chapter: int, flow: Mapping[str, str], extra: Sequence[Mapping[str, Any]] = ()) -> None:
    """Make a styles part Japanese and ours: docDefaults, every style's fonts, the styles from the data and the
    ``extra`` ones (the colour styles a document uses).

    ``chapter`` is the heading level of 章 in the document (1 without 部, 2 with); ``flow`` the page flow.
    """
    defaults = data()["defaults"]
    ooxml.set_doc_defaults(styles.element, fonts.role(defaults["font"]), half_points(defaults["size"]), pt(defaults["line"]), pt(defaults["after"]))
    ooxml.remove_revision_ids(styles.element)
    by_id = {style.style_id: style for style in styles}
    sans = {spec["id"] for spec in data()["styles"] if spec.get("font") == "sans"}
    for style_id, style in by_id.items():
        # not a list style, which has no fonts; nor a colour style (文字色 …), which changes the colour alone —
        # with a face it would set a heading's words in 明朝
        if isinstance(style, CharacterStyle) and not style_id.startswith(COLOUR_STYLE_PREFIX):
            face = fonts.sans if style_id in sans or style_id.removesuffix("Char") in sans else fonts.serif
            style.font.name = face
            rpr = style.element.get_or_add_rPr()
            ooxml.set_east_asian_font(rpr, face)
            ooxml.set_language(rpr)
    specs = [*data()["styles"], *extra]
    for spec in specs:  # every style first: one may name a later one as its base or next
        _ensure(styles, by_id, spec)
    for spec in specs:
        define(styles, by_id, resolve(spec, chapter, flow), fonts)
    table_style(styles, by_id, fonts)
    table_style(styles, by_id, fonts, compact=True)
