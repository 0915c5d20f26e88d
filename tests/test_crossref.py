"""Numbering figures and tables and resolving references, on pandoc's parse (no edition is built here)."""

from __future__ import annotations

import re

import pytest

from jpub import crossref, pandoc, pandoc_ast
from jpub.crossref import scheme
from jpub.pandoc_ast import plain_text
from jpub.settings import Settings

PNG = "![{caption}](img/a.png){attrs}"


def parsed(markdown: str, **settings: object) -> tuple[list, crossref.Crossrefs]:
    tree = pandoc.parse_markdown(markdown)
    pandoc_ast.assign_ids(tree["blocks"])
    return crossref.apply(tree["blocks"], Settings(**settings))  # type: ignore[arg-type]


def captions(blocks: list) -> list[str]:
    """Every figure's and table's caption text, in document order."""
    found = []
    for block in pandoc_ast.walk_blocks(blocks):
        if block["t"] in ("Figure", "Table"):
            found.append(plain_text(block["c"][1][1][0]["c"]) if block["c"][1][1] else "")
    return found


def links(blocks: list) -> list[tuple[str, str]]:
    """(text, href) of every reference link."""
    found: list[tuple[str, str]] = []

    def visit(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            if node.get("t") == "Link" and "xref" in node["c"][0][1]:
                found.append((plain_text(node["c"][1]), node["c"][2][0]))
            for value in node.values():
                visit(value)

    visit(blocks)
    return found


def body_text(blocks: list) -> str:
    return "\n".join(plain_text(b["c"]) for b in pandoc_ast.walk_blocks(blocks) if b["t"] == "Para")


TWO_CHAPTERS = """
# 第1章 現状

![研究の体制](img/a.png){#fig:a}

| a | b |
|---|---|
| 1 | 2 |

Table: 予算の推移 {#tbl:a}

![人材の推移](img/a.png){#fig:b}

# 第2章 課題

![課題の整理](img/a.png){#fig:c}

| a | b |
|---|---|
| 1 | 2 |

: 課題の一覧 {#tbl:b}
"""


@pytest.mark.parametrize(
    ("figures", "tables", "expected"),
    [
        ("図{chapter}-{n}", "表{chapter}-{n}", ["図1-1　研究の体制", "表1-1　予算の推移", "図1-2　人材の推移", "図2-1　課題の整理", "表2-1　課題の一覧"]),
        ("図{n}", "表{n}", ["図1　研究の体制", "表1　予算の推移", "図2　人材の推移", "図3　課題の整理", "表2　課題の一覧"]),
        # the same scheme for both kinds: one series, as 図表 in many white papers
        (
            "図表{chapter}-{n}",
            "図表{chapter}-{n}",
            ["図表1-1　研究の体制", "図表1-2　予算の推移", "図表1-3　人材の推移", "図表2-1　課題の整理", "図表2-2　課題の一覧"],
        ),
        ("第{n}図", "", ["第1図　研究の体制", "予算の推移", "第2図　人材の推移", "第3図　課題の整理", "課題の一覧"]),
    ],
)
def test_schemes_number_every_caption(figures, tables, expected):
    blocks, _ = parsed(TWO_CHAPTERS, figure_number=figures, table_number=tables)
    assert captions(blocks) == expected


def test_without_a_scheme_nothing_is_numbered():
    blocks, refs = parsed(TWO_CHAPTERS)
    assert captions(blocks) == ["研究の体制", "予算の推移", "人材の推移", "課題の整理", "課題の一覧"]
    assert [t.number for t in refs.targets] == [""] * 5


def test_a_scheme_with_part_and_chapter_restarts_at_every_chapter():
    markdown = "# 第1部 総論\n\n## 第1章 一\n\n![甲](a.png)\n\n![乙](a.png)\n\n## 第2章 二\n\n![丙](a.png)\n\n# 第2部 各論\n\n## 第3章 三\n\n![丁](a.png)\n"
    blocks, refs = parsed(markdown, figure_number="図表{part}-{chapter}-{n}")
    assert [t.number for t in refs.targets] == ["図表1-1-1", "図表1-1-2", "図表1-2-1", "図表2-3-1"]
    assert [t.restart for t in refs.targets] == [True, False, True, True]
    blocks, refs = parsed(markdown, figure_number="図{part}-{n}")
    assert [t.number for t in refs.targets] == ["図1-1", "図1-2", "図1-3", "図2-1"]


def test_a_figure_outside_the_unit_its_scheme_names_is_marked():
    blocks, refs = parsed("![前書きの図](a.png)\n\n# 第1章 一\n\n![甲](a.png)\n", figure_number="図{chapter}-{n}")
    assert [(t.number, t.outside) for t in refs.targets] == [("図0-1", "章"), ("図1-1", "")]


REFERENCES = [
    ("本文は[@fig:a]のとおり。", "本文は図1-1のとおり。"),
    ("詳細は@fig:aを参照。", "詳細は図1-1を参照。"),  # pandoc leaves this as text: kana before @
    ("図は @fig:aを参照。", "図は 図1-1を参照。"),  # pandoc's citation key swallows the kana
    ("（@fig:a）「@tbl:a」", "（図1-1）「表1-1」"),
    ("[-@fig:b]と", "1-2と"),
    ("[参考図 @fig:b]", "参考図1-2"),  # pandoc-crossref: a prefix replaces the label
    ("[@fig:a; @fig:b; @tbl:a]", "図1-1、図1-2、表1-1"),
    ("[@Fig:a]", "図1-1"),  # pandoc-crossref's capitalised prefix refers to the same figure
    ("Quartoでは@fig-quartoのように", "Quartoでは図2-2のように"),
]


@pytest.mark.parametrize(("written", "text"), REFERENCES)
def test_a_reference_in_japanese_text_says_the_number_and_links_to_its_target(written, text):
    markdown = TWO_CHAPTERS + "\n![Quarto の図](img/a.png){#fig-quarto}\n\n" + written + "\n"
    blocks, refs = parsed(markdown, figure_number="図{chapter}-{n}", table_number="表{chapter}-{n}")
    assert body_text(blocks).split("\n")[-1] == text
    assert links(blocks) and all(href[1:] in {t.id for t in refs.targets} for _text, href in links(blocks))
    assert all(reference.found for reference in refs.references)


def test_an_unknown_reference_stays_as_written_and_is_recorded():
    blocks, refs = parsed(TWO_CHAPTERS + "\n表は[@tbl:nope]、@fig:gone、[@smith2020]。\n", figure_number="図{n}")
    assert body_text(blocks).split("\n")[-1] == "表は@tbl:nope、@fig:gone、[@smith2020]。"
    assert [(r.id, r.found) for r in refs.references] == [("tbl:nope", False), ("fig:gone", False)]


def test_an_e_mail_address_is_not_a_reference():
    blocks, refs = parsed(TWO_CHAPTERS + "\n連絡先 info@fig-x.example.jp まで。\n", figure_number="図{n}")
    assert refs.references == () and "info@fig-x.example.jp" in body_text(blocks)


def test_a_reference_to_an_unnumbered_figure_quotes_its_caption():
    blocks, _ = parsed(TWO_CHAPTERS + "\n[@fig:a]を見よ。\n")
    assert body_text(blocks).split("\n")[-1] == "「研究の体制」を見よ。"


def test_numbers_written_by_hand_are_kept_and_read_as_their_scheme():
    markdown = "# 第1章 一\n\n![図1-1　甲](a.png){#fig:x}\n\n![図1-3　乙](a.png)\n\n![図1-4　丙](a.png)\n\n# 第2章 二\n\n![図1-1　丁](a.png)\n\n[@fig:x]\n"
    blocks, refs = parsed(markdown)
    assert captions(blocks) == ["図1-1　甲", "図1-3　乙", "図1-4　丙", "図1-1　丁"]
    assert [(t.written, t.expected, t.caption) for t in refs.targets] == [
        ("図1-1", "図1-1", "甲"),
        ("図1-3", "図1-2", "乙"),  # a slip …
        ("図1-4", "図1-4", "丙"),  # … is one slip: the count goes on from the written number
        ("図1-1", "図2-1", "丁"),  # not the 章 it stands in
    ]
    assert body_text(blocks).split("\n")[-1] == "図1-1"
    assert {t.scheme for t in refs.targets} == {"図{chapter}-{n}"}


def test_a_figure_and_a_table_without_ids_get_ids_from_their_numbers():
    blocks, refs = parsed(TWO_CHAPTERS.replace("{#fig:b}", "").replace(" {#tbl:b}", ""), figure_number="図{chapter}-{n}", table_number="表{chapter}-{n}")
    assert [t.id for t in refs.targets] == ["fig:a", "tbl:a", "figure-1-2", "fig:c", "table-2-1"]


def test_a_lone_image_with_a_figure_id_is_a_figure():
    blocks, refs = parsed("# 第1章 一\n\n![](a.png){#fig:bare}\n\n[@fig:bare]\n", figure_number="図{chapter}-{n}")
    assert [b["t"] for b in blocks] == ["Header", "Figure", "Para"]
    assert captions(blocks) == ["図1-1"] and body_text(blocks) == "図1-1"


def test_the_cover_has_no_figures():
    blocks, refs = parsed("::: cover\n![ロゴ](a.png)\n:::\n\n# 第1章 一\n\n![甲](a.png)\n", figure_number="図{n}")
    assert [t.caption for t in refs.targets] == ["甲"] and refs.targets[0].number == "図1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("図{chapter}", "{n}"),
        ("図{n}-{n}", "{n}"),
        ("図{chapter}-{chapter}-{n}", "2 回"),
        ("図{page}-{n}", "{page} は使えません"),
        ("{chapter}-{n}", "見出し語"),
    ],
)
def test_a_scheme_that_cannot_number_says_why(text, message):
    with pytest.raises(scheme.SchemeError, match=re.escape(message)):
        scheme.parse(text)
