"""What in a rendering is not prose: fenced and indented code blocks and HTML comments, which pandoc
does not print as text, and inline code. Prose rules skip code lines and read the others with inline
code and comments blanked out (same length, so columns still point into the line)."""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])[ \t]+(.*)$")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_OPEN, _CLOSE = "<!--", "-->"
BLANK = "\ufffc"
CODE_INDENT = 4  # columns of indentation that make an indented code block after a blank line


@dataclass(frozen=True)
class Region:
    code: bool  # the whole line is code or comment: prose rules skip it
    prose: str  # the line with inline code and comments blanked out


def _indent(text: str) -> int:
    width = 0
    for ch in text:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += CODE_INDENT - width % CODE_INDENT
        else:
            break
    return width


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + BLANK * (end - start) + text[end:]


def _comments(prose: str, inside: bool) -> tuple[str, bool]:
    """The line with <!-- … --> blanked out, and whether a comment is still open at its end."""
    pos = 0
    while pos < len(prose):
        if inside:
            end = prose.find(_CLOSE, pos)
            stop = len(prose) if end < 0 else end + len(_CLOSE)
            prose, pos, inside = _blank(prose, pos, stop), stop, end < 0
        else:
            start = prose.find(_OPEN, pos)
            if start < 0:
                break
            pos, inside = start, True
    return prose, inside


def classify(texts: list[str]) -> list[Region]:
    """Each line's Region. Indented code needs a blank line or code above it and no list around it
    (an indented line under a list item continues the item); a comment line is one that starts a
    comment or lies inside one, with nothing but comments on it."""
    regions: list[Region] = []
    fence, comment, in_list, after_blank, in_code = "", False, False, True, False
    for text in texts:
        blank, was_comment = not text.strip(), comment
        opened = None if comment else FENCE.match(text)
        if fence or opened:
            if fence and opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            elif not fence and opened:
                fence = opened.group(1)
                in_list = in_list and not (after_blank and _indent(text) == 0)
            regions.append(Region(True, text))
            after_blank, in_code = False, False
            continue
        if not comment and not blank and not in_list and (after_blank or in_code) and _indent(text) >= CODE_INDENT:
            regions.append(Region(True, text))
            after_blank, in_code = False, True
            continue
        prose, comment = _comments(_CODE_SPAN.sub(lambda m: BLANK * len(m.group(0)), text), comment)
        hidden = (was_comment or text.lstrip().startswith(_OPEN)) and not prose.replace(BLANK, "").strip()
        regions.append(Region(hidden, text if hidden else prose))
        if hidden:
            continue  # a comment line changes no block around it
        if not blank:
            if ITEM.match(text):
                in_list = True
            elif after_blank and _indent(text) == 0:
                in_list = False
            in_code = False
        after_blank = blank
    return regions
