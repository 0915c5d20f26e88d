"""Every mistake an editor can make gets one clear message, exit 1 (2 for usage), and no traceback."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from jpub import cli, pandoc
from jpub.errors import DocumentError

from .conftest import FIXTURES, ROOT

GOOD = "---\ntitle: T\nyear: 令和6年度\n---\n# 第1章 概要\n\n{{ year }}の本文。\n"


def run(capsys, *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def source(tmp_path: Path, content: str | bytes, name: str = "doc.md") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


CASES = [
    # (name, file content or None for a missing file, expected exit, expected text, expected line or None)
    ("missing", None, 1, "ソースファイルが見つかりません", None),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", 1, "バイナリファイル", None),
    ("shift-jis", "---\ntitle: T\n---\n本文\n".encode() + "日本語".encode("shift_jis"), 1, "UTF-8 として読めません", ":5"),
    ("empty", "", 1, "ソースが空です", None),
    ("front matter only", "---\ntitle: T\n---\n", 1, "本文がありません", None),
    ("yaml", "---\ntitle: [unclosed\nyear: 1\n---\n本文\n", 1, "YAML が不正です", ":2:8"),  # where the [ was written
    ("unclosed front matter", "---\ntitle: T\n本文\n", 1, "フロントマターの終わり", ":1"),
    ("undefined variable", "---\ntitle: T\n---\n\n本文\n{{ nope }}\n", 1, "変数 nope が定義されていません", ":6"),
    ("jinja syntax", "---\ntitle: T\n---\n{% if %}\n", 1, "テンプレートの構文エラー", ":4"),
    ("missing include", "---\ntitle: T\n---\n本文\n\n{% include 'parts/none.md' %}\n", 1, "parts/none.md が見つかりません", ":6"),
    ("unknown setting", "---\ntitle: T\npublish:\n  colour: red\n---\n本文\n", 1, "不明なキー 'colour'", ":4"),
    ("missing font", "---\ntitle: T\npublish:\n  serif-font: No Such Mincho\n---\n# 第1章 本文\n", 1, "フォント「No Such Mincho」がありません", ":3"),
    ("sandbox", "---\ntitle: T\n---\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n", 1, "error", ":4"),
]


@pytest.mark.parametrize("name, content, status, text, line", CASES, ids=[c[0] for c in CASES])
def test_bad_source_gets_one_clear_message(tmp_path, capsys, name, content, status, text, line):
    path = tmp_path / "doc.md" if content is None else source(tmp_path, content)
    got, output = run(capsys, "pdf", "--source", str(path), "--out", str(tmp_path / "out"))
    assert got == status
    assert text in output
    assert "Traceback" not in output and "uid=" not in output
    if line:
        assert f"doc.md{line}" in output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_directory_as_source(tmp_path, capsys):
    status, output = run(capsys, "check", "--source", str(tmp_path))
    assert status == 1 and "ディレクトリ" in output


@pytest.mark.parametrize("argv, text", [(["nonsense"], "不明なターゲット"), (["--pdf-variant", "pdf/z"], "invalid choice"), (["--bogus"], "unrecognized")])
def test_usage_errors_exit_2(capsys, argv, text):
    status, output = run(capsys, *argv)
    assert status == 2 and text in output


def test_pandoc_failure_is_a_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pandoc, "executable", lambda: "/bin/false")
    status, output = run(capsys, "html", "--source", str(source(tmp_path, GOOD)), "--out", str(tmp_path / "out"))
    assert status == 1 and "pandoc が失敗しました" in output and "Traceback" not in output


def test_unwritable_output_is_a_message(tmp_path, capsys):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    status, output = run(capsys, "html", "--source", str(source(tmp_path, GOOD)), "--out", str(blocker))
    assert status == 1 and "error" in output and "Traceback" not in output


def test_debug_flag_shows_the_traceback(tmp_path):
    with pytest.raises(DocumentError):
        cli.main(["check", "--debug", "--source", str(source(tmp_path, "---\ntitle: T\n---\n{{ nope }}\n"))])


def test_build_py_exit_codes_and_no_traceback(tmp_path):
    bad = source(tmp_path, "---\ntitle: T\n---\n{{ nope }}\n")
    done = subprocess.run([sys.executable, "build.py", "check", "--source", str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "doc.md:4: error:" in done.stdout + done.stderr and "Traceback" not in done.stderr
    usage = subprocess.run([sys.executable, "build.py", "--out"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_failed_build_keeps_earlier_outputs(tmp_path, capsys):
    path = source(tmp_path, (FIXTURES / "chapters-only.md").read_text(encoding="utf-8"), "chapters-only.md")
    out = tmp_path / "out"
    assert cli.main(["--source", str(path), "--out", str(out)]) == 0
    before = digest(out)
    path.write_text(path.read_text(encoding="utf-8") + "\n{{ undefined_thing }}\n", encoding="utf-8")
    status, output = run(capsys, "--source", str(path), "--out", str(out))
    assert status == 1 and "既存の出力はそのまま" in output
    assert digest(out) == before  # byte-identical, and no stray temporary file beside them


def test_an_edition_failing_late_writes_none(tmp_path, capsys, monkeypatch):
    import dataclasses

    from jpub.editions import EDITIONS

    path = source(tmp_path, GOOD)
    out = tmp_path / "out"
    assert cli.main(["--source", str(path), "--out", str(out)]) == 0
    before = digest(out)
    path.write_text(GOOD.replace("本文。", "改訂した本文。"), encoding="utf-8")

    def broken(pub):
        raise DocumentError.at("doc.md", 1, "書き出しに失敗", "test-failure")

    monkeypatch.setitem(EDITIONS, "docx", dataclasses.replace(EDITIONS["docx"], render=broken))
    status, _ = run(capsys, "--source", str(path), "--out", str(out))
    assert status == 1
    assert digest(out) == before  # the PDF and HTML that did render were not written either


class _NoPango:
    """An import hook standing in for a machine without Pango: importing weasyprint fails as it would there."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")
        return None


