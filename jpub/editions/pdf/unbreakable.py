"""No line break inside a number with its unit or counter: 12月, 2023年, 12,000億円, 3.5倍, 40か所, 第1章.

UAX #14, which Pango follows, keeps a bare number whole (2023, 3.5, 12,000: NU × IS × NU) and a Latin word
too, but allows a break between a figure and the kanji after it, so 「…12」 could end a line with 「月、…」
beginning the next. In Japanese text this module puts a Pango ``allow_breaks=false`` attribute over every
number with its unit (after WeasyPrint's ``Layout.set_text``), and clears the same break opportunities in
WeasyPrint's own look-ups (``get_log_attrs``, which reads breaks without the layout's attributes). The HTML
is not touched, so it costs no extra text boxes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from jpub.editions.pdf.pinned import Pin, safe_to_patch

# Units and counters a figure keeps, the longest first (年度 before 年, 億円 before 億).
UNITS = sorted(
    """年度 年間 年 か月間 か月 カ月 ヶ月 ヵ月 箇月 月 日間 日 時間 時 分 秒 週間 週 件 人 名 社 校 機関 団体 施設 か所 カ所 ヶ所
    箇所 か国 カ国 ヶ国 箇国 ％ % 倍 回 億円 万円 兆円 千円 円 億 万 兆 千 ドル 歳 度 点 個 台 種 本 枚 冊 部 章 節 項 号 条 位
    割 世代 世帯 期 区 市町村 市 県 都道府県 地区 棟 戸 食 ha km kg cm mm m2 m GB TB PB MW kW""".split(),
    key=len,
    reverse=True,
)
_FIGURE = r"[0-9０-９](?:[0-9０-９,，.．]*[0-9０-９])?"
# 1億2,000万円, 250万食: a large-number unit may stand between the figures and the counter
_NUMBER = re.compile(rf"(?P<prefix>第)?{_FIGURE}(?:[兆億万千]{_FIGURE})*(?P<unit>[兆億万千]?(?:{'|'.join(map(re.escape, UNITS))}))?")
_DIGIT = re.compile(r"[0-9０-９]")
_IN_A_WORD = re.compile(r"[A-Za-z0-9.,_\-]")  # before a figure: G7, v2.0, a longer figure
_LETTER = re.compile(r"[A-Za-z]")

_originals: dict[str, Any] = {}

PINS = (
    # wrapped: the attributes are added after it
    Pin(
        "text.line_break.Layout.set_text",
        "fe23ca9937dbf5205bda422f9c01103f301ef2c511228842632ea86e853274f7",
        lambda: _originals.get("set_text", line_break.Layout.set_text),
    ),
    # wrapped: WeasyPrint's own break look-ups agree with Pango's
    Pin(
        "text.line_break.get_log_attrs",
        "65c1a1c4fa75ee95975fa01db9055b519bfcc205d3f70a3c4e81a906b8fbb429",
        lambda: _originals.get("get_log_attrs", line_break.get_log_attrs),
    ),
)


@lru_cache(maxsize=2048)  # WeasyPrint sets the same paragraph's text many times while it breaks lines
def unbreakable(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) in characters of every number with its unit, or with 第 before it, in ``text``."""
    if not _DIGIT.search(text):
        return ()
    found = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        unit = match.group("unit")
        if not (match.group("prefix") or unit):
            continue  # a bare number: never broken anyway
        if start > 0 and _IN_A_WORD.match(text[start - 1]):
            continue
        if unit and unit[-1].isascii() and end < len(text) and _LETTER.match(text[end]):
            continue  # 5kmph: a Latin word
        found.append((start, end))
    return tuple(found)


def _is_japanese(lang: str | None) -> bool:
    lang = (lang or "").lower()
    return lang == "ja" or lang.startswith("ja-")


def install() -> bool:
    """Patch WeasyPrint (idempotent); False, with a RuntimeWarning and nothing patched, on another version."""
    if _originals:
        return True
    if not safe_to_patch("数字と単位の分離禁止", PINS):
        return False
    if not hasattr(pango, "pango_attr_allow_breaks_new"):  # Pango 1.44; not in WeasyPrint's declarations
        ffi.cdef("PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);")
    _originals.update(set_text=line_break.Layout.set_text, get_log_attrs=line_break.get_log_attrs)
    line_break.Layout.set_text = _set_text
    line_break.get_log_attrs = _get_log_attrs
    return True


def uninstall() -> None:
    if _originals:
        line_break.Layout.set_text = _originals.pop("set_text")
        line_break.get_log_attrs = _originals.pop("get_log_attrs")


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    _originals["set_text"](self, text, justify)
    if not self.text or not _is_japanese(self.style["lang"]):
        return
    ranges = unbreakable(self.text)
    if not ranges:
        return
    attributes = pango.pango_layout_get_attributes(self.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for start, end in ranges:
        attribute = pango.pango_attr_allow_breaks_new(False)
        attribute.start_index = len(self.text[:start].encode("utf-8"))
        attribute.end_index = attribute.start_index + len(self.text[start:end].encode("utf-8"))
        pango.pango_attr_list_insert(attributes, attribute)
    pango.pango_layout_set_attributes(self.layout, attributes)


def _get_log_attrs(text: str, lang: str | None) -> Any:
    log_attrs = _originals["get_log_attrs"](text, lang)
    if _is_japanese(lang):
        for start, end in unbreakable(text):
            for i in range(start + 1, end):
                log_attrs[i].is_line_break = 0
    return log_attrs
