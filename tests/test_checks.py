"""Checks: every fixture under tests/fixtures/checks/ states its expected diagnostics on the lines
where the defects are written ({## expect: RULE ##}, or # expect: RULE in YAML); one test runs them all.

Expectations are counted, not a set: a line that must report a rule several times says so, either by
repeating the id (``expect: era-year, era-year``) or with a count (``expect: era-year*3``). A line
that reports a rule more or fewer times than written fails the test."""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jpub import checks, pipeline
from jpub.cli import main
from jpub.diagnostics import Diagnostic
from jpub.editions import FORMATS
from jpub.errors import DocumentError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "source" / "white-paper-summary.md"
RULES_DOC = ROOT / "docs" / "rules.md"
_ID = r"[a-z0-9-]+(?:\*[0-9]+)?"
_EXPECT = re.compile(rf"expect:\s*({_ID}(?:\s*,\s*{_ID})*)")
RAISED = ("template-undefined", "template-syntax", "front-matter", "include-missing")  # DocumentError, not RULES


def diagnose(path: Path) -> list[Diagnostic]:
    try:
        return checks.run(pipeline.prepare(path))
    except DocumentError as exc:
        return exc.diagnostics


_READS = re.compile(r"\{%-?\s*(?:include|import|from)\s+[\"']([^\"']+)[\"']")


def read_files(path: Path) -> list[Path]:
    """The fixture and every file it includes or imports (and they in turn), as the test sees them."""
    files, pending = [], [path.resolve()]
    while pending:
        current = pending.pop(0)
        if current in files or not current.is_file():
            continue
        files.append(current)
        pending += [(path.parent / name).resolve() for name in _READS.findall(current.read_text(encoding="utf-8"))]
    return files


def expected(path: Path) -> Counter[tuple[str, int, str]]:
    """(file name, line, rule) → how many diagnostics of that rule the line must report; included files
    state theirs on their own lines."""
    found: Counter[tuple[str, int, str]] = Counter()
    for file in read_files(path):
        for number, line in enumerate(file.read_text(encoding="utf-8").split("\n"), start=1):
            for match in _EXPECT.finditer(line):
                for written in match.group(1).split(","):
                    rule, _star, count = written.strip().partition("*")
                    found[(file.name, number, rule)] += int(count or 1)
    return found


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.md"))


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.stem)
def test_fixture_reports_exactly_what_it_expects(path):
    found = diagnose(path)
    got = Counter((Path(d.path).name, d.line, d.rule) for d in found)
    assert got == expected(path), "\n".join(d.format() for d in found)


def test_every_rule_has_a_failing_fixture_and_a_line_in_the_rules_table():
    expected_rules = {rule for path in fixture_files() for _file, _line, rule in expected(path)}
    table = RULES_DOC.read_text(encoding="utf-8")
    for rule in [*checks.BY_ID, *RAISED, checks.CONFIG_RULE]:
        assert rule in expected_rules, f"{rule} has no failing fixture"
        assert re.search(rf"^\| `{re.escape(rule)}` \|", table, re.M), f"{rule} is missing from docs/rules.md"


OTHER_IDS = ("source-missing", "source-unreadable", "source-encoding", "source-empty", "settings", "template-security", "template-error")
OTHER_IDS += ("image", "image-font", "raw-html", "pandoc", "font-missing", "harfbuzz-subset", "system-library", "child-process")
OTHER_IDS += ("docx-layout",)
_FAMILY_ID = re.compile(r"[\"\[]((?:source|template|limit|verify|pdf)-[a-z-]+)[\"\]]")


def test_every_other_diagnostic_id_is_in_the_rules_doc():
    table = RULES_DOC.read_text(encoding="utf-8")
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "jpub").rglob("*.py"))
    ids = set(OTHER_IDS) | set(_FAMILY_ID.findall(code))
    for rule in sorted(ids):
        assert f'"{rule}"' in code or f"[{rule}]" in code, f"{rule} is not emitted by jpub"
        assert re.search(rf"^\| `{re.escape(rule)}` \|", table, re.M), f"{rule} is missing from docs/rules.md"


