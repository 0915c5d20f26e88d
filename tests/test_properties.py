"""Random Markdown and Jinja2 never crash ``check``: every outcome is diagnostics and exit 0 or 1."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jpub import cli

PIECES = [
    "# ",
    "## ",
    "### ",
    "#### ",
    "第1部 ",
    "第2章 ",
    "第３節 ",
    "第二項 ",
    "第0章",
    "見出し",
    "本文。",
    "、",
    "。",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "> ",
    "  ",
    "\t",
    "**",
    "*",
    "_",
    "`",
    "```\n",
    "|",
    "|---|",
    "{{ x }}",
    "{{ y }}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{% if format == 'html' %}",
    "{% endif %}",
    "{% for i in items %}",
    "{% endfor %}",
    "{## c ##}",
    "{#id}",
    "::: cover\n",
    ":::\n",
    "令和元年",
    "令和0年",
    "平成31年5月",
    "（2024年）",
    "13月",
    "2月30日",
    "A I",
    "ＡＩ",
    "「",
    "」",
    "（",
    "）",
    "“",
    "”",
    "\u200b",
    "![図](none.png)",
    "<script>",
    "<div onclick=x>",
    "[link](#a)",
    "\\",
    "第1章 の構成",
    "◆",
]
FRONTS = [
    "",
    "---\ntitle: T\nx: 1\nitems: [a, b]\n---\n",
    "---\ntitle: [\n---\n",
    "---\npublish:\n  checks: {bogus: off}\n---\n",
    "---\n- a\n---\n",
    "---\ntitle: T\ndate: 2024-13-01\n---\n",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=st.sampled_from(FRONTS), body=st.lists(st.sampled_from(PIECES), max_size=40).map("".join), noise=st.text(max_size=20))
def test_check_never_crashes(front, body, noise):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_text(front + body + noise, encoding="utf-8", errors="surrogatepass")
        assert cli.main(["check", "--source", str(path)]) in (0, 1)
