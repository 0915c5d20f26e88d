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
    "tab-indented lists": (FRONT + "".join("\t" * i + "- 項目\n" for i in range(60)), "limit-nesting", ":24:"),  # a tab is two levels
    "1 MB line": (FRONT + "# 第1章 長い\n\n" + "あ" * 1_048_576 + "\n", "limit-line", ":6:"),
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
