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
    text, origins = unmark(marked.replace("{% for a in b %}", "").replace("{% endfor %}", ""), 3)
    assert "\ue000" not in text and (origins[0].file, origins[0].line) == (0, 3)


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


def write_parts(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "macros.md").write_text("{% macro note(x) %}\n注記{{ x }}\n注記の二行目\n{% endmacro %}\n", encoding="utf-8")
    (tmp_path / "parts" / "chapter.md").write_text(
        "{% import 'parts/macros.md' as m %}\n\n取り込み三行目\n\n{{ m.note(1) }}\n\n{% include 'parts/inner.md' %}\n", encoding="utf-8"
    )
    (tmp_path / "parts" / "inner.md").write_text("\n入れ子の二行目\n", encoding="utf-8")


def test_included_and_macro_lines_keep_their_own_file_and_line(tmp_path):
    write_parts(tmp_path)
    rendered = render(tmp_path, "前\n\n{% include 'parts/chapter.md' %}\n後\n")
    lines = rendered.text.splitlines()

    def where(text: str) -> tuple[str, int, str]:
        path, line, context = rendered.where(lines.index(text) + 1, "doc.md")
        return Path(path).name, line, context.replace(str(tmp_path) + "/", "")

    assert where("前") == ("doc.md", 8, "")
    assert where("取り込み三行目") == ("chapter.md", 3, "doc.md:10 で取り込み")
    assert where("注記1") == ("macros.md", 2, where("注記1")[2])
    assert where("注記1")[2].startswith("parts/chapter.md:5 ← doc.md:10")
    assert where("注記の二行目")[:2] == ("macros.md", 3)
    assert where("入れ子の二行目") == ("inner.md", 2, "parts/chapter.md:7 ← doc.md:10 で取り込み")
    assert where("後") == ("doc.md", 11, "")


@pytest.mark.parametrize(
    "inner, rule, line",
    [("一行目\n{{ not_defined }}\n", "template-undefined", 2), ("一行目\n\n{% if %}\n", "template-syntax", 3), ("{% for x in y %}\n", "template-syntax", 1)],
)
def test_template_error_in_an_included_file_names_that_file_and_line(tmp_path, inner, rule, line):
    (tmp_path / "part.md").write_text(inner, encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        render(tmp_path, "前\n\n{% include 'part.md' %}\n")
    (diag,) = caught.value.diagnostics
    assert (Path(diag.path).name, diag.line, diag.rule) == ("part.md", line, rule)


def test_a_source_that_never_names_format_is_rendered_once_for_every_edition(tmp_path, monkeypatch):
    from jpub import source_template

    calls = []
    real = source_template.render_body
    monkeypatch.setattr(source_template, "render_body", lambda *args: calls.append(args[2]) or real(*args))
    (tmp_path / "_part.md").write_text("取り込まれた{{ year }}の段落\n", encoding="utf-8")
    draft = pipeline.read(write(tmp_path, FRONT + '本文\n\n{% include "_part.md" %}\n'))
    assert calls == ["pdf"]
    assert {fmt: r.format for fmt, r in draft.renderings.items()} == {fmt: fmt for fmt in pipeline.FORMATS}
    assert len({r.text for r in draft.renderings.values()}) == 1 and "取り込まれた令和6年度の段落" in draft.renderings["html"].text


@pytest.mark.parametrize("where", ["source", "included file"])
def test_format_named_anywhere_renders_each_edition_itself(tmp_path, where):
    block = '{% if format == "html" %}\nウェブ限定\n{% endif %}\n'
    (tmp_path / "_part.md").write_text(block if where == "included file" else "段落\n", encoding="utf-8")
    body = '本文\n\n{% include "_part.md" %}\n' + (block if where == "source" else "")
    draft = pipeline.read(write(tmp_path, FRONT + body))
    assert "ウェブ限定" in draft.renderings["html"].text
    assert "ウェブ限定" not in draft.renderings["pdf"].text and "ウェブ限定" not in draft.renderings["docx"].text
