"""Numbering schemes for figures and tables: ``図{chapter}-{n}``, ``図表{part}-{chapter}-{n}``, ``表{n}``.

A scheme is literal text with placeholders: ``{part}``, ``{chapter}``, ``{section}`` stand for the number of
the enclosing 第N部/章/節 and ``{n}`` for the running number. The deepest unit named is the counter's scope:
``図{chapter}-{n}`` restarts at every 章, ``表{n}`` runs through the document. The literal text, stripped of
punctuation, is the label: what Word's SEQ field and 図表目次 call the series (図, 表, 図表).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDERS = {"part": "部", "chapter": "章", "section": "節", "n": ""}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NOT_LABEL = re.compile(r"[^\w]|_|\d")


class SchemeError(ValueError):
    """A scheme that cannot number anything; the message is for the author."""


@dataclass(frozen=True)
class Scheme:
    text: str  # as written: 図{chapter}-{n}

    @functools.cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(_PLACEHOLDER.findall(self.text))

    @functools.cached_property
    def units(self) -> tuple[str, ...]:
        """The units it names, outermost first (部, 章)."""
        return tuple(PLACEHOLDERS[f] for f in PLACEHOLDERS if f != "n" and f in self.fields)

    @property
    def scope(self) -> str | None:
        """The unit at whose every heading the running number restarts; None: through the document."""
        return self.units[-1] if self.units else None

    @property
    def label(self) -> str:
        return _NOT_LABEL.sub("", _PLACEHOLDER.sub("", self.text))

    def around(self, values: Mapping[str, int]) -> tuple[str, str]:
        """(text before the running number, text after it) with the units' numbers filled in: ("図1-", "")."""
        before, _, after = self.text.partition("{n}")

        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda m: str(values.get(PLACEHOLDERS[m.group(1)], 0)), text)

        return fill(before), fill(after)


def parse(text: str) -> Scheme:
    """A scheme from ``publish:``, or SchemeError saying what is wrong with it."""
    scheme = Scheme(text)
    unknown = [f for f in scheme.fields if f not in PLACEHOLDERS]
    if unknown:
        raise SchemeError(f"{{{unknown[0]}}} は使えません（{{part}} {{chapter}} {{section}} {{n}} が使えます）")
    if scheme.fields.count("n") != 1:
        raise SchemeError("{n}（通し番号）をちょうど 1 つ含めてください")
    if len(set(scheme.fields)) != len(scheme.fields):
        raise SchemeError("同じ {…} が 2 回あります")
    if not scheme.label:
        raise SchemeError("図・表などの見出し語を含めてください（例: 図{chapter}-{n}）")
    return scheme


def written(label: str, parts: int, has_parts: bool, separator: str) -> Scheme:
    """The scheme a hand-written number follows: 図1 → 図{n}; 図1-2 → 図{chapter}-{n}; 図1-2-3 → 図{part}-{chapter}-{n}
    in a document with 部, else 図{chapter}-{section}-{n}."""
    names = {1: ["n"], 2: ["chapter", "n"], 3: ["part", "chapter", "n"] if has_parts else ["chapter", "section", "n"]}[parts]
    return Scheme(label + separator.join(f"{{{name}}}" for name in names))
