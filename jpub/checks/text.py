"""What copying from a PDF leaves in Japanese text: spaced-out letters, stray spaces, broken brackets,
tabs, full-width letters and digits, curly quotes and invisible characters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from jpub.checks import artefacts, items, markup
from jpub.checks.model import Finding, expected_found
from jpub.checks.view import NUMBER_PREFIX, Doc, edits, numbered

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60\u30fc々〆〇"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACED = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{1,4} )+[A-Z]{1,4}(?![A-Za-z0-9])")
_FULLWIDTH_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
_FULLWIDTH_ALNUM = re.compile("[Ａ-Ｚａ-ｚ０-９]+")
_HALFWIDTH_ALNUM = re.compile("[A-Za-z0-9]")
_CURLY = re.compile("“[^”\n]*”?|”")
_SINGLE_CURLY = re.compile(f"‘[^’\n]*[{_CJK}][^’\n]*’")
_PAIRS = {"「": "」", "『": "』", "（": "）", "【": "】", "〔": "〕", "［": "］"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
INVISIBLE = {
    "\u200b": "ゼロ幅スペース",
    "\u200c": "ゼロ幅非接合子",
    "\u200d": "ゼロ幅接合子",
    "\u2060": "単語結合子",
    "\ufeff": "BOM",
    "\u00ad": "ソフトハイフン",
    "\u00a0": "ノーブレークスペース",
    "\u200e": "左横書きマーク",
    "\u200f": "右横書きマーク",
    "\u2028": "行区切り",
    "\u2029": "段落区切り",
    "\u180e": "モンゴル母音区切り",
}


def _prose(doc: Doc) -> Iterator[tuple[int, str]]:
    for line in doc.lines:
        if not line.code:
            yield line.index, line.prose


def spaced_latin(doc: Doc) -> Iterator[Finding]:
    """Latin letters spaced out in Japanese text (A I, U S A I S I, ABC I), not English phrases."""
    joined = None
    for index, text in _prose(doc):
        for match in _SPACED.finditer(text):
            pieces = match.group(0).split(" ")
            if not any(len(p) == 1 for p in pieces) or not _next_to_japanese(text, match.start(), match.end()):
                continue
            where = doc.at(index, match.start(), match.group(0))
            joined = markup.writes_latin_joined(doc) if joined is None else joined
            start, end = artefacts.flanked(text, match.start(), match.end(), joined, items.lead_end(doc, text))
            message = expected_found("英字の綴りは", "".join(pieces), match.group(0), "PDF からの転記で空白が入った可能性")
            yield Finding(where, message, edits(doc.edit(index, start, text[start:end], "".join(pieces))))


def _next_to_japanese(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2) : start].rstrip(" ")[-1:]
    after = text[end : end + 2].lstrip(" ")[:1]
    return bool(_CJK_CHAR.match(before) or _CJK_CHAR.match(after))


_HIRAGANA_OR_MARK = re.compile("[\u3041-\u309f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
_WORD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆〇\u30a0-\u30ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def fullwidth_gap(doc: Doc) -> Iterator[Finding]:
    """An ASCII space between two full-width characters (a PDF line-wrap residue). A space next to a kana
    particle or a punctuation mark is one (創出の 振興, 社会 への); between two words it is the author's
    (令和5年度 企業調査, 山田 太郎 部長) unless the document writes them joined elsewhere (科学 技術 beside
    科学技術). The separator after a number (第1章, （1）, ア) is not one either."""
    read = items.reader(doc)
    whole = "\n".join(text for _index, text in _prose(doc))
    for index, text in _prose(doc):
        skip = NUMBER_PREFIX.match(text)
        column, marker = items.read_at(read, text)
        for match in _FULLWIDTH_GAP.finditer(text):
            if skip and match.end() == skip.end():
                continue
            if marker and match.start() == column + len(marker.written):
                continue  # the separator after an item number: ア 目的
            left, right = text[match.start() - 1], text[match.end()]
            if not (_HIRAGANA_OR_MARK.match(left) or _HIRAGANA_OR_MARK.match(right)) and not _joined_elsewhere(text, match, whole):
                continue
            around = text[match.start() - 1 : match.end() + 1]
            where = doc.at(index, match.start() - 1, around)
            written = doc.written(where)
            if around not in written and "{{" in written:
                continue  # a space the author wrote next to a {{ value }}, not copied text
            yield Finding(where, expected_found("全角文字の間は", f"空白なし（{around.replace(' ', '')}）", f"半角空白（{around}）"))


def _joined_elsewhere(text: str, gap: re.Match[str], whole: str) -> bool:
    """Whether the two words around a space are written without it elsewhere in the document."""
    before = text[max(0, gap.start() - 2) : gap.start()]
    after = text[gap.end() : gap.end() + 2]
    before = before[-1:] if len(before) < 2 or not _WORD.match(before[0]) else before
    after = after[:1] if len(after) < 2 or not _WORD.match(after[1]) else after
    return before + after in whole


def brackets(doc: Doc) -> Iterator[Finding]:
    """「」『』（）【】〔〕［］ balanced within each paragraph, list item, heading, table row and grid-table cell
    (a cell's text may run over several lines)."""
    for unit in doc.units:
        stack: list[tuple[int, int, str]] = []  # (line index, column, opener)
        for index, offset, text in doc.unit_lines(unit):
            for column, ch in enumerate(text, start=offset):
                if ch in _PAIRS:
                    stack.append((index, column, ch))
                elif ch in _CLOSERS:
                    if stack and stack[-1][2] == _CLOSERS[ch]:
                        stack.pop()
                    elif stack and any(s[2] == _CLOSERS[ch] for s in stack):
                        opened = stack.pop()
                        where = doc.at(index, column, ch)
                        yield Finding(where, expected_found(f"{opened[2]} を閉じるのは", _PAIRS[opened[2]], ch))
                        while stack and stack[-1][2] != _CLOSERS[ch]:
                            stack.pop()
                        if stack:
                            stack.pop()
                    else:
                        where = doc.at(index, column, ch)
                        yield Finding(where, expected_found(f"{ch} の前には", f"対応する {_CLOSERS[ch]}", "開き括弧なし"))
        for index, column, opener in stack:
            where = doc.at(index, column, opener)
            end = {"para": "段落の終わり", "cell": "セルの終わり"}.get(unit.kind, "行の終わり")
            yield Finding(where, expected_found(f"{opener} の後には", f"閉じる {_PAIRS[opener]}", end))


def tab(doc: Doc) -> Iterator[Finding]:
    """A tab inside text (a table flattened when copied); indentation is left alone."""
    for index, text in _prose(doc):
        indent = len(text) - len(text.lstrip("\t "))
        for column in (c for c in range(indent, len(text)) if text[c] == "\t"):
            start = max(0, column - 2)  # the tab with what is around it, to find it in the written line
            where = doc.at(index, start, text[start : column + 3])
            yield Finding(
                where.at_column(where.column + column - start), expected_found("本文中は", "表または空白", "タブ文字", "表が崩れて取り込まれた可能性")
            )


def fullwidth_alnum(doc: Doc) -> Iterator[Finding]:
    """Full-width letters and digits (ＡＩ, ２０２４) in a document that writes them half-width."""
    lines = list(_prose(doc))
    if not any(_HALFWIDTH_ALNUM.search(text) for _i, text in lines):
        return
    for index, text in lines:
        skip = NUMBER_PREFIX.match(text) if numbered(text.lstrip("#-*+ ")) else None
        for match in _FULLWIDTH_ALNUM.finditer(text):
            if skip and match.start() < skip.end():
                continue  # 第１章: number-width reports it
            half = unicodedata.normalize("NFKC", match.group(0))
            where = doc.at(index, match.start(), match.group(0))
            edit = doc.edit(index, match.start(), match.group(0), half)
            yield Finding(where, expected_found("英数字は", f"半角（{half}）", f"全角（{match.group(0)}）"), edits(edit))


def curly_quote(doc: Doc) -> Iterator[Finding]:
    """Curly quotes “ ” in Japanese text, where 「」 (nested 『』) are used."""
    for index, text in _prose(doc):
        if not _CJK_CHAR.search(text):
            continue
        for match in list(_CURLY.finditer(text)) + list(_SINGLE_CURLY.finditer(text)):
            where = doc.at(index, match.start(), match.group(0))
            yield Finding(where, expected_found("和文の引用符は", "「」", match.group(0)))


def invisible(doc: Doc) -> Iterator[Finding]:
    """Invisible and control characters: ZWSP, soft hyphen, a BOM in mid-file, NBSP, C0/C1 controls."""
    for line in doc.lines:
        for column, ch in enumerate(line.text):
            name = INVISIBLE.get(ch)
            if name is None and (ch < " " and ch != "\t" or "\x7f" <= ch <= "\x9f" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"):
                name = "制御文字"
            if name:
                where = doc.at(line.index, column, ch)
                yield Finding(where, expected_found("", "見える文字", f"不可視の U+{ord(ch):04X}（{name}）"))
