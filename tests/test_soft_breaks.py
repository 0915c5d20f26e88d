"""A line break between two Japanese characters is no space in any edition (pandoc's east_asian_line_breaks),
in paragraphs and in grid-table cells written over two lines; between Japanese and a half-width letter it
stays a space, which the soft-break rule reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jpub.verify import docx as vdocx
from jpub.verify import html as vhtml
from jpub.verify import pdf as vpdf

from .conftest import build

pytestmark = pytest.mark.slow

DOCUMENT = """---
title: 改行
lang: ja
---

# 第1章 段落と表の改行

段落の途中で
改行しても空白にならない。

+----------------+--------------------+
| 区分           | 内容               |
+================+====================+
| 従業員50人     | 「中小企業の       |
| 以上           | 定義」による       |
+----------------+--------------------+
"""

READ = {"pdf": vpdf.pdf_text, "docx": vdocx.docx_text, "html": vhtml.html_text}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("breaks")
    source = folder / "breaks.md"
    source.write_text(DOCUMENT, encoding="utf-8")
    return build(source, folder / "out")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_no_space_where_a_line_broke_between_japanese_characters(built, fmt):
    text = READ[fmt](built / f"breaks.{fmt}")
    joined = re.sub(r"\n", "", text)  # the PDF's own line ends are not spaces
    for phrase in ("途中で改行しても", "従業員50人以上", "「中小企業の定義」による"):
        assert phrase in joined, (phrase, text)
    assert "50人 以上" not in text and "途中で 改行" not in text
