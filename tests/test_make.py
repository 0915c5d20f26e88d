"""make: an unchanged tree rebuilds nothing; each edition is rebuilt from exactly its own inputs."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_tree(tmp_path_factory) -> Path:
    """A copy of the tracked tree, built once with make (using this checkout's virtual environment)."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    tree = tmp_path_factory.mktemp("tree")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    make(tree)
    return tree


def make(tree: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(["make", f"VENV={sys.prefix}", *args], cwd=tree, capture_output=True, text=True, env=env, timeout=600, check=False)


def planned(tree: Path) -> list[str]:
    return [line for line in make(tree, "-n").stdout.splitlines() if "build.py" in line]


def editions_in(lines: list[str]) -> list[set[str]]:
    """The editions each planned build.py run makes (its targets, before the first option)."""
    runs = []
    for line in lines:
        words = line.split("build.py", 1)[1].split()
        targets = set(itertools.takewhile(lambda word: not word.startswith("-"), words)) & {"pdf", "docx", "html"}
        if targets:
            runs.append(targets)
    return runs


def test_unchanged_tree_rebuilds_nothing(built_tree):
    assert make(built_tree, "-q").returncode == 0  # -q: exit 0 only when everything is up to date
    assert planned(built_tree) == []


@pytest.mark.parametrize(
    "touched, rebuilt",
    [
        ("templates/pdf/print.css.j2", {"pdf"}),
        ("templates/html/web.css", {"html"}),
        ("templates/docx/styles.yaml", {"docx"}),
        ("source/white-paper-summary.md", {"pdf", "docx", "html"}),
    ],
)
def test_a_change_rebuilds_exactly_the_editions_that_use_it(built_tree, touched, rebuilt):
    path = built_tree / touched
    before = path.stat()
    os.utime(path)
    try:
        lines = planned(built_tree)
    finally:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert editions_in(lines) == [rebuilt]  # one run: the checks and pandoc's parse once, the editions side by side
    assert any("build.py verify" in line for line in lines)  # make verifies after building


def test_a_missing_output_is_rebuilt_alone(built_tree):
    docx = built_tree / "output" / "white-paper-summary.docx"
    kept = docx.read_bytes()
    docx.unlink()
    try:
        assert editions_in(planned(built_tree)) == [{"docx"}]
    finally:
        docx.write_bytes(kept)
        make(built_tree)


def test_after_a_source_edit_one_make_leaves_nothing_to_do(built_tree):
    source = built_tree / "source" / "white-paper-summary.md"
    before = source.read_text(encoding="utf-8")
    source.write_text(before.replace("本年次報告は、", "本年次報告は、改めて、", 1), encoding="utf-8")
    try:
        done = make(built_tree)
        assert done.returncode == 0, done.stderr
        runs = [line for line in done.stdout.splitlines() if "build.py" in line]
        assert editions_in(runs) == [{"pdf", "docx", "html"}] and "build.py verify" in runs[-1]
        assert planned(built_tree) == []
        assert "改めて" in (built_tree / "output" / "white-paper-summary.html").read_text(encoding="utf-8")
    finally:
        source.write_text(before, encoding="utf-8")
        make(built_tree)


def test_make_pdf_builds_the_pdf_alone(built_tree):
    lines = [line for line in make(built_tree, "-n", "pdf").stdout.splitlines() if "build.py" in line]
    assert editions_in(lines) == [{"pdf"}] and not any("verify" in line for line in lines)


def test_two_sources_stop_make_with_a_message(built_tree):
    extra = built_tree / "source" / "white-paper-summary-old.md"
    extra.write_text("---\ntitle: old\n---\n本文\n", encoding="utf-8")
    try:
        done = make(built_tree, "-n")
    finally:
        extra.unlink()
    assert done.returncode != 0
    assert "source/ must hold exactly one .md file, found 2" in done.stderr


def test_warnings_are_shown_once_by_make(built_tree):
    source = built_tree / "source" / "white-paper-summary.md"
    before = source.read_text(encoding="utf-8")
    source.write_text(before + "\n末尾に\tタブ。\n", encoding="utf-8")
    try:
        done = make(built_tree)
    finally:
        source.write_text(before, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).count("[tab]") == 1


def test_system_setup_without_root_prints_the_exact_command(tmp_path):
    """As a user who is not root on a machine without the fonts, set-up says what to run and stops."""
    fake = tmp_path / "bin"
    fake.mkdir()
    for name, script in {"id": "echo 1000", "fc-list": "true", "ldconfig": "true", "apt-get": "echo apt-get must not run; exit 9"}.items():
        (fake / name).write_text(f"#!/bin/sh\n{script}\n")
        (fake / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "system-deps.sh")], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 1
    assert "sudo apt-get install -y fonts-noto-cjk libharfbuzz-subset0" in done.stderr
    assert "must not run" not in done.stdout + done.stderr
