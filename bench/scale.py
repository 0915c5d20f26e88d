"""Bigger documents for benchmarks: the numbered body repeated, renumbered so the numbering stays valid.

The body from the first top-level numbered heading (``# 第N部``, or ``# 第N章`` in a document without 部)
is repeated ``factor`` times; copy k adds k × (the number of those units) to every 第N部 (or 第N章) in its
text, so headings, in-body contents lists and cross-references stay consistent. The cover and any
unnumbered opening section are kept once.
"""

from __future__ import annotations

import re
from pathlib import Path

_TOP = re.compile(r"^# 第(\d+)(部|章)", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        return "", text
    end = text.index("\n---\n", 4) + len("\n---\n")
    return text[:end], text[end:]


def scale(text: str, factor: int) -> str:
    if factor < 1:
        raise ValueError("factor must be at least 1")
    front, body = split_front_matter(text)
    first = _TOP.search(body)
    if first is None or factor == 1:
        return text
    unit = first.group(2)
    opening, block = body[: first.start()], body[first.start() :].rstrip("\n") + "\n"
    count = max(int(m.group(1)) for m in _TOP.finditer(block) if m.group(2) == unit)
    number = re.compile(rf"第(\d+){unit}")
    copies = [number.sub(lambda m, k=k: f"第{int(m.group(1)) + k * count}{unit}", block) for k in range(factor)]
    return front + opening + "\n".join(copies)


def write_scaled(source: Path, factor: int, into: Path) -> Path:
    """The scaled document under ``into/<factor>x/`` with the source's name (outputs keep the same stem)."""
    target = into / f"{factor}x" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scale(source.read_text(encoding="utf-8"), factor), encoding="utf-8")
    return target
