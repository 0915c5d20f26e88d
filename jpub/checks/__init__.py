"""Checks of the source and its renderings: a table of pure rules over a prepared, frozen view.

Each rule reads one Doc (a distinct rendering and pandoc's parse of it, its lines tied to the file and
line the author wrote them in, included files too) and yields findings already placed in that file. Severity comes from the table, changed or switched off by
``publish: checks: {rule-id: off|warning|error}``; ``{## check: ignore RULE-ID ##}`` silences one line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from jpub.checks import artefacts, contents, dates, figures, items, koyobun, markup, prepare, references, structure, template, text
from jpub.checks.model import Finding, Place, Rule, Severity
from jpub.checks.placing import SourceFile
from jpub.checks.view import Doc
from jpub.diagnostics import Diagnostic, included_via, sort
from jpub.publication import Publication
from jpub.settings import RuleSetting
from jpub.source import Source

CONFIG_RULE = "check-config"
_IGNORE = re.compile(r"\{##\s*check:\s*ignore\s+(.*?)\s*\+?##\}")

RULES: tuple[Rule, ...] = (
    Rule("numbering-start", "error", "見出し番号", "部・章・節・項の番号が親の下で 1 から始まっていない", structure.start),
    Rule("numbering-sequence", "error", "見出し番号", "番号の飛び・重複・逆行（前の番号 +1 でない）", structure.sequence),
    Rule("numbering-parent", "error", "見出し番号", "親の単位がない（章の直下の項、部のある文書で部の外の章）", structure.parent),
    Rule("heading-level", "error", "見出し番号", "単位ごとの見出しレベルが文書内で揃っていない、下位の単位が浅い", structure.level),
    Rule("heading-skip", "error", "見出し番号", "見出しレベルの飛び（# の次に ###）", structure.skip),
    Rule("number-width", "warning", "番号の書式", "番号の数字の全角・半角が文書の多数派と違う", structure.width),
    Rule("number-kanji", "warning", "番号の書式", "算用数字の文書で漢数字の番号（第二節）", structure.kanji),
    Rule("number-separator", "warning", "番号の書式", "番号と題名の区切りが文書の多数派と違う", structure.separator),
    Rule("item-start", "error", "項目番号", "（1）・ア・a などが親（見出し・上位の番号）の下で 1 から始まっていない", items.start),
    Rule("item-sequence", "error", "項目番号", "（1）・ア・a などの番号の飛び・重複・逆行", items.sequence),
    Rule("item-order", "error", "項目番号", "項目番号の階層の順序の誤り（（1）より上のア、（1）の直下の（ア））", items.order),
    Rule("item-form", "warning", "項目番号", "同じ階層の番号の書式の混在（（1）と (1)、アと ｱ）", items.form),
    Rule("contents-list", "error", "本文中の目次", "番号付き見出しの箇条書きが実際の見出しと合わない（番号・題名・順序・過不足）", contents.contents_list),
    Rule("era-year", "error", "日付", "存在しない元号の年（令和0年、平成32年）", dates.era_year),
    Rule("era-range", "error", "日付", "元号の期間外の日付・年度（平成31年5月、令和元年4月、昭和64年度）", dates.era_range),
    Rule("era-gregorian", "error", "日付", "括弧内の西暦と元号の不一致（令和7年（2024年））", dates.era_gregorian),
    Rule("date-invalid", "error", "日付", "存在しない月日（13月、2月30日、平年の2月29日）", dates.date_invalid),
    Rule("era-gannen", "warning", "日付", "元年と1年の混在", dates.gannen),
    Rule("spaced-latin", "warning", "PDF 転記", "和文中の1字ずつ空いた英字（A I、U S A I S I、ABC I）", text.spaced_latin),
    Rule("fullwidth-gap", "warning", "PDF 転記", "全角文字の間の半角空白", text.fullwidth_gap),
    Rule("unbalanced-bracket", "error", "PDF 転記", "段落内で対応しない「」『』（）【】〔〕［］", text.brackets),
    Rule("tab", "warning", "PDF 転記", "本文中のタブ文字", text.tab),
    Rule("fullwidth-alnum", "warning", "PDF 転記", "半角を使う文書の中の全角英数字（ＡＩ、２０２４）", text.fullwidth_alnum),
    Rule("curly-quote", "warning", "PDF 転記", "和文中の “ ” ‘ ’", text.curly_quote),
    Rule("invisible-char", "error", "PDF 転記", "不可視文字・制御文字（ZWSP、ソフトハイフン、途中の BOM、NBSP）", text.invisible),
    Rule("halfwidth-kana", "warning", "PDF 転記", "半角片仮名（ｱｲｳ）", artefacts.halfwidth_kana),
    Rule("split-decimal", "warning", "PDF 転記", "空白で分かれた小数（5. 0）", artefacts.split_decimal),
    Rule("spaced-digits", "warning", "PDF 転記", "1字ずつ空いた数字（2 0 2 4年）", artefacts.spaced_digits),
    Rule("counter-ka", "warning", "公用文", "ヶ月・カ所・ヵ国（算用数字には か、漢数字・数・何には 箇）", koyobun.counter_ka),
    Rule("question-exclamation", "warning", "公用文", "本文中の ？ ！", koyobun.question_exclamation),
    Rule("halfwidth-paren", "warning", "公用文", "和文中・和文に接した半角の ( )", koyobun.halfwidth_paren),
    Rule("range-hyphen", "warning", "公用文", "ハイフンで書いた範囲（40-80）", koyobun.range_hyphen),
    Rule("digit-grouping", "warning", "公用文", "3桁ごとのコンマのない4桁以上の数（4000）", koyobun.digit_grouping),
    Rule("kanji-numeral", "warning", "公用文", "兆・億・万以外の漢数字の数（三千人、五億円、3千人）", koyobun.kanji_numeral),
    Rule("punctuation-mix", "warning", "公用文", "読点（、，）・句点（。．）の混在", koyobun.punctuation_mix),
    Rule("template-leftover", "error", "テンプレート", "出力に残った {{ や {%、コメントにならない {# #}", template.leftover),
    Rule("image-missing", "error", "テンプレート", "ソースからの相対パスにない画像", template.image),
    Rule("ref-unknown", "error", "図表と参照", "参照（[@fig:id]、@tbl-id）の id を持つ図・表がない", references.reference_unknown),
    Rule("link-unknown", "error", "図表と参照", "文書内リンク（#…）の行き先の id がない", references.link_unknown),
    Rule("id-duplicate", "error", "図表と参照", "同じ id が 2 回以上ある、または見出しに自動で付く id と同じ", references.id_duplicate),
    Rule("figure-unreferenced", "warning", "図表と参照", "id か番号のある図・表が本文から参照されていない", figures.unreferenced),
    Rule("figure-number", "error", "図表と参照", "手書きの図表番号の飛び・重複・章との不一致、書式で付けられない番号、自動の番号との二重", figures.number),
    Rule("figure-alt", "warning", "図表と参照", "代替テキストのない画像（JIS X 8341-3）", figures.alt),
    Rule("emphasis-literal", "error", "マークアップ", "pandoc が強調にせず ** や __ がそのまま出力される", markup.emphasis),
    Rule("heading-space", "error", "マークアップ", "# の後に空白のない見出し（##第6章 は見出しにならない）", markup.heading_space),
    Rule("heading-blank", "error", "マークアップ", "段落や箇条書きの直後の見出し（空行がなく見出しにならない）", markup.heading_blank),
    Rule("soft-break", "warning", "マークアップ", "段落内の和文どうしの改行（出力で空白になる）", markup.soft_break),
)
BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}


def run(pub: Publication) -> list[Diagnostic]:
    """Every rule over every edition's rendering and pandoc's parse of it; a defect seen in several
    renderings is reported once, at the file and line where it was written."""
    found, severities = _configure(pub.source, pub.settings.checks)
    docs = prepare.docs(pub)
    files = {file.path: file for doc in docs for file in doc.files}  # file ids differ between renderings; paths do not
    ignored, unknown = _ignores(tuple(files.values()))
    found += [Diagnostic(file.display, line, 0, "error", CONFIG_RULE, _unknown(rule)) for file, line, rule in unknown]
    for rule in RULES:
        severity = severities.get(rule.id, rule.severity)
        if severity == "off":
            continue
        for doc in docs:
            for finding in rule.check(doc):
                where = finding.where
                if rule.id not in ignored.get((doc.files[where.file].path, where.line), ()):
                    found.append(_diagnostic(doc, finding, severity, rule.id))
    return sort(found)


def _diagnostic(doc: Doc, finding: Finding, severity: Severity, rule: str) -> Diagnostic:
    where = finding.where
    path = doc.files[where.file].display
    fixes = tuple((e.line, e.column, e.old, e.new) for e in finding.fixes)
    return Diagnostic(path, where.line, where.column, severity, rule, finding.message, _context(doc, where), fixes)


def _context(doc: Doc, where: Place) -> str:
    """The lines that brought an included line into the source (diagnostics.included_via)."""
    chain: list[tuple[str, int]] = []
    via = where.via
    while via is not None:
        chain.append((doc.files[via.file].display, via.line))
        via = via.via
    return included_via(chain)


def _unknown(rule: str) -> str:
    return f"規則ID は {', '.join(BY_ID)} のいずれかのはずが {rule!r}"


def _configure(source: Source, checks: Mapping[str, RuleSetting]) -> tuple[list[Diagnostic], dict[str, RuleSetting]]:
    """publish.checks: known ids only; an unknown id is an error at its line in the front matter."""
    problems: list[Diagnostic] = []
    severities: dict[str, RuleSetting] = {}
    for rule, severity in checks.items():
        if rule in BY_ID:
            severities[rule] = severity
        else:
            problems.append(Diagnostic(source.display, _front_line(source, rule), 0, "error", CONFIG_RULE, _unknown(rule)))
    return problems, severities


def _front_line(source: Source, key: str) -> int:
    for index, line in enumerate(source.front_text.split("\n")):
        if re.match(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:", line):
            return index + 2
    return 1


def _ignores(files: tuple[SourceFile, ...]) -> tuple[dict[tuple[Path, int], frozenset[str]], list[tuple[SourceFile, int, str]]]:
    """{## check: ignore RULE-ID[, RULE-ID] ##} per line of each file, and the unknown ids written there."""
    ignored: dict[tuple[Path, int], frozenset[str]] = {}
    unknown: list[tuple[SourceFile, int, str]] = []
    for file in files:
        for number, line in enumerate(file.lines, start=1):
            if "check:" not in line:
                continue
            for match in _IGNORE.finditer(line):
                ids = frozenset(i for i in re.split(r"[,\s]+", match.group(1)) if i)
                unknown += [(file, number, i) for i in sorted(ids - BY_ID.keys())]
                ignored[(file.path, number)] = ignored.get((file.path, number), frozenset()) | ids
    return ignored, unknown
