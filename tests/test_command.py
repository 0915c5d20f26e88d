"""The command itself: build.py, python -m jpub and the installed jpub agree; --quiet; what the machine lacks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jpub import cli, preflight, verify
from jpub.settings import Settings
from jpub.verify import pdf as vpdf

from .conftest import DEFAULT_SOURCE, ROOT

DOC = "---\ntitle: T\ndate: 2025-04-01\n---\n# 第1章 概要\n\n本文。\n"
RULES_DOC = ROOT / "docs" / "rules.md"


def source(tmp_path: Path, text: str = DOC) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_quiet_prints_nothing_when_all_is_well(tmp_path, capsys):
    """--quiet prints errors only: no progress line per edition, no warning, no verify or check summary."""
    path, out = source(tmp_path, DOC.replace("本文。", "本文\tと警告。")), str(tmp_path / "out")
    assert cli.main(["html", "--source", str(path), "--out", out]) == 0
    noisy = capsys.readouterr()
    assert "html  " in noisy.err and "[tab]" in noisy.err  # without --quiet: the progress line and the warning
    assert cli.main(["pdf", "docx", "html", "verify", "--quiet", "--source", str(path), "--out", out]) == 0
    assert cli.main(["check", "--quiet", "--source", str(path)]) == 0
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""


def test_quiet_still_prints_errors(tmp_path, capsys):
    path = source(tmp_path, DOC + "\n{{ nope }}\n")
    assert cli.main(["html", "--quiet", "--source", str(path), "--out", str(tmp_path / "out")]) == 1
    assert "doc.md:9: error: 変数 nope が定義されていません" in capsys.readouterr().err


def test_without_pdftotext_a_pdf_is_not_built(tmp_path, capsys, monkeypatch):
    """verify reads the PDF back with poppler: without it the build stops before it starts, outputs kept."""
    real = shutil.which
    monkeypatch.setattr(preflight.shutil, "which", lambda name, *a, **k: None if name == "pdftotext" else real(name, *a, **k))
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.pdf").write_bytes(b"%PDF- earlier edition")
    assert cli.main(["pdf", "--source", str(source(tmp_path)), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "error: PDF を読み返して禁則と本文を確かめる pdftotext がありません（apt-get install poppler-utils） [pdf-tools]" in err
    assert (out / "doc.pdf").read_bytes() == b"%PDF- earlier edition"
    assert [d.rule for d in preflight.check_pdf(Settings(), "doc.md", 1)] == ["pdf-tools"]


@pytest.mark.slow
def test_without_pdftotext_verify_is_an_error_not_a_skipped_check(seed_build, monkeypatch):
    real = shutil.which
    monkeypatch.setattr(vpdf.shutil, "which", lambda name, *a, **k: None if name == "pdftotext" else real(name, *a, **k))
    vpdf._lines.cache_clear()
    found = verify.verify(DEFAULT_SOURCE, seed_build, ("pdf",))
    assert [(d.severity, d.rule) for d in found if d.rule == "pdf-tools"] == [("error", "pdf-tools")]


@pytest.mark.parametrize(("command", "prog"), [([sys.executable, "build.py"], "build.py"), ([sys.executable, "-m", "jpub"], "jpub")])
def test_build_py_and_python_m_jpub_are_one_command(command, prog):
    shown = subprocess.run([*command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    assert shown.startswith(f"usage: {prog} [-h] [--source SOURCE]")
    assert "--pdf-variant" in shown and "--crop-marks" in shown and "'new DIR'" in shown


@pytest.mark.parametrize(("argv0", "prog"), [("/repo/build.py", "build.py"), ("/venv/bin/jpub", "jpub"), ("/site/jpub/__main__.py", "jpub")])
def test_messages_name_the_command_the_user_typed(monkeypatch, capsys, argv0, prog):
    monkeypatch.setattr(sys, "argv", [argv0])
    assert cli.main(["publish"]) == 2
    assert f"{prog}: 使い方の誤り: 不明なターゲット: publish" in capsys.readouterr().err


def test_every_diagnostic_of_a_project_is_in_the_rules_doc():
    table = RULES_DOC.read_text(encoding="utf-8")
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "jpub").rglob("*.py"))
    for rule in ("include-document", "page-template", "pdf-tools", "project-exists", "project-write"):
        assert f'"{rule}"' in code or f"[{rule}]" in code, rule
        assert re.search(rf"^\| `{re.escape(rule)}` \|", table, re.M), f"{rule} is missing from docs/rules.md"
