"""What the Word edition makes of the body's divs and spans before pandoc writes it: styles, not direct
formatting, so an editor changes every コラム or every red word at once.

- ``::: column`` / ``::: note``: their paragraphs in the box styles (コラム本文, 注記本文; the title line in
  コラム見出し, 注記見出し), whose common border and shading Word draws as one box around them;
- the notes under a table in 表の注;
- a ``[文字]{style="color:…"}`` span in a character style of that colour (文字色 C00000);
- a ``::: landscape`` block between two section breaks: the section they close is laid out landscape by
  jpub/editions/docx/sections.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jpub.blocks import BOX_TITLE, TABLE_NOTES
from jpub.colours import span_colour
from jpub.editions.docx.front import style_name
from jpub.pandoc_ast import Block

LANDSCAPE = "landscape"
# the sectPr of a paragraph that ends a section: pgSz says which (sections.py completes the rest)
PORTRAIT_BREAK = '<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr></w:p>'
LANDSCAPE_BREAK = '<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr></w:pPr></w:p>'
_BOX_STYLES = {"column": ("ColumnTitle", "ColumnText"), "note": ("NoteTitle", "NoteText")}


@dataclass
class Styled:
    colours: list[str] = field(default_factory=list)  # the colours of the character styles used, in order


def colour_style(hex_colour: str) -> dict[str, Any]:
    """The character style of one colour, as styles.yaml would write it."""
    return {"id": f"TextColor{hex_colour}", "name": f"文字色 {hex_colour}", "type": "character", "color": hex_colour, "custom": True}


def _with_style(attr: list[Any], name: str) -> list[Any]:
    ident, classes, attributes = attr
    return [ident, classes, [*[kv for kv in attributes if kv[0] != "custom-style"], ["custom-style", name]]]


def _raw(xml: str) -> Block:
    return {"t": "RawBlock", "c": ["openxml", xml]}


def styled_blocks(blocks: list[Block], found: Styled, box: str = "") -> list[Block]:
    """The blocks with the Word styles named (a new list; the input is left as it was)."""
    out: list[Block] = []
    for block in blocks:
        kind = block["t"]
        if kind == "Div":
            attr, content = block["c"]
            classes = attr[1]
            if LANDSCAPE in classes:
                out += [_raw(PORTRAIT_BREAK), *styled_blocks(content, found, box), _raw(LANDSCAPE_BREAK)]
                continue
            kinds = [name for name in _BOX_STYLES if name in classes]
            if kinds:
                inner = styled_blocks(content, found, kinds[0])
                out.append({"t": "Div", "c": [_with_style(attr, style_name(_BOX_STYLES[kinds[0]][1])), inner]})
            elif BOX_TITLE in classes and box:
                out.append({"t": "Div", "c": [_with_style(attr, style_name(_BOX_STYLES[box][0])), styled_inlines(content, found)]})
            elif TABLE_NOTES in classes:
                out.append({"t": "Div", "c": [_with_style(attr, style_name("TableNote")), styled_inlines(content, found)]})
            else:
                out.append({"t": "Div", "c": [attr, styled_blocks(content, found, box)]})
        else:
            out.append(styled_inlines(block, found))
    return out


def styled_inlines(node: Any, found: Styled) -> Any:
    """Colour spans in their character style, anywhere in ``node`` (a copy)."""
    if isinstance(node, list):
        return [styled_inlines(item, found) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("t") == "Span":
        colour = span_colour(node["c"][0])
        if colour is not None:
            if colour.hex not in found.colours:
                found.colours.append(colour.hex)
            return {"t": "Span", "c": [_with_style(node["c"][0], colour_style(colour.hex)["name"]), styled_inlines(node["c"][1], found)]}
    if node.get("t") == "Div":
        return {"t": "Div", "c": [node["c"][0], styled_blocks(node["c"][1], found)]}
    return {key: styled_inlines(value, found) for key, value in node.items()}