def test_missing_pango_is_a_message(monkeypatch):
    from jpub import preflight

    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    with pytest.raises(DocumentError) as caught:
        preflight.import_weasyprint()
    assert "Pango" in str(caught.value) and "apt-get install" in str(caught.value)


def test_missing_harfbuzz_subset_is_a_warning(monkeypatch):
    import ctypes.util

    from jpub import preflight

    assert preflight.has_harfbuzz_subset() == (ctypes.util.find_library("harfbuzz-subset") is not None)
    from jpub.settings import Settings

    monkeypatch.setattr(preflight, "has_harfbuzz_subset", lambda: False)
    (found,) = [d for d in preflight.check_pdf(Settings(), "doc.md", 1) if d.rule == "harfbuzz-subset"]
    assert found.severity == "warning" and "libharfbuzz-subset0" in found.message


def test_unreadable_source_is_a_message(tmp_path, capsys, monkeypatch):
    import os

    path = source(tmp_path, GOOD)
    real = os.open

    def refuse(name, *args, **kwargs):  # as a file without read permission would (the tests may run as root)
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    status, output = run(capsys, "check", "--source", str(path))
    assert status == 1 and "ソースを読めません: Permission denied" in output and "Traceback" not in output


def test_front_matter_change_reaches_every_edition(tmp_path):
    text = (FIXTURES / "chapters-only.md").read_text(encoding="utf-8").replace("fiscal_year: 令和6年度", "fiscal_year: 令和8年度")
    path = source(tmp_path, text, "chapters-only.md")
    out = tmp_path / "out"
    assert cli.main(["--source", str(path), "--out", str(out)]) == 0
    from jpub.verify import docx as vdocx
    from jpub.verify import html as vhtml
    from jpub.verify import pdf as vpdf
    from jpub.verify import text as vtext

    for suffix, read in ((".pdf", vpdf.pdf_text), (".docx", vdocx.docx_text), (".html", vhtml.html_text)):
        content = vtext.normalise(read(out / f"chapters-only{suffix}"))
        assert "令和8年度地域防災計画" in content and "令和6年度" not in content, suffix


def test_quiet_build_prints_errors_only(tmp_path, capsys):
    path = source(tmp_path, GOOD.replace("の本文。", "の\t本文。"))
    status, output = run(capsys, "html", "--quiet", "--source", str(path), "--out", str(tmp_path / "out"))
    assert status == 0 and "[tab]" not in output
    status, output = run(capsys, "html", "--source", str(path), "--out", str(tmp_path / "out"))
    assert status == 0 and "[tab]" in output


def test_check_reports_its_count(tmp_path, capsys):
    status, output = run(capsys, "check", "--source", str(source(tmp_path, GOOD)))
    assert status == 0 and "check: エラー 0 件、警告 0 件" in output


def test_verify_alone_does_not_repeat_the_checks(tmp_path, capsys):
    path = source(tmp_path, GOOD.replace("の本文。", "の\t本文。"))
    out = tmp_path / "out"
    assert cli.main(["--quiet", "--source", str(path), "--out", str(out)]) == 0
    capsys.readouterr()
    status, output = run(capsys, "verify", "--source", str(path), "--out", str(out))
    assert status == 0 and "[tab]" not in output


