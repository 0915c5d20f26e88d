"""Raw HTML in the source, judged against an allowlist: a piece that holds anything else is dropped whole.

The judge is nh3 (the ammonia sanitiser): it reads a piece as a browser does (html5ever) and keeps only
the tags and attributes of its allowlist. The piece is read twice — once keeping everything it holds,
once under the policy — and if the two differ, something was not allowed and the piece is refused.
Both readings are html5ever's, so a disguise (entity-encoded schemes, ``/`` between attributes, a tab in
``javascript:``) is read the same way in both and cannot slip between two parsers.

Raw ``<img>`` (and ``srcset``) is refused: an image is written ``![alt](path)``, which every edition
embeds and checks. Links follow ``links.link_refusal``; ``style`` may set a few typographic properties.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

from jpub.links import link_refusal

TAGS = set(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
_GENERIC = {"class", "id", "lang", "dir", "title", "style"}
ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items() if tag in TAGS} | {"*": _GENERIC}
_URL_ATTRIBUTES = {"href", "cite"}
STYLE_PROPERTIES = {"color", "background-color", "font-weight", "font-style", "font-size", "font-family", "text-decoration", "text-align"}
STYLE_PROPERTIES |= {"vertical-align", "white-space", "letter-spacing", "line-height", "text-indent", "text-emphasis", "text-combine-upright"}
IMAGE_HINT = "画像は ![図の説明](ファイル名) の形で書いてください"

_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][^\s/>\x00]*)")
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.\-])([A-Za-z][A-Za-z0-9+.\-]*):")  # tried at a run's start only: linear
_PLAIN_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _allowed_url(tag: str, attribute: str, value: str) -> str | None:
    return None if attribute in _URL_ATTRIBUTES and link_refusal(value) else value


def refusal(raw: str) -> str:
    """What the policy refuses in a piece of raw HTML ('' when nothing): the whole piece is then dropped."""
    decoded = html.unescape(raw)
    names = {found.lower() for text in (raw, decoded) for found in _TAG_NAME.findall(text)}
    if any(not _PLAIN_NAME.match(name) for name in names):
        return "読み取れない記述"
    # every scheme a browser could read, tabs and line breaks inside it removed as it does
    schemes = {found.lower() for found in _SCHEME.findall(_CONTROL.sub("", decoded))} | {"http", "https", "mailto"}
    try:
        everything = nh3.clean(
            raw,
            tags=names | TAGS,
            clean_content_tags=set(),
            attributes={"*": set()},
            generic_attribute_prefixes={""},
            url_schemes=schemes,
            link_rel=None,
            strip_comments=False,
        )
        allowed = nh3.clean(
            raw,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
            attribute_filter=_allowed_url,
            filter_style_properties=STYLE_PROPERTIES,
        )
    except BaseException as exc:  # noqa: BLE001 - nh3 raises (even panics) on what it cannot read; refuse it
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return "読み取れない記述"
    return _difference(_start_tags(everything), _start_tags(allowed))


Tag = tuple[str, dict[str, str]]


class _StartTags(HTMLParser):
    """The start tags of html5ever's serialisation (well formed, so any parser reads it the same)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: _normal(name, value or "") for name, value in attrs}))

    handle_startendtag = handle_starttag


def _normal(name: str, value: str) -> str:
    """A style as a set of declarations: nh3 rewrites the ones it keeps (``color: red`` → ``color:red``)."""
    if name != "style":
        return value
    declarations = (part.split(":", 1) for part in value.split(";") if ":" in part)
    return ";".join(sorted(f"{key.strip().lower()}:{val.strip()}" for key, val in declarations))


def _start_tags(fragment: str) -> list[Tag]:
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def _difference(everything: list[Tag], allowed: list[Tag]) -> str:
    """What the policy took out, said for the author ('' when nothing)."""
    if everything == allowed:
        return ""
    for tag, attributes in everything:  # an image in any form first: it has a place of its own
        if tag in ("img", "picture", "source") or "srcset" in attributes:
            return f"画像（<{tag}>{' の srcset' if 'srcset' in attributes else ''}）（{IMAGE_HINT}）"
    kept = iter(allowed)
    for tag, attributes in everything:
        if tag not in TAGS:
            return f" <{tag}> "
        survivor = next(kept, None)
        if survivor is None or survivor[0] != tag:
            return f" <{tag}> "
        for name, value in attributes.items():
            if survivor[1].get(name) == value:
                continue
            if name == "rel" and "attachment" in value.lower():
                return "添付ファイル（rel=attachment）"
            if name.startswith("on"):
                return f"イベント属性（{name}）"
            if name in _URL_ATTRIBUTES:
                return f"リンク先 {value[:60]}（{link_refusal(value) or '許可されていない URL'}）"
            if name == "style":
                return "style 属性の許可されていない指定"
            return f"属性 {name}"
    return "許可されていない記述" if next(kept, None) is not None else ""
