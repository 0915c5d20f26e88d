"""SVG figures set in the document's faces.

An SVG names its faces in ``font-family`` attributes, ``style`` attributes and ``<style>`` sheets, often
generically (``sans-serif``) or not at all. Left so, each renderer picks its own default — WeasyPrint took
DejaVu Sans, which the print edition may not embed, and a figure's kanji may come out in a Chinese face.
Here every family an SVG names is replaced by the edition's face for it: a generic family by the face of
its kind, a configured face kept, any other family by the sans face and reported (``foreign``). The root
gets the sans face and ``xml:lang="ja"`` as defaults, so text that names no face is set in it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import tinycss2
from lxml import etree
from tinycss2.ast import DimensionToken, IdentToken, LiteralToken, Node, NumberToken, PercentageToken, StringToken

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_GENERIC = {
    "sans-serif": "sans",
    "serif": "serif",
    "monospace": "mono",
    "system-ui": "sans",
    "ui-sans-serif": "sans",
    "ui-serif": "serif",
    "ui-monospace": "mono",
    "cursive": "sans",
    "fantasy": "sans",
}
_SIZE_KEYWORDS = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large", "larger", "smaller"}


@dataclass(frozen=True)
class Faces:
    """The font-family lists (CSS) an edition sets figures in, one per kind of face."""

    sans: str
    serif: str
    mono: str

    @classmethod
    def named(cls, sans: str, serif: str, mono: str, fallback: bool = False) -> Faces:
        """One face of each kind; with ``fallback`` its generic family after it, for readers that lack the face."""

        def listed(face: str, generic: str) -> str:
            return f"'{face}', {generic}" if fallback else f"'{face}'"

        return cls(listed(sans, "sans-serif"), listed(serif, "serif"), listed(mono, "monospace"))

    def family(self, name: str) -> tuple[str, str | None]:
        """(the family list to set, the foreign name replaced or None)."""
        kinds = {"sans": self.sans, "serif": self.serif, "mono": self.mono}
        kind = _GENERIC.get(name.casefold())
        if kind is not None:
            return kinds[kind], None
        for value in kinds.values():
            if name.casefold() in (known.casefold() for known in families(value)):
                return value, None
        return self.sans, name


@dataclass(frozen=True)
class Rewritten:
    data: bytes
    foreign: tuple[str, ...]  # families the SVG names that are neither generic nor the edition's, in order


def families(value: str) -> list[str]:
    """The names in a font-family value: quoted strings and runs of identifiers, comma-separated."""
    names: list[str] = []
    current: list[str] = []
    for token in tinycss2.parse_component_value_list(value):
        if _is_literal(token, ","):
            names.append(" ".join(current))
            current = []
        elif isinstance(token, (StringToken, IdentToken)):
            current.append(token.value)
    names.append(" ".join(current))
    return [name.strip() for name in names if name.strip()]


def _is_literal(token: Node, value: str) -> bool:
    return isinstance(token, LiteralToken) and token.value == value


class _Rewriter:
    def __init__(self, faces: Faces):
        self.faces = faces
        self.foreign: list[str] = []

    def family_value(self, value: str) -> str:
        """A font-family value with the first family mapped (the rest were the SVG's own fallbacks)."""
        names = families(value)
        if not names:
            return value
        mapped, foreign = self.faces.family(names[0])
        if foreign and foreign not in self.foreign:
            self.foreign.append(foreign)
        return mapped

    def font_value(self, value: str) -> str:
        """The ``font`` shorthand with its family part (after the size and optional /line-height) mapped."""
        tokens = [t for t in tinycss2.parse_component_value_list(value) if t.type not in ("whitespace", "comment")]
        for index, token in enumerate(tokens):
            if isinstance(token, (DimensionToken, PercentageToken, NumberToken)) or (isinstance(token, IdentToken) and token.lower_value in _SIZE_KEYWORDS):
                rest = index + 1
                if rest < len(tokens) and _is_literal(tokens[rest], "/"):
                    rest += 2
                head = " ".join(tinycss2.serialize([t]) for t in tokens[:rest])
                return f"{head} {self.family_value(tinycss2.serialize(tokens[rest:]))}"
        return value

    def declarations(self, text: str) -> str:
        out = []
        for item in tinycss2.parse_blocks_contents(text, skip_whitespace=True, skip_comments=True):
            if item.type != "declaration":
                out.append(tinycss2.serialize([item]))
                continue
            value = tinycss2.serialize(item.value).strip()
            if item.lower_name == "font-family":
                value = self.family_value(value)
            elif item.lower_name == "font":
                value = self.font_value(value)
            important = " !important" if item.important else ""
            out.append(f"{item.name}: {value}{important};")
        return " ".join(out)

    def sheet(self, text: str) -> str:
        out = []
        for rule in tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True):
            if rule.type == "qualified-rule":
                out.append(f"{tinycss2.serialize(rule.prelude).strip()} {{ {self.declarations(tinycss2.serialize(rule.content))} }}")
            else:
                out.append(tinycss2.serialize([rule]))
        return "\n".join(out)


def _parse(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    return root if etree.QName(root).localname == "svg" else None


def set_faces(data: bytes, faces: Faces) -> Rewritten:
    """The SVG with every family it names set in ``faces``; an SVG that does not parse is left as it is."""
    root = _parse(data)
    if root is None:
        return Rewritten(data, ())
    rewriter = _Rewriter(faces)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if family := element.get("font-family"):
            element.set("font-family", rewriter.family_value(family))
        if style := element.get("style"):
            element.set("style", rewriter.declarations(style))
        if etree.QName(element).localname == "style" and element.text:
            element.text = rewriter.sheet(element.text)
    if not root.get("font-family"):
        root.set("font-family", faces.family("sans-serif")[0])
    if root.get(XML_LANG) is None and root.get("lang") is None:
        root.set(XML_LANG, "ja")
    return Rewritten(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), tuple(rewriter.foreign))


def foreign_families(data: bytes, known: tuple[str, ...]) -> tuple[str, ...]:
    """The families an SVG names that are neither generic nor one of ``known`` (the configured faces)."""
    listed = ", ".join(f"'{name}'" for name in known) or "sans-serif"
    return set_faces(data, Faces(listed, listed, listed)).foreign
