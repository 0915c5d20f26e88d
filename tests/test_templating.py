from pathlib import Path

import pytest

from jpub import pipeline
from jpub.errors import DocumentError
from jpub.source_template import mark_lines, unmark


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    return path


FRONT = "---\ntitle: T\nyear: 令和6年度\nitems:\n  - a\n  - b\n---\n"


def render(tmp_path, body, fmt="pdf"):
    return pipeline.read(write(tmp_path, FRONT + body), formats=[fmt]).renderings[fmt]


def test_variable_is_substituted(tmp_path):
    assert "令和6年度の計画" in render(tmp_path, "{{ year }}の計画\n").text


def test_front_matter_strings_may_use_variables(tmp_path):
    path = write(tmp_path, '---\ntitle: "{{ year }} 報告"\nyear: 令和6年度\n---\n本文\n')
    meta = pipeline.read(path).meta
    assert meta.title == "令和6年度 報告"


@pytest.mark.parametrize("fmt, shown", [("html", True), ("pdf", False), ("docx", False)])
def test_block_limited_to_one_edition(tmp_path, fmt, shown):
    text = render(tmp_path, '{% if format == "html" %}\nウェブ限定\n{% endif %}\n', fmt).text
    assert ("ウェブ限定" in text) is shown


def test_front_matter_list_feeds_a_table(tmp_path):
    body = "| 名 |\n|----|\n{% for i in items %}\n| {{ i }} |\n{% endfor %}\n"
    assert render(tmp_path, body).text.splitlines()[:4] == ["| 名 |", "|----|", "| a |", "| b |"]


def test_undefined_variable_names_file_and_line(tmp_path):
    with pytest.raises(DocumentError) as caught:
        render(tmp_path, "一行目\n\n{{ missing_name }}\n")
    (diag,) = caught.value.diagnostics
    assert (diag.line, diag.rule) == (10, "template-undefined")  # 7 front-matter lines + 3
    assert "missing_name" in diag.message and diag.path.endswith("doc.md")


def test_syntax_error_names_line(tmp_path):
    with pytest.raises(DocumentError) as caught:
        render(tmp_path, "a\n{% if %}\n")
    assert caught.value.diagnostics[0].line == 9


def test_pandoc_id_attribute_is_not_a_jinja_comment(tmp_path):
    text = render(tmp_path, "# 見出し {#intro}\n\n本文 #} の後\n").text
    assert "{#intro}" in text and "本文 #} の後" in text


def test_rendered_lines_map_back_to_source_lines(tmp_path):
    rendered = render(tmp_path, '{% if format == "html" %}\nA\nB\n{% endif %}\nafter\n')
    line = rendered.text.splitlines().index("after") + 1
    assert rendered.source_line(line) == 12


def test_markers_survive_a_round_trip():
    body = "x\n  {% for a in b %}\n{{ a }} y\n{% endfor %}\n"
    marked = mark_lines(body, 3)
    text, lines = unmark(marked.replace("{% for a in b %}", "").replace("{% endfor %}", ""), 3)
    assert "\ue000" not in text and lines[0] == 3


def test_comment_ending_a_line_keeps_the_line_break(tmp_path):
    text = render(tmp_path, "- 一つ目 {## note ##}\n- 二つ目\n").text
    assert text.splitlines()[:2] == ["- 一つ目 ", "- 二つ目"]


def test_line_starting_with_an_expression_maps_to_its_own_line(tmp_path):
    rendered = render(tmp_path, "前\n\n{{ year }}の本文\n")
    line = rendered.text.splitlines().index("令和6年度の本文") + 1
    assert rendered.source_line(line) == 10


def test_unquoted_off_switches_a_rule_off(tmp_path):
    path = write(tmp_path, "---\ntitle: T\npublish:\n  checks:\n    tab: off\n---\n本文\n")
    settings = pipeline.read(path).settings
    assert settings.checks["tab"] == "off"


def test_included_lines_map_to_the_include_line(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "chapter.md").write_text("取り込み一行目\n\n取り込み三行目\n", encoding="utf-8")
    rendered = render(tmp_path, "前\n\n{% include 'parts/chapter.md' %}\n後\n")
    lines = rendered.text.splitlines()
    assert rendered.source_line(lines.index("取り込み一行目") + 1) == 10
    assert rendered.source_line(lines.index("取り込み三行目") + 1) == 10
    assert rendered.source_line(lines.index("後") + 1) == 11
