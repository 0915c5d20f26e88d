"""Hostile sources: each case of a hostile review, run as written, stops with one message at its line or
builds safely — no file of the machine in any edition, no source overwritten, no traceback."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from jpub import cli, source_template
from jpub import source as source_mod
from jpub.verify import docx as vdocx
from jpub.verify import html as vhtml
from jpub.verify import pdf as vpdf

FRONT = "---\ntitle: T\n---\n# 第1章 本文\n\n"  # the body's first free line is line 6
SECRET = "root:x:0:0"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the source's folder, standing in for /etc/passwd."""
    path = tmp_path / "etc" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET + ":root:/root:/bin/bash\n", encoding="utf-8")
    return path


@dataclasses.dataclass(frozen=True)
class Case:
    source: str  # the text of src/doc.md
    expected: str  # what the one message says, from the line on: "6: error: …"
    setup: Callable[[Path, Path], None] = lambda src, secret: None  # (the source's folder, the outside file)


def to_secret(secret: Path) -> Path:
    return secret


def link(name: str, to: Callable[[Path], Path]) -> Callable[[Path, Path], None]:
    def make(src: Path, secret: Path) -> None:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).symlink_to(to(secret))

    return make


OUTSIDE = "はソースのフォルダの外を指しています（シンボリックリンクも含め、フォルダの中のファイルだけを取り込めます） [include-refused]"
INCLUDES = {
    "symlink to a file": Case(FRONT + '{% include "x.md" %}\n', f"6: error: 取り込むファイル x.md {OUTSIDE}", link("x.md", to_secret)),
    "symlink to a folder": Case(FRONT + '{% include "d/passwd" %}\n', f"6: error: 取り込むファイル d/passwd {OUTSIDE}", link("d", lambda s: s.parent)),
    "symlink to /": Case(FRONT + '{% include "d/etc/passwd" %}\n', f"6: error: 取り込むファイル d/etc/passwd {OUTSIDE}", link("d", lambda s: Path("/"))),
    "symlink in a subfolder": Case(FRONT + '{% include "parts/x.md" %}\n', f"6: error: 取り込むファイル parts/x.md {OUTSIDE}", link("parts/x.md", lambda s: s)),
    "in the front matter": Case(
        "---\ntitle: \"{% include 'x.md' %}\"\n---\n# 第1章 本文\n\n本文。\n", f"2: error: 取り込むファイル x.md {OUTSIDE}", link("x.md", to_secret)
    ),
    "parent folder": Case(FRONT + '{% include "../etc/passwd" %}\n', f"6: error: 取り込むファイル ../etc/passwd {OUTSIDE}"),
    "parent folder, missing": Case(FRONT + '{% include "../etc/nothing" %}\n', f"6: error: 取り込むファイル ../etc/nothing {OUTSIDE}"),
    "absolute path": Case(FRONT + '{% include "/etc/passwd" %}\n', f"6: error: 取り込むファイル /etc/passwd {OUTSIDE}"),
    "ignore missing": Case(FRONT + '{% include "x.md" ignore missing %}\n', f"6: error: 取り込むファイル x.md {OUTSIDE}", link("x.md", to_secret)),
    "a list of names": Case(FRONT + '{% include ["none.md", "x.md"] %}\n', f"6: error: 取り込むファイル x.md {OUTSIDE}", link("x.md", to_secret)),
    "import": Case(FRONT + '{% import "x.md" as m %}\n本文\n', f"6: error: 取り込むファイル x.md {OUTSIDE}", link("x.md", to_secret)),
    "from import": Case(FRONT + '{% from "x.md" import m %}\n本文\n', f"6: error: 取り込むファイル x.md {OUTSIDE}", link("x.md", to_secret)),
    "extends": Case('---\ntitle: T\n---\n{% extends "x.md" %}\n', f"4: error: 取り込むファイル x.md {OUTSIDE}", link("x.md", to_secret)),
    "through an include inside": Case(
        FRONT + "本文\n\n{% include 'inner.md' %}\n",
        f"2: error: 取り込むファイル x.md {OUTSIDE}",
        lambda src, secret: ((src / "inner.md").write_text("内側\n{% include 'x.md' %}\n", encoding="utf-8"), (src / "x.md").symlink_to(secret)),
    ),
    "the source itself": Case(FRONT + '{% include "doc.md" %}\n', "6: error: 取り込むファイル doc.md はソース自身です（自分自身は取り込めません）"),
    "a folder": Case(FRONT + '{% include "sub" %}\n', "6: error: 取り込むファイル sub はフォルダです。", lambda src, _: (src / "sub").mkdir()),
    "a FIFO": Case(FRONT + '{% include "p.md" %}\n', "6: error: 取り込むファイル p.md は通常のファイルではありません", lambda src, _: os.mkfifo(src / "p.md")),
    "a binary file": Case(FRONT + '{% include "b.md" %}\n', "6: error: 取り込むファイル b.md はバイナリ", lambda src, _: (src / "b.md").write_bytes(b"\x00")),
    "two files including each other": Case(
        FRONT + "本文\n\n{% include 'a.md' %}\n",
        "8: error: 取り込みかマクロの呼び出しが深すぎます",
        lambda src, secret: ((src / "a.md").write_text("{% include 'b.md' %}\n"), (src / "b.md").write_text("{% include 'a.md' %}\n")),
    ),
    "a macro calling itself": Case(FRONT + "{% macro f() %}{{ f() }}{% endmacro %}\n本文\n{{ f() }}\n", "8: error: 取り込みかマクロの呼び出しが深すぎます"),
}