def test_default_source_has_no_error():
    found = checks.run(pipeline.prepare(DEFAULT_SOURCE))
    assert [d for d in found if d.severity == "error"] == []


def test_unseen_document_exits_1_and_its_clean_version_passes(capsys):
    assert main(["check", "--source", str(FIXTURES / "unseen.md")]) == 1
    out = capsys.readouterr().out
    assert "unseen.md:49:1: error: 令和5年 は 2023年 のはずが 2022年 [era-gregorian]" in out
    assert main(["check", "--source", str(FIXTURES / "unseen-clean.md")]) == 0
    assert "error" not in capsys.readouterr().out


def test_line_after_a_block_that_only_some_editions_keep(tmp_path):
    """An {% if %} block above the defect removes lines in the PDF and Word renderings, not in HTML."""
    path = FIXTURES / "unseen.md"
    draft = pipeline.read(path)
    renderings = draft.renderings
    assert len(renderings["html"].text.split("\n")) > len(renderings["pdf"].text.split("\n"))
    lines = {d.line for d in diagnose(path) if d.rule == "era-range"}
    assert lines == {49}
    assert path.read_text(encoding="utf-8").split("\n")[48].startswith("令和5年（2022年）")


def test_defect_reported_once_across_editions():
    found = [d for d in diagnose(FIXTURES / "unseen.md") if d.rule == "spaced-latin"]
    assert len(found) == 1 and (found[0].line, found[0].column) == (65, 1)


def test_columns_point_into_the_written_line():
    found = {(d.rule, d.line): d.column for d in diagnose(FIXTURES / "text.md")}
    assert found[("spaced-latin", 8)] == 4  # 生成 A I: the A
    assert found[("curly-quote", 37)] == 7
    assert found[("tab", 33)] == 3  # 米国⇥民間: the tab
    tabs = [d.column for d in diagnose(FIXTURES / "text.md") if d.rule == "tab" and d.line == 55]
    assert tabs == [3, 6]


@pytest.mark.parametrize(
    "name, line, message",
    [
        ("dates.md", 50, "1912年8月1日 は 大正元年8月1日 のはずが 明治45年8月1日"),
        ("dates.md", 56, "2024年度 は 令和6年度 のはずが 令和5年度"),
        ("dates.md", 58, "1867年 は 明治より前 のはずが 明治元年"),
        ("contents.md", 53, "本文中の目次（箇条書き）の 第1節 は この後の節の見出しと対応 のはずが 対応する見出しなし"),
        ("text.md", 67, "「 を閉じるのは 」 のはずが ）"),
    ],
)
def test_message_says_what_was_expected(name, line, message):
    assert message in [d.message for d in diagnose(FIXTURES / name) if d.line == line]


def write(tmp_path: Path, front: str, body: str) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: T\n{front}---\n\n{body}", encoding="utf-8")
    return path


BODY = "# 第1章 はじめに\n\n# 第3章 飛び\n"


@pytest.mark.parametrize(
    "front, severity",
    [("", "error"), ("publish:\n  checks:\n    numbering-sequence: warning\n", "warning"), ('publish:\n  checks:\n    numbering-sequence: "off"\n', None)],
)
def test_front_matter_sets_severity_or_switches_a_rule_off(tmp_path, front, severity):
    found = [d for d in diagnose(write(tmp_path, front, BODY)) if d.rule == "numbering-sequence"]
    assert [d.severity for d in found] == ([severity] if severity else [])


def test_unknown_rule_id_is_an_error_with_its_line(tmp_path):
    found = diagnose(write(tmp_path, "publish:\n  checks:\n    numbering-sequense: warning\n", BODY))
    (config,) = [d for d in found if d.rule == checks.CONFIG_RULE]
    assert config.line == 5 and config.severity == "error" and "numbering-sequense" in config.message


def test_inline_comment_silences_one_rule_on_one_line(tmp_path):
    body = "# 第1章 はじめに\n\n# 第3章 飛び {## check: ignore numbering-sequence +##}\n\n# 第5章 飛び\n"
    found = [(d.line, d.rule) for d in diagnose(write(tmp_path, "", body))]
    assert found == [(9, "numbering-sequence")]


