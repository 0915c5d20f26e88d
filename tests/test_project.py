"""A document project: its own templates/ before jpub's, several documents in source/, and jpub new."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jpub import cli, page_templates
from jpub.verify import html as readers
from jpub.verify import pdf as vpdf

from .conftest import ROOT
from .test_docx_support import Package, build_docx

DOC = "---\ntitle: T\ndate: 2025-04-01\n---\n# 第1章 概要\n\n本文。\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- templates beside the source -------------------------------------------------------------------


def test_a_stylesheet_beside_the_source_replaces_jpubs_and_the_rest_stays_jpubs(tmp_path, capsys):
    source = write(tmp_path / "doc.md", DOC)
    write(tmp_path / "templates" / "html" / "web.css", "body { color: rebeccapurple } /* 庁内の色 */\n")
    status, _out, err = run(capsys, "html", "--source", str(source), "--out", str(tmp_path / "out"))
    assert status == 0, err
    page = readers.html_tree(tmp_path / "out" / "doc.html")
    style = "".join(page.xpath("//head/style/text()"))
    assert "rebeccapurple" in style and "庁内の色" in style
    assert page_templates.read("html/web.css", ROOT / "source")[:200] not in style  # jpub's stylesheet is not there too
    assert page.xpath("//head/meta[@http-equiv='Content-Security-Policy']")  # the page shell is still jpub's


def test_a_second_document_elsewhere_keeps_jpubs_templates(tmp_path):
    write(tmp_path / "project" / "templates" / "html" / "web.css", "body { color: red }\n")
    assert page_templates.path("html/web.css", tmp_path / "project") == tmp_path / "project" / "templates" / "html" / "web.css"
    assert page_templates.path("html/web.css", tmp_path / "other") == page_templates.packaged() / "html" / "web.css"
    assert page_templates.packaged() == ROOT / "templates"  # in a checkout: the one copy, not a second


def test_word_style_definitions_beside_the_source_replace_jpubs(tmp_path):
    source = write(tmp_path / "doc.md", DOC)
    packaged = (page_templates.packaged() / "docx" / "styles.yaml").read_text(encoding="utf-8")
    assert "  size: 10.5 " in packaged
    write(tmp_path / "templates" / "docx" / "styles.yaml", packaged.replace("  size: 10.5 ", "  size: 12 ", 1))
    ours = Package(build_docx(source, tmp_path))
    assert ours.style_value("Normal", "w:rPr/w:sz", "val") == "24"  # half-points
    elsewhere = Package(build_docx(write(tmp_path / "plain" / "doc.md", DOC), tmp_path / "plain"))
    assert elsewhere.style_value("Normal", "w:rPr/w:sz", "val") == "21"


@pytest.mark.parametrize(
    "name, text, line, message",
    [
        ("html/page.html.j2", "<!doctype html>\n{{ cycler.__init__.__globals__.os }}\n", 2, "ページのテンプレートを処理できません"),
        ("html/page.html.j2", "<!doctype html>\n\n{{ no_such_value }}\n", 3, "'no_such_value' is undefined"),
        ("pdf/print.css.j2", "body {\n{% if %}\n}\n", 2, "ページのテンプレートを処理できません"),
        ("docx/styles.yaml", "defaults:\n  size: [10.5\n", 3, "Word のスタイル定義の YAML が不正です"),
        ("docx/styles.yaml", "defaults: {size: 12}\n", 0, "page, bullets, fonts, styles, table がありません"),
    ],
)
def test_a_mistake_in_a_template_is_reported_at_its_line(tmp_path, capsys, name, text, line, message):
    """A project's templates come from the same hands as its source: sandboxed, and errors are file:line."""
    source = write(tmp_path / "doc.md", DOC)
    write(tmp_path / "templates" / name, text)
    out = tmp_path / "out"
    status, _out, err = run(capsys, name.split("/")[0], "--source", str(source), "--out", str(out))
    where = f"templates/{name}:{line}:" if line else f"templates/{name}: "
    assert status == 1 and where in err and message in err and "[page-template]" in err, err
    assert "Traceback" not in err and "<module 'os'" not in err
    assert not out.exists() or not any(out.iterdir())


# --- several documents in source/ --------------------------------------------------------------------