@pytest.mark.parametrize("name", list(INCLUDES))
def test_an_include_reads_only_regular_files_inside_the_source_folder(tmp_path, secret, capsys, name):
    case = INCLUDES[name]
    src = tmp_path / "src"
    src.mkdir()
    (src / "doc.md").write_text(case.source, encoding="utf-8")
    case.setup(src, secret)
    status = cli.main(["check", "--source", str(src / "doc.md")])
    output = "".join(capsys.readouterr())
    assert status == 1 and "Traceback" not in output and SECRET not in output
    assert case.expected in output, output
    assert len([line for line in output.splitlines() if ": error: " in line]) == 1


def test_the_message_does_not_tell_whether_an_outside_file_exists(tmp_path, secret, capsys):
    src = tmp_path / "src"
    src.mkdir()
    said = []
    for name in ("../etc/passwd", "../etc/nothing", "../nothing/at/all"):
        (src / "doc.md").write_text(FRONT + f'{{% include "{name}" %}}\n', encoding="utf-8")
        assert cli.main(["check", "--source", str(src / "doc.md")]) == 1
        said.append("".join(capsys.readouterr()).replace(name, "NAME"))
    assert said[0] == said[1] == said[2]


def test_an_error_inside_an_included_file_is_placed_in_that_file(tmp_path, capsys):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "a.md").write_text("一行目\n{{ nope }}\n", encoding="utf-8")
    (tmp_path / "doc.md").write_text(FRONT + "{% include 'parts/a.md' %}\n", encoding="utf-8")
    assert cli.main(["check", "--source", str(tmp_path / "doc.md")]) == 1
    assert "parts/a.md:2: error: 変数 nope が定義されていません" in capsys.readouterr().err


def test_an_include_inside_the_folder_still_works_through_a_symlink_inside_it(tmp_path, capsys):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "a.md").write_text("取り込まれた本文。\n", encoding="utf-8")
    (tmp_path / "alias.md").symlink_to(tmp_path / "parts" / "a.md")
    (tmp_path / "doc.md").write_text(FRONT + "{% include 'alias.md' %}\n", encoding="utf-8")
    rendered = source_template.render_body(source_mod.load(tmp_path / "doc.md"), {}, "html")
    assert "取り込まれた本文。" in rendered.text and rendered.includes == ((tmp_path / "parts" / "a.md").resolve(),)


