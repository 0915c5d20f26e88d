"""The forms 公用文作成の考え方 (文化審議会建議, 2022) asks of official text: 3か月 and 5か所, no ？ or ！, full-width
（） around Japanese, ranges with ～, digits grouped by three, kanji numerals only for 兆・億・万, one style of
punctuation. Each is a warning: a document may follow another house style and switch the rule off."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from jpub.checks.model import Finding, expected_found
from jpub.checks.view import Doc, edits

JAPANESE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60々〆〇ー"
_JAPANESE = re.compile(f"[{JAPANESE}]")
# what is not text in a line of prose: a link's or image's target, an autolink, a URL, an {#id .class}
_NOT_TEXT = re.compile(r"\]\([^)\n]*\)|<[A-Za-z][^>\n]*>|https?://[^\s)）」>]+|\{[#.][^}\n]*\}|!\[")


def text_only(prose: str) -> str:
    """The line with link targets, URLs and attributes blanked out (same length, columns still point into it)."""
    return _NOT_TEXT.sub(lambda m: "\ufffc" * len(m.group(0)), prose)


def lines(doc: Doc) -> Iterator[tuple[int, str]]:
    for line in doc.lines:
        if not line.code:
            yield line.index, text_only(line.prose)


# --- か月・か所 ------------------------------------------------------------------------------------------------

_KA = re.compile("(?<=([0-9０-９〇一二三四五六七八九十百千数何幾]))([ヶヵケカ箇])(?=[月所国年条])")


def ka_spans(text: str) -> Iterator[tuple[int, str, str]]:
    """(column, written, replacement): 3ヶ月 → 3か月; with a kanji numeral or 数・何, 数ヶ所 → 数箇所 (as 公用文 writes it)."""
    for found in _KA.finditer(text):
        arabic = found.group(1) in "0123456789０１２３４５６７８９"
        wanted = "か" if arabic else "箇"
        if found.group(2) != wanted:
            yield found.start(2), found.group(2), wanted


def counter_ka(doc: Doc) -> Iterator[Finding]:
    """3ヶ月, 5カ所, 2ヵ国: with Arabic digits 公用文 writes か (3か月); with 数・何 or kanji numerals 箇 (数箇所)."""
    for index, text in lines(doc):
        for column, written, wanted in ka_spans(text):
            counted = text[column - 1 : column + 2]
            where = doc.at(index, column - 1, counted)
            where = where.at_column(where.column + 1)
            message = expected_found("助数詞の「か」は", f"{counted[0]}{wanted}{counted[2]}", counted)
            yield Finding(where, message, edits(doc.edit(index, column, written, wanted)))


# --- ？ and ！ ------------------------------------------------------------------------------------------------

_MARKS = re.compile(f"[？！]|(?<=[{JAPANESE}])[?!]")  # Yahoo!ニュース: a name's own mark
_QUOTES = {"「": "」", "『": "』"}


def question_exclamation(doc: Doc) -> Iterator[Finding]:
    """？ and ！ in body text (quoted speech in 「」 aside): 公用文 ends a question with 。 (解説・広報 may use them)."""
    for index, text in lines(doc):
        depth = 0
        marks = {m.start(): m.group(0) for m in _MARKS.finditer(text)}
        for column, ch in enumerate(text):
            if ch in _QUOTES:
                depth += 1
            elif ch in _QUOTES.values():
                depth = max(0, depth - 1)
            elif column in marks and depth == 0:
                back = min(column, 3)  # the mark with what is before it, to find it in the written line
                where = doc.at(index, column - back, text[column - back : column + 1])
                where = where.at_column(where.column + back)
                yield Finding(where, expected_found("公用文の文末は", "。", ch, "疑問符・感嘆符は広報文などに限る"))


# --- half-width parentheses -----------------------------------------------------------------------------------

_ITEM_NUMBER = re.compile(r"^[0-9０-９]{1,3}$|^[ア-ンｱ-ﾝa-zA-Z]$")
_LEAD = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+|>\s*)*")


def paren_pairs(texts: list[str]) -> Iterator[tuple[tuple[int, int], tuple[int, int], str]]:
    """((line, column) of each ( and its ), what they hold) for the ( ) of a paragraph (which may span lines)
    that hold Japanese text or stand right beside it; an item number (1) at the start is the item rules'."""
    opened: list[tuple[int, int]] = []
    lead = _LEAD.match(texts[0]) if texts else None
    start_of_text = (0, lead.end() if lead else 0)
    for row, text in enumerate(texts):
        for column, ch in enumerate(text):
            if ch == "(" and text[column - 1 : column] not in ("\\", "]"):
                opened.append((row, column))
            elif ch == ")" and opened:
                first = opened.pop()
                inside = _between(texts, first, (row, column))
                if not inside.strip() or (first == start_of_text and _ITEM_NUMBER.match(inside)):
                    continue
                before = texts[first[0]][first[1] - 1 : first[1]]
                after = text[column + 1 : column + 2]
                if _JAPANESE.search(inside) or _JAPANESE.match(before or " ") or _JAPANESE.match(after or " "):
                    yield first, (row, column), inside


