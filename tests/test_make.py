"""make: an unchanged tree rebuilds nothing; each edition of each document is rebuilt from exactly its own
inputs; several documents build side by side, and one that fails stops none of the others."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jpub.verify import html as vhtml

from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow

NOTICE = """---
title: お知らせ
date: 2025-04-01
---

# 第1章 窓口の変更

{% include '_common.md' %}

{% include 'parts/hours.md' %}
"""


def copy_of_checkout(tree: Path) -> Path:
    """The tracked files of this checkout, copied to ``tree`` (output/ and .venv/ are not tracked)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    return tree


@pytest.fixture(scope="module")
def built_tree(tmp_path_factory) -> Path:
    """A copy of the tracked tree whose source/ holds two small documents (plan.md, notice.md), an
    include-only _common.md and a subfolder, built once with make -j2 (using this checkout's virtual
    environment). Small documents: what is tested is make's plan, not the editions."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    tree = copy_of_checkout(tmp_path_factory.mktemp("tree"))
    if make(tree, "-q", "setup").returncode != 0:  # else make would install into this virtual environment from the copy
        pytest.fail("the virtual environment is older than pyproject.toml or constraints.txt: run `make setup`")
    source = tree / "source"
    for document in source.glob("*.md"):
        document.unlink()
    shutil.copy2(FIXTURES / "chapters-only.md", source / "plan.md")
    (source / "notice.md").write_text(NOTICE, encoding="utf-8")
    (source / "_common.md").write_text("窓口は本庁舎1階に移ります。\n", encoding="utf-8")
    (source / "parts").mkdir()
    (source / "parts" / "hours.md").write_text("受付時間は午前9時から午後5時までです。\n", encoding="utf-8")
    done = make(tree, "-j2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len([line for line in done.stdout.splitlines() if "build.py pdf docx html" in line]) == 2
    return tree


def make(tree: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(["make", f"VENV={sys.prefix}", *args], cwd=tree, capture_output=True, text=True, env=env, timeout=600, check=False)


@contextlib.contextmanager
def kept_as_it_was(tree: Path, keep: Path) -> Iterator[None]:
    """The tree's source/ and output/ put back afterwards as they were, times included, so that make finds
    it up to date again without building anything (and says so)."""
    for folder in ("source", "output"):
        shutil.copytree(tree / folder, keep / folder, copy_function=shutil.copy2)
    try:
        yield
    finally:
        for folder in ("source", "output"):
            shutil.rmtree(tree / folder)
            shutil.copytree(keep / folder, tree / folder, copy_function=shutil.copy2)
        assert make(tree, "-q").returncode == 0


def planned(tree: Path) -> list[str]:
    return [line for line in make(tree, "-n").stdout.splitlines() if "build.py" in line]


def editions_in(lines: list[str]) -> dict[str, set[str]]:
    """The editions each planned build.py run makes (its targets, before the first option), by document."""
    runs: dict[str, set[str]] = {}
    for line in lines:
        words = line.split("build.py", 1)[1].split()
        targets = set(itertools.takewhile(lambda word: not word.startswith("-"), words)) & {"pdf", "docx", "html"}
        if targets:
            document = line.split("--source source/", 1)[1].split(".md")[0] if "--source" in line else "*"
            assert document not in runs, f"two runs for {document}: {lines}"  # one run: the checks and pandoc's parse once
            runs[document] = targets
    return runs


def test_unchanged_tree_rebuilds_nothing(built_tree):
    assert make(built_tree, "-q").returncode == 0  # -q: exit 0 only when everything is up to date
    assert planned(built_tree) == []


@pytest.mark.parametrize(
    "touched, rebuilt",
    [
        ("templates/pdf/print.css.j2", {"plan": {"pdf"}, "notice": {"pdf"}}),
        ("templates/html/web.css", {"plan": {"html"}, "notice": {"html"}}),
        ("templates/docx/styles.yaml", {"plan": {"docx"}, "notice": {"docx"}}),
        ("source/plan.md", {"plan": {"pdf", "docx", "html"}}),
        ("source/_common.md", {"plan": {"pdf", "docx", "html"}, "notice": {"pdf", "docx", "html"}}),
        ("source/parts/hours.md", {"plan": {"pdf", "docx", "html"}, "notice": {"pdf", "docx", "html"}}),
    ],
)
def test_a_change_rebuilds_exactly_the_editions_that_use_it(built_tree, touched, rebuilt):
    """A document depends on its own source and on what any document may include; an edition on its own inputs."""
    path = built_tree / touched
    before = path.stat()
    os.utime(path)
    try:
        lines = planned(built_tree)
    finally:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert editions_in(lines) == rebuilt
    verified = {line.split("--source source/", 1)[1].split(".md")[0] for line in lines if "build.py verify" in line}
    assert verified == set(rebuilt)  # make verifies what it built


def test_a_missing_output_is_rebuilt_alone(built_tree, tmp_path):
    with kept_as_it_was(built_tree, tmp_path):
        (built_tree / "output" / "plan.docx").unlink()
        assert editions_in(planned(built_tree)) == {"plan": {"docx"}}


def test_after_a_source_edit_one_make_rebuilds_it_once_and_leaves_nothing_to_do(built_tree, tmp_path):
    """One build.py run for the edited document, so each warning is shown once; then verify; then nothing."""
    source = built_tree / "source" / "plan.md"
    before = source.read_text(encoding="utf-8")
    with kept_as_it_was(built_tree, tmp_path):
        source.write_text(before.replace("市民の生命と財産を", "市民の生命と財産を改めて", 1) + "\n末尾に\tタブ。\n", encoding="utf-8")
        done = make(built_tree)
        assert done.returncode == 0, done.stderr
        runs = [line for line in done.stdout.splitlines() if "build.py" in line]
        assert editions_in(runs) == {"plan": {"pdf", "docx", "html"}} and "build.py verify" in runs[-1]
        assert (done.stdout + done.stderr).count("[tab]") == 1
        assert planned(built_tree) == []
        assert "改めて" in (built_tree / "output" / "plan.html").read_text(encoding="utf-8")


def test_make_pdf_builds_the_pdf_of_every_document_alone(built_tree):
    lines = [line for line in make(built_tree, "-n", "pdf").stdout.splitlines() if "build.py" in line]
    assert editions_in(lines) == {"*": {"pdf"}} and not any("verify" in line for line in lines)  # build.py without --source: all


def built(tree: Path) -> set[str]:
    return {path.name for path in (tree / "output").iterdir() if not path.name.startswith(".")}


def test_each_document_in_source_gets_its_own_editions(built_tree):
    assert built(built_tree) == {f"{stem}.{suffix}" for stem in ("plan", "notice") for suffix in ("pdf", "docx", "html")}
    html = vhtml.html_text(built_tree / "output" / "notice.html")
    assert "窓口は本庁舎1階に移ります。" in html and "受付時間は午前9時から午後5時までです。" in html


def test_a_broken_document_keeps_its_outputs_and_does_not_stop_the_other(built_tree, tmp_path):
    notice, plan = built_tree / "source" / "notice.md", built_tree / "source" / "plan.md"
    kept = {name: (built_tree / "output" / name).read_bytes() for name in built(built_tree) if name.startswith("notice.")}
    plan_text = plan.read_text(encoding="utf-8")
    with kept_as_it_was(built_tree, tmp_path):
        notice.write_text(NOTICE + "\n{{ undefined_name }}\n", encoding="utf-8")
        plan.write_text(plan_text.replace("市内全域を対象とする。", "市内全域と周辺を対象とする。"), encoding="utf-8")
        done = make(built_tree, "-j2")
        assert done.returncode != 0
        assert "notice.md:12: error: 変数 undefined_name が定義されていません" in done.stderr
        assert "市内全域と周辺を対象とする。" in vhtml.html_text(built_tree / "output" / "plan.html")
        assert {name: (built_tree / "output" / name).read_bytes() for name in kept} == kept
        assert make(built_tree, "-q").returncode != 0  # the broken document is still out of date
        checked = make(built_tree, "check")
        assert checked.returncode != 0 and "notice.md:12" in checked.stderr and "check: エラー 0 件" in checked.stderr


def test_system_setup_without_root_prints_the_exact_command(tmp_path):
    """As a user who is not root on a machine without the fonts or poppler, set-up says what to run and stops."""
    fake = tmp_path / "bin"
    fake.mkdir()
    for name, script in {"id": "echo 1000", "fc-list": "true", "ldconfig": "true", "apt-get": "echo apt-get must not run; exit 9"}.items():
        (fake / name).write_text(f"#!/bin/sh\n{script}\n")
        (fake / name).chmod(0o755)
    for tool in ("bash", "grep", "sh"):  # nothing else: no pdftotext on this PATH
        (fake / tool).symlink_to(shutil.which(tool))
    env = {**os.environ, "PATH": str(fake)}
    done = subprocess.run([str(fake / "bash"), str(ROOT / "scripts" / "system-deps.sh")], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 1
    assert "sudo apt-get install -y fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils" in done.stderr
    assert "must not run" not in done.stdout + done.stderr


def test_system_setup_finds_what_is_there_in_a_long_listing(tmp_path):
    """Everything present, listed among many other lines: nothing to install (a grep that quit at the first match
    would let the lister die of SIGPIPE and, with pipefail, call the piece missing)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    scripts = {
        "id": "echo 1000",
        "fc-list": "echo 'Noto Serif CJK JP'; seq 1 200000",
        "ldconfig": "echo 'libpango-1.0.so.0 => /x'; echo 'libharfbuzz-subset.so.0 => /x'; seq 1 200000",
        "pdftotext": "true",
        "apt-get": "echo apt-get must not run; exit 9",
    }
    for name, script in scripts.items():
        (fake / name).write_text(f"#!/bin/sh\n{script}\n")
        (fake / name).chmod(0o755)
    for tool in ("bash", "grep", "sh", "seq"):
        (fake / tool).symlink_to(shutil.which(tool))
    env = {**os.environ, "PATH": str(fake)}
    done = subprocess.run([str(fake / "bash"), str(ROOT / "scripts" / "system-deps.sh")], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


# --- what an edition depends on ---------------------------------------------------------------------


def prerequisites(tree: Path, target: str) -> set[str]:
    """The prerequisites make has for ``target``, read from its database (make -p)."""
    database = make(tree, "-pq").stdout
    line = next(line for line in database.splitlines() if line.startswith(f"{target}:"))
    return set(line.split(":", 1)[1].replace("|", " ").split())


@pytest.mark.parametrize("edition", ["pdf", "docx", "html"])
def test_every_module_a_build_of_an_edition_imports_is_one_of_its_inputs(built_tree, edition, tmp_path):
    """The Makefile's inputs follow from the folders; this holds them to what a build really loads."""
    source = built_tree / "source" / "plan.md"
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from jpub import cli; status = cli.main(sys.argv[1:]); "
            "print('\\n'.join(m.__file__ for n, m in sorted(sys.modules.items()) if n.split('.')[0] == 'jpub'))",
            edition,
            "--quiet",
            "--source",
            str(source),
            "--out",
            str(tmp_path),
        ],
        cwd=built_tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout.split()
    modules = {str(Path(path).relative_to(built_tree)) for path in loaded}
    assert f"jpub/editions/{edition}/writer.py" in modules  # the build ran from the copy
    inputs = prerequisites(built_tree, f"output/plan.{edition}")
    assert modules - inputs == set()
    records = {f"jpub/editions/{name}/__init__.py" for name in ("pdf", "docx", "html")}  # the table every build reads
    others = {name for name in inputs - records if name.startswith(("jpub/verify/", "templates/")) or name.startswith("jpub/editions/") and name.count("/") > 2}
    assert {name.split("/")[-2] for name in others} == {edition}  # no reader, no other edition's writer or templates
