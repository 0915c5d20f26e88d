"""Column widths from the cells' words (jpub/editions/columns.py), the structure the parse makes explicit
(jpub/blocks.py) and the settings that go with them."""

from __future__ import annotations

import pytest

from jpub import blocks, pandoc
from jpub.editions import columns
from jpub.editions.columns import Need, Sizes, distribute, layout, words
from jpub.errors import DocumentError
from jpub.pandoc_ast import plain_text, walk_blocks
from jpub.settings import from_front_matter

WORDS = [
    ("都道府県", ["都道府県"]),  # a compound is one word: never 都道府／県
    ("避難者数（最大・人）", ["避難者数", "（最大・人）"]),  # a bracketed group stays whole
    ("梅雨前線による大雨", ["梅雨前線による", "大雨"]),  # a break after the particle
    ("41,236", ["41,236"]),  # a figure is one piece
    ("台風第10号（暴風）", ["台風第10号", "（暴風）"]),
    ("AI Safety Institute", ["AI", "Safety", "Institute"]),
    ("ハザードマップ公表市町村", ["ハザードマップ", "公表市町村"]),  # between katakana and kanji
    ("国・地域", ["国・地域"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), WORDS)
def test_words(text, expected):
    assert words(text) == expected


def test_a_cell_needs_its_widest_word_and_its_whole_line():
    found = columns.need(["避難者数（最大・人）"], columns.estimated_width)
    assert (found.least, found.most) == (6.0, 10.0)
    long = columns.need(["あ" * 20], columns.estimated_width)  # a run longer than a word may break
    assert long.least == 2.0


DISTRIBUTE = [
    ([10, 10], [20, 40], 60, [20, 40]),  # everything fits: in proportion to what each needs on one line
    ([10, 10], [20, 40], 90, [30, 60]),
    ([10, 20], [30, 20], 40, [20, 20]),  # wrapping costs only the first column: it gets the room
    ([30, 20], [40, 40], 40, None),  # the words do not fit at all
]


@pytest.mark.parametrize(("least", "most", "available", "expected"), DISTRIBUTE)
def test_distribute(least, most, available, expected):
    found = distribute(least, most, available)
    assert found == expected if expected is None else [round(x, 6) for x in found] == expected


def test_smaller_type_only_when_the_words_would_not_fit():
    sizes = Sizes(body_pt=9.0, floor_pt=7.0, step_pt=0.5, padding_em=0.0, rule_pt=0.0, slack_pt=0.0)
    roomy = layout([Need(4, 8), Need(6, 10)], 200, sizes)
    assert roomy.size_pt == 9.0 and roomy.fits and sum(roomy.widths_pt) == pytest.approx(200)
    tight = layout([Need(10, 10)] * 2, 170, sizes)  # 180 pt of words at 9 pt, 170 at 8.5 pt
    assert tight.size_pt == 8.5 and tight.fits
    hopeless = layout([Need(20, 20)] * 2, 100, sizes)
    assert hopeless.size_pt == 7.0 and not hopeless.fits and sum(hopeless.widths_pt) == pytest.approx(100)


# ---- the structure the parse makes explicit ------------------------------------------------------------


def _blocks(markdown: str) -> list:
    return pandoc.parse_markdown(markdown)["blocks"]


NOTES = [
    ("※ 速報値。", True),
    ("（注）数値は概数。", True),
    ("注1 概数。", True),
    ("出典：内閣府", True),
    ("資料：総務省", True),
    ("本文。", False),
    ("注意して読む。", False),
]


@pytest.mark.parametrize(("text", "note"), NOTES)
def test_table_notes_are_recognised(text, note):
    assert blocks.is_table_note({"t": "Para", "c": [{"t": "Str", "c": text}]}) is note


def test_notes_under_a_table_are_grouped_with_it_and_nothing_more():
    found = blocks.structure(_blocks("| a | b |\n|---|---|\n| x | 1 |\n\n※ 注の一。\n\n出典：某所\n\n本文。\n"))
    assert [b["t"] for b in found] == ["Div", "Para"]
    table, notes = found[0]["c"][1]
    assert found[0]["c"][0][1] == ["table-block"] and table["t"] == "Table"
    assert [plain_text(p["c"]) for p in notes["c"][1]] == ["※ 注の一。", "出典：某所"]


def _title(box) -> str | None:
    first = box["c"][1][0]
    if first["t"] == "Div" and blocks.BOX_TITLE in first["c"][0][1]:
        return plain_text(first["c"][1][0]["c"])
    return None


@pytest.mark.parametrize(("scheme", "labels"), [("none", ["コラム", "コラム"]), ("document", ["コラム1", "コラム2"]), ("chapter", ["コラム1-1", "コラム2-1"])])
def test_column_boxes_get_their_title_line(scheme, labels):
    source = (
        '# 第1章 甲\n\n::: {.column title="避難所"}\n本文。\n:::\n\n# 第2章 乙\n\n::: column\n本文。\n:::\n\n'
        '::: {.note title="ポイント"}\n注意。\n:::\n\n::: note\n無題。\n:::\n'
    )
    found = blocks.structure(_blocks(source), scheme)
    boxes = [b for b in walk_blocks(found) if b["t"] == "Div" and {"column", "note"} & set(b["c"][0][1])]
    titles = [_title(box) for box in boxes]
    assert titles == [f"{labels[0]}\u3000避難所", labels[1], "ポイント", None]
    assert all(key != "title" for b in boxes for key, _ in b["c"][0][2])


def test_figures_are_right_aligned_unless_the_source_says_otherwise():
    table = blocks.structure(_blocks("| 区分 | 人数 | 割合 |\n|---|---|:---|\n| 甲 | 1,250 | 5.0 |\n| 乙 | 30 | 12.5 |\n"))[0]
    specs, head, bodies = table["c"][2], table["c"][3], table["c"][4]
    assert [spec[0]["t"] for spec in specs] == ["AlignDefault", "AlignRight", "AlignLeft"]  # the author's :--- stays
    assert head[1][0][1][1][1]["t"] == "AlignCenter"  # the header of a column of figures is centred
    row = bodies[0][3][0][1]
    assert [cell[0][1] for cell in row] == [[], ["num"], ["num"]]


@pytest.mark.parametrize(("key", "value"), [("column-numbering", "each"), ("pdf-link-urls", "inline")])
def test_new_settings_are_strict(key, value):
    with pytest.raises(DocumentError, match=key):
        from_front_matter({"publish": {key: value}}, "doc.md")
    assert from_front_matter({"publish": {"column-numbering": "chapter", "pdf-link-urls": "after"}}, "doc.md").pdf_link_urls == "after"