MESSAGES = [
    # (front matter lines, body, expected "line: text" fragment)
    ("title: T\nedition 令和7年版\n", "本文\n", ":3:1: error: フロントマターの YAML が不正です: while scanning a simple key"),
    ("title: T\ndate: 2025-06-31\n", "本文\n", ":3: error: フロントマターの値が不正です"),
    ("title: T\ndate: きのう\n", "本文\n", ":3: error: date は 2024-06-11 か 令和6年6月11日"),
    ("title: T\npublish:\n  toc-depth: 2\n  toc-dpeth: 3\n", "本文\n", ":5: error: publish: に不明なキー 'toc-dpeth' があります（toc-depth のことですか？"),
    (
        "title: T\npublish:\n  page-flow:\n    part: recto\n    chapter: new-pag\n",
        "本文\n",
        ":6: error: page-flow の chapter は run-on, new-page, recto のいずれかです（'new-pag'）",
    ),
    ("title: T\npublish:\n  page-flow:\n    chaptr: run-on\n", "本文\n", ":5: error: page-flow に不明なキー 'chaptr' があります（chapter のことですか？"),
    (
        "title: T\npublish:\n  page-flow: 3\n",
        "本文\n",
        ":4: error: page-flow は run-on, new-page, recto のいずれか、または「part | chapter: run-on | new-page | recto」の形です",
    ),
    ("title: T\nfiscal_year: 令和6年度\n", "本文\n{{ fiscal_yaer }}\n", ":6: error: 変数 fiscal_yaer が定義されていません（fiscal_year のことですか？）"),
    ("title: T\naddressee: 議長\n", "本文\n{{ addressee.name }}\n", ":6: error: 値（str）に name という項目はありません"),
    ("title: T\nitems: [a]\n", "{% for i in items %}\n- {{ i }}\n\n本文\n", ":5: error: {% for %} が閉じられていません（{% endfor %} が必要です）"),
    (
        "title: T\nitems: [a]\n",
        "{% if format == 'html' %}\n{% for i in items %}\n{% endif %}\n",
        ":7: error: {% endif %} の前に {% for %} を {% endfor %} で閉じてください",
    ),
]


@pytest.mark.parametrize("front, body, wanted", MESSAGES)
def test_messages_point_at_the_line_written_and_say_what_to_do(tmp_path, capsys, front, body, wanted):
    status, output = run(capsys, "check", "--source", str(source(tmp_path, f"---\n{front}---\n{body}")))
    assert status == 1 and f"doc.md{wanted}" in output, output


def test_date_may_be_written_in_the_era_form(tmp_path):
    from jpub import pipeline

    meta = pipeline.read(source(tmp_path, "---\ntitle: T\ndate: 令和7年6月10日\n---\n本文\n")).meta
    assert meta.date.isoformat() == "2025-06-10" and meta.era_date == "令和7年6月10日"


def test_recursion_too_deep_is_a_message(tmp_path, capsys, monkeypatch):
    from jpub import pipeline

    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline, "parse", too_deep)
    status, output = run(capsys, "html", "--source", str(source(tmp_path, GOOD)), "--out", str(tmp_path / "out"))
    assert status == 1 and "入れ子が深すぎて処理できません" in output and "Traceback" not in output


def test_check_json_carries_reading_errors_too(tmp_path, capsys):
    import json

    path = source(tmp_path, "---\ntitle: [x\n---\n本文\n")
    status = cli.main(["check", "--format", "json", "--source", str(path)])
    (diagnostic,) = json.loads(capsys.readouterr().out)
    assert status == 1 and diagnostic["rule"] == "front-matter" and diagnostic["line"] == 2


@pytest.mark.parametrize("depth", [0, -3, 7, '"2"'])
def test_toc_depth_must_be_a_heading_level(tmp_path, capsys, depth):
    status, output = run(capsys, "check", "--source", str(source(tmp_path, f"---\ntitle: T\npublish:\n  toc-depth: {depth}\n---\n本文\n")))
    assert status == 1 and "toc-depth は 1 から 6 の整数" in output and "doc.md:4" in output


@pytest.mark.parametrize("flow", ["chapter", "true", '"run on"'])
def test_page_flow_must_be_one_of_its_values(tmp_path, capsys, flow):
    status, output = run(capsys, "check", "--source", str(source(tmp_path, f"---\ntitle: T\npublish:\n  page-flow: {flow}\n---\n本文\n")))
    assert status == 1 and "page-flow は run-on, new-page, recto のいずれか" in output and "doc.md:4" in output


def test_include_outside_the_source_folder_says_so(tmp_path, capsys):
    (tmp_path / "inner").mkdir()
    (tmp_path / "outside.md").write_text("外の文章\n", encoding="utf-8")
    path = tmp_path / "inner" / "doc.md"
    path.write_text("---\ntitle: T\n---\n本文\n\n{% include '../outside.md' %}\n", encoding="utf-8")
    status, output = run(capsys, "check", "--source", str(path))
    assert status == 1 and "ソースのフォルダの外を指しています" in output and "doc.md:6" in output


def test_ctrl_c_that_reaches_pandoc_interrupts_the_build(tmp_path, capsys, monkeypatch):
    """Ctrl-C goes to the whole process group: a pandoc it stops is an interrupted build (130), not a failed one."""
    import signal
    import subprocess

    from jpub import pandoc

    real = subprocess.run

    def interrupted(command, *args, **kwargs):
        if command and command[0] == pandoc.executable():
            return subprocess.CompletedProcess(command, -signal.SIGINT, b"", b"")
        return real(command, *args, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", interrupted)
    status, output = run(capsys, "html", "--source", str(source(tmp_path, GOOD)), "--out", str(tmp_path / "out"))
    assert status == 130 and "中断しました" in output and "pandoc が失敗しました" not in output
