"""What the web edition adds to the AST, checked on small sources written through pandoc's HTML writer."""

from __future__ import annotations

import lxml.html
import pytest

from jpub import pandoc, pandoc_ast
from jpub.editions.html.web_ast import for_web
from jpub.editions.html.writer import glue_permalinks


def web_html(markdown: str):
    tree = pandoc.parse_markdown(markdown)
    pandoc_ast.assign_ids(tree["blocks"])
    tree["blocks"] = for_web(tree["blocks"])
    html = glue_permalinks(pandoc.write(tree, "html5", ["--wrap=none"]).decode("utf-8"))
    return lxml.html.fragment_fromstring(html, create_parent="div")


TABLE = "| {a} | 値 |\n|---|--:|\n| {b} | 1 |\n| {c} | 2 |\n"

# (the first column, whether it becomes row headers)
FIRST_COLUMNS = [
    (("地域", "北部", "南部"), True),
    (("年度", "2023", "2024"), False),  # numbers are data, not names of rows
    (("番号", "１", "２"), False),
    (("地域", "北部", " "), False),  # an empty first cell names nothing
]


@pytest.mark.parametrize(("column", "row_headers"), FIRST_COLUMNS)
def test_first_column_is_row_headers_only_when_it_names_the_rows(column, row_headers):
    a, b, c = column
    root = web_html(TABLE.format(a=a, b=b, c=c))
    rows = root.xpath("//tbody/tr")
    assert [r[0].tag == "th" and r[0].get("scope") == "row" for r in rows] == [row_headers] * 2
    assert [th.get("scope") for th in root.xpath("//thead//th")] == ["col", "col"]


def test_caption_from_the_source_is_kept():
    root = web_html("# 第1章 表\n\n" + TABLE.format(a="地域", b="北部", c="南部") + "\nTable: 地域別の値\n")
    assert root.xpath("//caption")[0].text_content() == "地域別の値"


def test_tables_without_captions_are_numbered_under_their_numbered_heading():
    table = TABLE.format(a="地域", b="北部", c="南部")
    root = web_html(f"# 第1章 一\n\n{table}\n## 補足\n\n{table}\n# 第2章 二\n\n## 第1節 三\n\n{table}")
    assert [c.text_content() for c in root.xpath("//caption")] == ["表1（第1章 一）", "表2（第1章 一）", "表3（第1節 三）"]


def test_a_table_before_any_numbered_heading_is_just_numbered():
    root = web_html(TABLE.format(a="地域", b="北部", c="南部"))
    assert root.xpath("//caption")[0].text_content() == "表1"


def test_headings_anywhere_get_a_permalink_and_keep_their_id():
    root = web_html("# 第1章 一\n\n> ## 引用の中\n\n::: note\n## 囲みの中\n:::\n")
    headings = root.xpath("//h1 | //h2")
    assert [h.get("id") for h in headings] == ["chapter1", "chapter1-topic1", "chapter1-topic2"]
    for heading in headings:
        link = heading.getnext()
        assert link.get("href") == "#" + heading.get("id") and link.get("class") == "permalink"
        assert heading.getparent().get("class") == f"heading level-{heading.tag[1]}"
    assert not root.xpath("//section")  # pandoc did not turn a wrapper into a section that steals the id


def test_permalink_label_escapes_the_heading_text():
    root = web_html('# 第1章 "引用" と \\<タグ\\> & 記号\n')
    link = root.xpath("//a[@class='permalink']")[0]
    assert link.get("aria-label") == '見出し「第1章 "引用" と <タグ> & 記号」へのリンク'
