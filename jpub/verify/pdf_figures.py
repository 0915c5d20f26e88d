"""The print edition's figures and tables read back from its pages: each caption with its number, in order
(and the page it stands on); each reference followed by that page when the print edition says pages; the
図表目次's entries with the pages of their captions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from jpub.editions.figure_list import TITLE
from jpub.verify.compare import Report, short
from jpub.verify.pdf import body_start_page, page_texts
from jpub.verify.text import normalise

if TYPE_CHECKING:
    from jpub.verify.expectations import Expected

RULE = "verify-figures"
_LEADERS = "[.…‥·・]*"


class Pages:
    """The pages' texts normalised and joined, with the page of every position."""

    def __init__(self, texts: list[str], first: int):
        self.text, self.starts = "", []
        for number, text in enumerate(texts[first - 1 :], start=first):
            self.starts.append((len(self.text), number))
            self.text += normalise(text)

    def page_at(self, position: int) -> int:
        return next(number for start, number in reversed(self.starts) if start <= position)


def compare_figures(report: Report, path: Path, want: Expected) -> None:
    if not (want.figures or want.references or want.figure_lists):
        return
    texts = page_texts(path)
    body_start = body_start_page(path)
    body = Pages(texts, body_start)
    pages: dict[str, int] = {}
    cursor = 0
    for target in want.figures:
        at = body.text.find(normalise(target.entry), cursor)
        if at < 0:
            report.error(RULE, f"キャプションがありません（または順序が違います）: 「{short(target.entry)}」", target.caption)
            continue
        pages[target.id], cursor = body.page_at(at), at + 1
    if want.reference_pages:
        _reference_pages(report, body, want, pages)
    if want.figure_lists:
        _figure_list(report, texts, body_start, want, pages)


def _reference_pages(report: Report, body: Pages, want: Expected, pages: dict[str, int]) -> None:
    cursor = 0
    for text, ident in want.references:
        found = re.compile(re.escape(normalise(text)) + r"\(p\.(\d+)\)").search(body.text, cursor)
        if found is None:
            report.error(RULE, f"参照「{text}」の後にページ（p.N）がありません", text)
            continue
        cursor = found.end()
        if ident in pages and int(found.group(1)) != pages[ident]:
            report.error(RULE, f"参照「{text}」のページが違います: 期待 p.{pages[ident]}、実際 p.{found.group(1)}", text)


def _figure_list(report: Report, texts: list[str], body_start: int, want: Expected, pages: dict[str, int]) -> None:
    start = next((i for i, t in enumerate(texts) if normalise(t).startswith(TITLE)), None)
    if start is None:
        report.error(RULE, "図表目次のページが見つかりません")
        return
    text = "".join(normalise(t) for t in texts[start : max(start + 1, body_start - 1)])
    cursor = 0
    for series in want.figure_lists:
        for target in series.entries:
            found = re.compile(re.escape(normalise(target.entry)) + _LEADERS + r"(\d+)").search(text, cursor)
            if found is None:
                report.error(RULE, f"図表目次に項目がありません: 「{short(target.entry)}」")
                continue
            cursor = found.end()
            if target.id in pages and int(found.group(1)) != pages[target.id]:
                report.error(RULE, f"図表目次の「{short(target.entry)}」のページが違います: 期待 {pages[target.id]}、実際 {found.group(1)}")
