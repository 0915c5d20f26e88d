"""Pathological input fails fast with a clear message (or builds) — never hangs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

FRONT = "---\ntitle: T\n---\n"
CASES = {
    "deep quotes": (FRONT + "> " * 3000 + "深い\n", "limit-nesting", ":4:"),
    "deep list": (FRONT + "".join("  " * i + "- 項目\n" for i in range(200)), "limit-nesting", ":44:"),  # two spaces a level: the 41st
    "lists nested on one line": (FRONT + "- " * 3000 + "項目\n", "limit-nesting", ":4:"),
    "tab-indented lists": (FRONT + "".join("\t" * i + "- 項目\n" for i in range(60)), "limit-nesting", ":44:"),  # a tab a level: the 41st
    "1 MB line": (FRONT + "# 第1章 長い\n\n" + "あ" * 1_048_576 + "\n", "limit-line", ":6:"),
    "an unclosed [ run": (FRONT + "本文\n\n" + "[" * 31 + "\n", "limit-brackets", ":6:"),
    "[a]( 20,000 times": (FRONT + "[a](" * 20000 + "\n", "limit-brackets", ":4:"),
    "<a  50,000 times": (FRONT + "<a " * 50000 + "\n", "limit-brackets", ":4:"),
    "one [ before a long paragraph": (FRONT + "前の段落\n\n本文 [注 " + "長い本文。" * 2000 + "\n", "limit-brackets", ":6:"),
    "[[a] nested": (FRONT + "[[a]" * 12 + "\n", "limit-brackets", ":4:"),
    "a word of 20,000 letters": (FRONT + "本文 " + "x" * 20000 + "\n", "limit-word", ":4:"),
    "100,000 unclosed {{": (FRONT + "{{ " * 100000 + "\n", "template-syntax", ":4:"),
    "100,000 unclosed {##": (FRONT + "本文 {## " * 100000 + "\n", "template-syntax", ":4:"),
    "100,000 headings": (FRONT + "".join(f"# 第{i}章 見出し\n\n" for i in range(1, 100_001)), "limit-headings", ":10004:"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_pathological_input_fails_fast_with_a_message(tmp_path, name):
    text, rule, where = CASES[name]
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    # the timeout only guards against a hang; it is not a speed assertion
    done = subprocess.run(
        [sys.executable, "build.py", "--source", str(path), "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 1
    assert f"[{rule}]" in done.stderr and f"doc.md{where}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text",
    [
        "[リンク](https://example.com/) と [参照][r] と ![図](a.png) と <https://example.com/> と <b>太字</b>。" * 200,
        "```\n" + "[" * 100 + "\n```",  # code is not read for links
        "\\[" * 100 + " 書いたままの角かっこ",
        "[注] " + "本文。" * 1000,
        "- [ ] " + "未完了の項目" * 100,
    ],
)
def test_ordinary_brackets_cost_nothing_or_little(text):
    from jpub import brackets
    from jpub.limits import LIMITS

    assert list(brackets.slow_blocks(text.split("\n"), LIMITS.max_bracket_cost)) == []


@pytest.mark.parametrize(
    "line",
    ["![図](data:image/png;base64," + "A" * 50000 + ")", "本文" * 5000, "https://example.com/" + "a/b-" * 1000, "word " * 5000],
)
def test_long_lines_that_break_are_not_unbroken_words(line):
    from jpub import limits
    from jpub.source_template import Rendered

    rendered = Rendered("pdf", line, (1,))
    assert [d.rule for d in limits.check(rendered, "doc.md")] == []


@pytest.mark.parametrize("indent", ["  ", "    ", "\t"])
def test_a_nested_list_counts_one_level_however_far_it_is_indented(tmp_path, indent):
    from jpub.limits import nesting

    lines = [indent * level + "- 項目" for level in range(21)]
    assert list(nesting(lines)) == list(range(1, 22))
    assert list(nesting(["- - - 三段", "> > 引用の中", "    続き"])) == [3, 2, 0]