@pytest.fixture
def office(tmp_path, monkeypatch) -> Path:
    """A folder with source/ holding two documents, an include-only _common.md and a subfolder."""
    write(tmp_path / "source" / "a.md", DOC.replace("本文。", "{% include '_common.md' %}\n\n{% include 'parts/detail.md' %}"))
    write(tmp_path / "source" / "b.md", DOC.replace("本文。", "第二の文書。"))
    write(tmp_path / "source" / "_common.md", "共通の段落。\n")
    write(tmp_path / "source" / "parts" / "detail.md", "詳しい段落。\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_source_every_document_is_built(office, capsys):
    status, _out, err = run(capsys, "html")
    assert status == 0, err
    assert sorted(p.name for p in (office / "output").iterdir()) == ["a.html", "b.html"]
    assert "共通の段落。" in readers.html_text(office / "output" / "a.html") and "詳しい段落。" in readers.html_text(office / "output" / "a.html")
    assert "[1/2] source/a.md" in err and "[2/2] source/b.md" in err


def test_a_failing_document_does_not_stop_the_others_and_keeps_its_outputs(office, capsys):
    assert run(capsys, "html")[0] == 0
    kept = (office / "output" / "a.html").read_bytes()
    write(office / "source" / "a.md", DOC + "\n{{ nope }}\n")
    write(office / "source" / "b.md", DOC.replace("本文。", "書き直した文書。"))
    status, _out, err = run(capsys, "html")
    assert status == 1
    assert "source/a.md:9: error: 変数 nope が定義されていません" in err
    assert "2 件の文書のうち 1 件が失敗しました: source/a.md" in err
    assert (office / "output" / "a.html").read_bytes() == kept
    assert "書き直した文書。" in readers.html_text(office / "output" / "b.html")


def test_check_of_every_document_as_one_json_list(office, capsys):
    write(office / "source" / "b.md", DOC.replace("本文。", "タブ\tのある文書。"))
    status, out, _err = run(capsys, "check", "--format", "json")
    found = json.loads(out)
    assert status == 0 and [(d["path"], d["rule"]) for d in found] == [("source/b.md", "tab")]


def test_an_empty_source_folder_is_a_usage_error(tmp_path, capsys, monkeypatch):
    write(tmp_path / "source" / "_only-included.md", "断片。\n")
    monkeypatch.chdir(tmp_path)
    status, _out, err = run(capsys, "check")
    assert status == 2 and "文書（.md ファイル）がありません" in err and "jpub new" in err


@pytest.mark.parametrize(
    "included, reported",
    [("b.md", "source/a.md:7"), ("_b.md", None), ("parts/b.md", None), ("parts/via.md", "source/parts/via.md:1")],
)
def test_check_reports_an_include_that_is_also_a_document(tmp_path, capsys, monkeypatch, included, reported):
    write(tmp_path / "source" / "a.md", DOC.replace("本文。", f"{{% include '{included}' %}}"))
    for name in ("b.md", "_b.md", "parts/b.md"):
        write(tmp_path / "source" / name, "取り込まれる段落。\n")
    write(tmp_path / "source" / "parts" / "via.md", "{% include 'b.md' %}\n")
    monkeypatch.chdir(tmp_path)
    status, out, _err = run(capsys, "check", "--source", "source/a.md")
    if reported:
        assert status == 1 and f"{reported}: error: 取り込む b.md は単独の文書でもあります" in out and "[include-document]" in out
    else:
        assert status == 0 and "include-document" not in out


# --- jpub new -----------------------------------------------------------------------------------------


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    write(tmp_path / "keep.md", "前からある原稿。\n")
    status, _out, err = run(capsys, "new", str(tmp_path))
    assert status == 1 and "[project-exists]" in err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.md"]


@pytest.mark.parametrize(("folder", "name", "stem"), [("_draft", None, "draft"), ("x", "年次報告", "年次報告"), ("x", "../up", "document")])
def test_new_names_the_document_so_that_it_is_one(tmp_path, capsys, folder, name, stem):
    status, _out, _err = run(capsys, "new", str(tmp_path / folder), *(["--name", name] if name else []))
    assert status == 0
    made = {str(p.relative_to(tmp_path / folder)) for p in (tmp_path / folder).rglob("*") if p.is_file()}
    assert made == {".gitignore", "Makefile", "source/figures/chart.png", f"source/{stem}.md"}


def test_new_without_a_folder_is_a_usage_error(capsys):
    status, _out, err = run(capsys, "new")
    assert status == 2 and "jpub new: 使い方の誤り" in err


# --- as an installed package ----------------------------------------------------------------------------


@pytest.mark.slow
def test_from_the_wheel_a_new_project_builds_checks_and_verifies_with_its_makefile(tmp_path):
    """Built from this checkout and unpacked elsewhere, the package finds its own templates, scaffolds a
    project, and the project's Makefile builds it and verifies it (the dependencies come from this
    environment; the checkout is not on the path)."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "wheel"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "wheel").glob("jpub-*.whl")
    site = tmp_path / "site"
    shutil.unpack_archive(wheel, site, "zip")
    for packaged, checkout in ((site / "jpub" / "templates", ROOT / "templates"), (site / "jpub" / "scaffold_files", ROOT / "jpub" / "scaffold_files")):
        assert files_under(packaged) == files_under(checkout)  # every file, the same bytes
    assert "jpub = jpub.__main__:run" in next(site.glob("jpub-*.dist-info/entry_points.txt")).read_text(encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": str(site)}
    jpub = [sys.executable, "-m", "jpub"]
    where = subprocess.run(
        [*jpub[:1], "-c", "from jpub import page_templates as t; print(t.packaged())"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert where.stdout.strip() == str(site / "jpub" / "templates")
    made = subprocess.run([*jpub, "new", "報告書"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0 and "jpub pdf docx html verify" in made.stderr
    project = tmp_path / "報告書"
    done = subprocess.run(["make", f"JPUB={' '.join(jpub)}"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verify: output/報告書.pdf, output/報告書.docx, output/報告書.html は原稿と一致しています" in done.stderr
    assert subprocess.run(["make", "-q", f"JPUB={' '.join(jpub)}"], cwd=project, env=env).returncode == 0
    checked = subprocess.run([*jpub, "check"], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stdout == "" and "check: エラー 0 件、警告 0 件" in checked.stderr
    page = readers.html_tree(project / "output" / "報告書.html")
    assert page.xpath("//main//figure/img[starts-with(@src, 'data:image/png')]")
    assert "窓口での相談" in page.xpath("string(//main//table)")
    assert "件数は各年度末の集計による。" in readers.html_text(project / "output" / "報告書.html")
    assert [h.text for h in vpdf.pdf_outline(project / "output" / "報告書.pdf")][:1] == ["第1章 事業の概要"]


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts}