def test_a_build_with_a_symlinked_include_writes_nothing(tmp_path, secret, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "doc.md").write_text(FRONT + '{% include "x.md" %}\n', encoding="utf-8")
    (src / "x.md").symlink_to(secret)
    assert cli.main(["--source", str(src / "doc.md"), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("suffix", [".html", ".pdf", ".docx"])
def test_a_source_named_like_its_output_is_not_overwritten(tmp_path, capsys, suffix):
    path = tmp_path / f"report{suffix}"
    text = FRONT + "本文。\n"
    path.write_text(text, encoding="utf-8")
    target = suffix.lstrip(".")
    status = cli.main([target, "--source", str(path), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1 and f"report{suffix}: error: 出力先 " in err and "このビルドが読むファイル" in err
    assert path.read_text(encoding="utf-8") == text


def test_an_output_that_would_replace_an_include_is_refused(tmp_path, capsys):
    (tmp_path / "doc.html").write_text("取り込む本文。\n", encoding="utf-8")
    (tmp_path / "doc.md").write_text(FRONT + "{% include 'doc.html' %}\n", encoding="utf-8")
    assert cli.main(["html", "--source", str(tmp_path / "doc.md"), "--out", str(tmp_path)]) == 1
    assert "doc.html: error: 出力先 " in capsys.readouterr().err
    assert (tmp_path / "doc.html").read_text(encoding="utf-8") == "取り込む本文。\n"


def test_an_output_that_would_replace_an_image_is_refused(tmp_path, capsys):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    (tmp_path / "doc.pdf").write_bytes(png)
    (tmp_path / "doc.md").write_text(FRONT + "![図](doc.pdf)\n", encoding="utf-8")
    assert cli.main(["html", "pdf", "--source", str(tmp_path / "doc.md"), "--out", str(tmp_path)]) == 1
    assert (tmp_path / "doc.pdf").read_bytes() == png and not (tmp_path / "doc.html").exists()


def test_out_pointing_at_a_file_is_a_clear_message(tmp_path, capsys):
    (tmp_path / "doc.md").write_text(FRONT + "本文。\n", encoding="utf-8")
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    assert cli.main(["html", "--source", str(tmp_path / "doc.md"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "out: error: 出力先 " in err and "はファイルです（--out にはフォルダを指定してください）" in err and "File exists" not in err


def test_no_edition_carries_a_file_reached_through_a_symlink(tmp_path, secret):
    """The include that leaked before is refused, so no edition is written; an image through a symlink is
    refused by the image policy, and the build goes on without it."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "pic.png").symlink_to(secret)
    (src / "doc.md").write_text(FRONT + "本文。\n\n![図](pic.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["--source", str(src / "doc.md"), "--out", str(out)]) == 0
    for suffix, read in ((".pdf", vpdf.pdf_text), (".docx", vdocx.docx_text), (".html", vhtml.html_text)):
        assert SECRET not in read(out / f"doc{suffix}")


@pytest.mark.parametrize("kind", ["/dev/zero", "a FIFO", "a symlink to /dev/zero"])
def test_a_source_that_is_not_a_regular_file_is_refused(tmp_path, capsys, kind):
    path = Path("/dev/zero")
    if kind == "a FIFO":
        path = tmp_path / "doc.md"
        os.mkfifo(path)
    elif kind == "a symlink to /dev/zero":
        path = tmp_path / "doc.md"
        path.symlink_to("/dev/zero")
    assert cli.main(["--source", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "error: ソースが通常のファイルではありません" in err and "[source-unreadable]" in err
    assert not (tmp_path / "out").exists()


def test_a_source_over_the_size_limit_is_refused_before_it_is_read_whole(tmp_path, capsys):
    path = tmp_path / "doc.md"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(FRONT)
        stream.write(("本文。" * 1000 + "\n\n") * 2500)  # about 22 MB
    assert cli.main(["check", "--source", str(path)]) == 1
    assert "doc.md: error: ソースが大きすぎます（上限 20,971,520 バイト） [limit-size]" in capsys.readouterr().err


FRONT_MATTER = {
    "a date before 明治": ("date: 1800-01-01\n", "3: error: date は 明治元年10月23日（1868-10-23）から 2107-12-31 までの日付で書いてください（1800-01-01）"),
    "a date past what a zip holds": (
        "date: 9999-12-31\n",
        "3: error: date は 明治元年10月23日（1868-10-23）から 2107-12-31 までの日付で書いてください（9999-12-31）",
    ),
    "an era date before 明治 ends": ("date: 明治元年1月1日\n", "3: error: date は 2024-06-11 か 令和6年6月11日 の形の、存在する日付で書いてください"),
    "a control character in the title": ('title2: "T\\x01"\n', "3: error: フロントマターの title2 に文書に書けない文字 U+0001 があります"),
    "an unpaired surrogate": ('subject: "\\ud800"\n', "3: error: フロントマターの subject に文書に書けない文字 U+D800 があります"),
    "a control character in a list": ('keywords: [a, "b\\x1f"]\n', "3: error: フロントマターの keywords に文書に書けない文字 U+001F があります"),
    "a control character made by a template": ("author: \"{{ '\\x0b' }}\"\n", "3: error: フロントマターの author に文書に書けない文字 U+000B があります"),
}


@pytest.mark.parametrize("name", list(FRONT_MATTER))
def test_front_matter_that_no_edition_can_hold_is_one_message_at_its_line(tmp_path, capsys, name):
    line, expected = FRONT_MATTER[name]
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: T\n{line}---\n# 第1章 本文\n\n本文。\n", encoding="utf-8")
    status = cli.main(["--source", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1 and f"doc.md:{expected}" in err and "Traceback" not in err, err
    assert not (tmp_path / "out").exists()


def test_source_date_epoch_past_what_a_zip_holds_is_a_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")  # 9999-12-31
    path = tmp_path / "doc.md"
    path.write_text(FRONT + "本文。\n", encoding="utf-8")
    assert cli.main(["docx", "--source", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH: error: SOURCE_DATE_EPOCH が大きすぎます" in err and "Traceback" not in err


SCRIPTS = {
    "Hebrew": ("שלום עולם", "ש（U+05E9）"),
    "Arabic": ("مرحبا", "م（U+0645）"),
    "an emoji": ("笑顔 😀 です。", "😀（U+1F600）"),
    "an emoji joined with ZWJ": ("家族 👨\u200d👩\u200d👧 です。", "👨（U+1F468） 👩（U+1F469） 👧（U+1F467）"),
}


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_characters_no_print_font_has_are_one_error_at_their_line_before_building(tmp_path, capsys, name):
    text, shown = SCRIPTS[name]
    path = tmp_path / "doc.md"
    path.write_text(FRONT + "本文。\n\n" + text + "\n", encoding="utf-8")
    assert cli.main(["check", "--source", str(path)]) == 1
    out = "".join(capsys.readouterr())
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "doc.md:8:" in errors[0] and shown in errors[0] and "[font-coverage]" in errors[0], out
    assert cli.main(["pdf", "--source", str(path), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()


def test_a_web_only_build_does_not_need_the_print_fonts(tmp_path, capsys):
    path = tmp_path / "doc.md"
    path.write_text(FRONT + "שלום עולם\n", encoding="utf-8")
    assert cli.main(["html", "--source", str(path), "--out", str(tmp_path / "out")]) == 0


@pytest.mark.parametrize("key", ["title", "subtitle", "author"])
def test_a_title_too_long_to_set_is_one_message_at_its_line(tmp_path, capsys, key):
    path = tmp_path / "doc.md"
    path.write_text(f"---\nyear: 1\n{key}: {'x' * 50000}\n---\n# 第1章 本文\n\n本文。\n", encoding="utf-8")
    assert cli.main(["check", "--source", str(path)]) == 1
    assert f"doc.md:3: error: {key} が長すぎます（50,000 文字、上限 1,000） [front-matter]" in capsys.readouterr().err


def test_the_pdf_fetches_no_fifo_inside_the_source_folder(tmp_path):
    from jpub.fetching import SourceTreeFetcher

    os.mkfifo(tmp_path / "pic.png")
    fetcher = SourceTreeFetcher([tmp_path])
    with pytest.raises(ValueError):
        fetcher.fetch((tmp_path / "pic.png").as_uri())
    assert fetcher.refused == [(tmp_path / "pic.png").as_uri()]