def _between(texts: list[str], first: tuple[int, int], last: tuple[int, int]) -> str:
    if first[0] == last[0]:
        return texts[first[0]][first[1] + 1 : last[1]]
    middle = [texts[row].strip() for row in range(first[0] + 1, last[0])]
    return "".join([texts[first[0]][first[1] + 1 :].strip(), *middle, texts[last[0]][: last[1]].strip()])


def halfwidth_paren(doc: Doc) -> Iterator[Finding]:
    """Half-width ( ) around Japanese text or beside it: 地域づくり(スマートシティの展開), 幸せ(well-being)と;
    the pair may span the lines of a paragraph."""
    for unit in doc.units:
        rows = doc.unit_lines(unit)
        texts = [text_only(text) for _index, _offset, text in rows]
        for (open_row, open_col), (close_row, close_col), inside in paren_pairs(texts):
            open_index, open_offset, _t = rows[open_row]
            close_index, close_offset, _t = rows[close_row]
            where = doc.at(open_index, open_offset + open_col, texts[open_row][open_col : open_col + 6])
            repair = edits(doc.edit(open_index, open_offset + open_col, "(", "（"), doc.edit(close_index, close_offset + close_col, ")", "）"))
            message = expected_found("和文中の括弧は", f"全角（（{_short(inside)}））", f"半角（({_short(inside)})）")
            yield Finding(where, message, repair if len(repair) == 2 else ())


def _short(text: str) -> str:
    return text if len(text) <= 16 else text[:7] + "…" + text[-7:]


# --- ranges -----------------------------------------------------------------------------------------------------

_DASHES = "-‐‑–—―−－"
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]{1,4}(?:\.[0-9]+)?"
_RANGE = re.compile(rf"(?<![0-9A-Za-z_.,{_DASHES}/:#])({_NUMBER})([{_DASHES}])({_NUMBER})(?![0-9A-Za-z_.,{_DASHES}/:])")
_ID_BEFORE = re.compile(r"(?:図|表|第|別紙|資料|参考|様式|付録|No\.?|№|〒)\s*$")
_PARTICLES = "のはがをにでとやもへ"


def _wave(doc: Doc) -> str:
    """The document's own wave dash, ～ (U+FF5E) or 〜 (U+301C); ～ when it writes neither."""
    counts = Counter(ch for _i, text in lines(doc) for ch in text if ch in "～〜")
    return counts.most_common(1)[0][0] if counts else "～"


def range_hyphen(doc: Doc) -> Iterator[Finding]:
    """A range written with a hyphen or dash (40-80計算ノード): 公用文 writes 40～80. Numbers of figures and
    tables (図1-2), postal codes and telephone numbers are not ranges."""
    wave = ""
    for index, text in lines(doc):
        for found in _RANGE.finditer(text):
            low, high = float(found.group(1).replace(",", "")), float(found.group(3).replace(",", ""))
            after = text[found.end() : found.end() + 1]
            before = text[: found.start()]
            japanese_after = bool(after) and (_JAPANESE.match(after) is not None and after not in _PARTICLES or after in "%％")
            if low >= high or _ID_BEFORE.search(before) or not (japanese_after or _JAPANESE.match(before[-1:] or " ")):
                continue
            if len(found.group(1)) == 3 and len(found.group(3)) == 4:
                continue  # 100-8959: a postal code
            wave = wave or _wave(doc)
            where = doc.at(index, found.start(), found.group(0))
            wanted = f"{found.group(1)}{wave}{found.group(3)}"
            yield Finding(where, expected_found("範囲は", wanted, found.group(0), "範囲には波形（～）を使う"))


# --- digit grouping -----------------------------------------------------------------------------------------------

_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z_.,，\-/:#＃\\$])([1-9][0-9]{3,})(?![0-9A-Za-z_,，\-/:])")
_YEAR_AFTER = re.compile(r"^[)）]?(?:[～〜\-–]\d{4}[)）]?)?\s?(?:年|年度|年代|年版|FY)|^[./]\d")  # 2024年, 令和6（2024）年, 2024.4.1
_LATIN_BEFORE = re.compile(r"[A-Za-z]\s?$")
_ID_WORDS = re.compile(r"(?:第|番号|No\.?|№|ID|コード|郵便|電話|TEL|FAX)\s*$", re.I)


