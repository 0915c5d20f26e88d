"""Comparing what an edition must contain with what was read back: diagnostics that name the edition's file
and, where the source has the text, the source line."""

from __future__ import annotations

import bisect
import difflib
import re
from pathlib import Path

from jpub.diagnostics import Diagnostic
from jpub.publication import Document
from jpub.verify.text import ReadHeading, normalise

MAX_TEXT_REPORTS = 20  # per edition; the rest are counted


_MARKUP = re.compile(r"[*_`\\|#>]")


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(src_display: str, document: Document | None, text: str, heading: bool) -> str:
    """「（原稿 file:line）」: the source line of the heading, or of the first line holding the start of the text."""
    key = normalise(text)
    if not key or document is None:
        return ""
    lines = document.rendered.text.splitlines()
    for number, line in enumerate(lines, start=1):
        candidate = normalise(_MARKUP.sub("", line))
        if (candidate == key and line.startswith("#")) if heading else key[:12] in candidate:
            return f"（原稿 {src_display}:{document.rendered.source_line(number)}）"
    return ""


class Report:
    def __init__(self, path: Path, src_display: str, document: Document | None):
        self.path, self.src_display, self.document = str(path), src_display, document
        self.found: list[Diagnostic] = []

    def error(self, rule: str, message: str, text: str = "", heading: bool = False) -> None:
        """An error; ``text`` (a heading's when ``heading``) adds where the source has it."""
        where = _where(self.src_display, self.document, text, heading) if text else ""
        self.found.append(Diagnostic(self.path, 0, 0, "error", rule, message + where))


def _label(item: ReadHeading) -> str:
    return f"「{item.text}」（レベル{item.level}）"


def compare_lists(report: Report, rule: str, noun: str, want: tuple[ReadHeading, ...], got: list[ReadHeading]) -> None:
    """A readable diff of two heading lists: changed, missing and extra entries, in document order."""
    keys_want = [(h.level, normalise(h.text)) for h in want]
    keys_got = [(h.level, normalise(h.text)) for h in got]
    matcher = difflib.SequenceMatcher(a=keys_want, b=keys_got, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(a1 - a0, b1 - b0) if op == "replace" else 0
        for i in range(pairs):
            e, a = want[a0 + i], got[b0 + i]
            report.error(rule, f"{noun}が違います: 期待{_label(e)}、実際{_label(a)}", e.text, heading=True)
        for e in want[a0 + pairs : a1]:
            report.error(rule, f"{noun}がありません: 期待{_label(e)}", e.text, heading=True)
        for a in got[b0 + pairs : b1]:
            report.error(rule, f"余分な{noun}があります: {_label(a)}")


def _occurrences(haystack: str, needle: str, limit: int = 500) -> list[int]:
    found: list[int] = []
    at = haystack.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


_Link = tuple[int, "_Link | None"]  # a node of a chain: (needle index, the node before it)


def in_order(haystack: str, needles: list[str]) -> set[int]:
    """Indexes of the needles on a longest chain of occurrences in increasing position (patience sorting):
    one moved or missing text is then reported alone, not with everything after it."""
    tails: list[int] = []  # tails[k]: the smallest last position of a chain of length k + 1
    nodes: list[_Link] = []  # the node ending that chain
    for index, needle in enumerate(needles):
        for position in reversed(_occurrences(haystack, needle)):  # at most one occurrence per needle per chain
            k = bisect.bisect_left(tails, position)
            node = (index, nodes[k - 1] if k else None)
            if k == len(tails):
                tails.append(position)
                nodes.append(node)
            else:
                tails[k], nodes[k] = position, node
    chain: set[int] = set()
    link = nodes[-1] if nodes else None
    while link is not None:
        chain.add(link[0])
        link = link[1]
    return chain


def compare_texts(report: Report, want: tuple[str, ...], body: str, noun: str = "本文") -> None:
    """Every expected text, in source order, in the edition's text (whitespace removed on both sides).
    ``noun`` names what is compared in the messages: 本文, or 注の本文."""
    haystack = normalise(body)
    needles = [normalise(text) for text in want]
    chain = in_order(haystack, needles)
    problems = []
    for index, text in enumerate(want):
        if index in chain:
            continue
        if needles[index] in haystack:
            problems.append((f"{noun}が原稿の順序どおりの位置にありません: 「{short(text)}」", text))
        else:
            problems.append((f"{noun}がありません: 「{short(text)}」", text))
    for message, text in problems[:MAX_TEXT_REPORTS]:
        report.error("verify-text", message, text)
    if len(problems) > MAX_TEXT_REPORTS:
        report.error("verify-text", f"ほかに {len(problems) - MAX_TEXT_REPORTS} 件の{noun}が見つからないか順序が違います")