def test_inline_comment_with_unknown_rule_is_reported(tmp_path):
    found = diagnose(write(tmp_path, "", "本文 {## check: ignore no-such-rule +##}\n"))
    assert [(d.line, d.rule) for d in found] == [(5, checks.CONFIG_RULE)]


@pytest.mark.parametrize(
    "body",
    [
        "",
        "#",
        "# 第",
        "- 第1章\n- 第",
        "**",
        "「",
        "令和元年0月0日",
        "令和99年",
        "![](",
        "第〇章",
        "```\n{{",
        "\t\u200b",
        "# 第百章 x\n#### 第1項",
        "- 第1章 a\n  - 第1節 b\n- 第2章 c\n",
    ],
)
def test_odd_input_gives_diagnostics_not_tracebacks(tmp_path, body):
    body = body.replace("{{", "{% raw %}{{{% endraw %}")
    for diagnostic in diagnose(write(tmp_path, "", body or "本文\n")):
        assert isinstance(diagnostic, Diagnostic)


def test_messages_follow_one_convention():
    for path in fixture_files():
        for diagnostic in diagnose(path):
            if diagnostic.rule in checks.BY_ID:
                assert " のはずが " in diagnostic.message, diagnostic.format()


def test_rules_are_pure_over_a_frozen_view():
    from dataclasses import FrozenInstanceError

    from jpub.checks import prepare

    docs = prepare.docs(pipeline.prepare(FIXTURES / "unseen.md"))
    with pytest.raises(FrozenInstanceError):
        docs[0].lines = ()  # type: ignore[misc]
    assert {fmt for doc in docs for fmt in doc.formats} == set(FORMATS)
    first = [list(rule.check(docs[0])) for rule in checks.RULES]
    assert first == [list(rule.check(docs[0])) for rule in checks.RULES]


ODD = "第1章部節項〇一二十#*_-「」（）【】『』“”年月日度元令和平成昭和0１2９ A I\t\u200b\u00ad{}%![]()`\n "


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=ODD, max_size=80))
def test_any_text_gives_diagnostics_not_tracebacks(body):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_text("---\ntitle: T\n---\n\n{% raw %}" + body + "{% endraw %}\n本文\n", encoding="utf-8")
        for diagnostic in diagnose(path):
            assert isinstance(diagnostic, Diagnostic)


@pytest.mark.parametrize("value", ["（1）", "[（1）, 第]", "[1, 2]", "[]"])
def test_a_numbering_order_that_is_not_a_list_of_numbers_is_a_settings_error(tmp_path, value):
    found = diagnose(write(tmp_path, f"publish:\n  numbering: {value}\n", "本文\n"))
    assert [(d.rule, d.line) for d in found] == [("settings", 4)], found


def test_every_rule_is_planted_in_an_included_file_and_in_a_main_file():
    """Each kind of defect is found where it was written: inside a file the source includes (or imports), and
    in a source of its own."""
    in_parts: set[str] = set()
    in_main: set[str] = set()
    for path in fixture_files():
        for name, _line, rule in expected(path):
            (in_main if name == path.name else in_parts).add(rule)
    for rule in [*checks.BY_ID, "template-undefined", "include-missing"]:
        assert rule in in_parts, f"{rule} has no fixture inside an included file"
        assert rule in in_main, f"{rule} has no fixture in a main file"


def test_a_defect_in_an_included_file_names_that_file_and_the_include_line(capsys):
    assert main(["check", "--source", str(FIXTURES / "included.md"), "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    (gap,) = [d for d in found if d["rule"] == "fullwidth-gap"]
    assert gap["path"].endswith("parts/text.md") and (gap["line"], gap["column"]) == (5, 5)
    assert gap["context"] == "tests/fixtures/checks/included.md:16 で取り込み" or gap["context"].endswith("included.md:16 で取り込み")
    (macro,) = [d for d in found if d["path"].endswith("macros.md")]
    assert macro["line"] == 2 and macro["context"].endswith("included.md:22 で取り込み")
    assert main(["check", "--source", str(FIXTURES / "included.md")]) == 1
    assert "parts/text.md:5:5: warning: " in capsys.readouterr().out