def digit_grouping(doc: Doc) -> Iterator[Finding]:
    """A number of four digits or more without a comma every three digits (4000 → 4,000); years (2024年), numbers
    and codes (第1234号, No.1234, 0312345678) are left as they are."""
    for index, text in lines(doc):
        for found in _LONG_NUMBER.finditer(text):
            digits = found.group(1)
            after, before = text[found.end() :], text[: found.start()]
            if len(digits) == 4 and (_YEAR_AFTER.match(after) or before.endswith(("西暦", "FY", "CY"))):
                continue
            if _ID_WORDS.search(before) or after[:1] in "号番条" or _LATIN_BEFORE.search(before):
                continue  # a number or a name: 第1234号, ISO 14001, Windows 2000
            if before.endswith("."):
                continue  # the decimals of a number
            where = doc.at(index, found.start(), digits)
            yield Finding(where, expected_found("数の桁区切りは", f"{int(digits):,}", digits, "3桁ごとにコンマ"))


# --- kanji numerals -------------------------------------------------------------------------------------------------

_KANJI_DIGITS = "〇一二三四五六七八九"
_NOT_AFTER = f"(?<![数何幾{_KANJI_DIGITS}十百千])"  # 数十人 is an approximate number, written in kanji
_KANJI_NUMBER = re.compile(
    f"{_NOT_AFTER}([{_KANJI_DIGITS}十百千]+)(?=[万億兆])|{_NOT_AFTER}([{_KANJI_DIGITS}十百千]{{2,}})(?=[人件円個回歳台枚冊名社校点倍割%％])"
)
_ARABIC_THOUSANDS = re.compile(r"(?<![\d,.])(\d+)([千百])(?=[万億兆人件円個回歳台枚冊名社校点])")
_IDIOMS = ("一億総", "十人十色", "十人並", "千差万別", "百人一首")


def kanji_value(text: str) -> int | None:
    """三千五百 → 3500, 二十 → 20, 一〇〇 → 100; None for what is not a number (十十)."""
    if not any(ch in "十百千" for ch in text):
        return int("".join(str(_KANJI_DIGITS.index(ch)) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS.index(ch)
        else:
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
    return total + current


def kanji_numeral(doc: Doc) -> Iterator[Finding]:
    """Quantities in kanji numerals (三千人, 五億円) in horizontal text: Arabic digits, with kanji only for 兆・億・万
    (3,000人, 5億円); approximate numbers and idioms (数十人, 一人ひとり, 十分) stay kanji. 3千人 is 3,000人 too."""
    for index, text in lines(doc):
        for found in _KANJI_NUMBER.finditer(text):
            written = found.group(1) or found.group(2)
            around = text[found.start() : found.start() + 6]
            if any(around.startswith(idiom) or idiom in text[max(0, found.start() - 2) : found.end() + 3] for idiom in _IDIOMS):
                continue
            value = kanji_value(written)
            if value is None or (found.group(2) and text[found.end() : found.end() + 1] in "数余"):
                continue
            unit = text[found.end()]
            where = doc.at(index, found.start(), written + unit)
            yield Finding(where, expected_found("横書きの数は", f"算用数字（{value:,}{unit}）", f"漢数字（{written}{unit}）", "漢字は兆・億・万だけ"))
        for found in _ARABIC_THOUSANDS.finditer(text):
            value = int(found.group(1)) * (1000 if found.group(2) == "千" else 100)
            unit = text[found.end()]
            where = doc.at(index, found.start(), found.group(0) + unit)
            yield Finding(where, expected_found("横書きの数は", f"{value:,}{unit}", f"{found.group(0)}{unit}", "漢字は兆・億・万だけ"))


# --- punctuation style ----------------------------------------------------------------------------------------------

_PUNCTUATION = {"、": "読点", "，": "読点", "。": "句点", "．": "句点"}
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9０-９])[，．](?=[0-9０-９])|^\s*[0-9０-９]{1,3}．")


def punctuation_mix(doc: Doc) -> Iterator[Finding]:
    """One style of punctuation in a document: 、 or ， for the comma, 。 or ． for the full stop, never both."""
    seen: dict[str, Counter[str]] = {"読点": Counter(), "句点": Counter()}
    places: list[tuple[int, int, str]] = []
    for index, text in lines(doc):
        skip = {m.start() for m in _BETWEEN_DIGITS.finditer(text)} | {m.end() - 1 for m in _BETWEEN_DIGITS.finditer(text)}
        for column, ch in enumerate(text):
            if ch in _PUNCTUATION and column not in skip:
                seen[_PUNCTUATION[ch]][ch] += 1
                places.append((index, column, ch))
    usual = {kind: counts.most_common(1)[0][0] for kind, counts in seen.items() if len(counts) > 1}
    for index, column, ch in places:
        wanted = usual.get(_PUNCTUATION[ch])
        if wanted and ch != wanted:
            where = doc.at(index, column, ch)
            yield Finding(where, expected_found(f"{_PUNCTUATION[ch]}は", f"{wanted}（文書の多数派）", ch, "一つの文書では一つに統一"))
