"""What keeps the build linear in the document's length: pydyf's page list cached, full collections held off
while rendering, and a CLI that leaves without tearing the heap down — each still correct."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import subprocess
import sys

import pydyf

from jpub import gcpause, pipeline
from jpub.editions.pdf import pydyf_patch

from .conftest import DEFAULT_SOURCE, ROOT


def _pdf_with_pages(count: int) -> pydyf.PDF:
    pdf = pydyf.PDF()
    for _ in range(count):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    return pdf


def test_page_references_are_built_once_per_page_count():
    pydyf_patch.install()
    pdf = _pdf_with_pages(3)
    first = pdf.page_references
    assert first is pdf.page_references  # cached: not rebuilt for every structure element
    assert first == pydyf_patch._ORIGINAL.fget(pdf)
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4  # a page added is seen
    assert pdf.page_references == pydyf_patch._ORIGINAL.fget(pdf)


def test_page_references_are_per_document():
    pydyf_patch.install()
    one, two = _pdf_with_pages(2), _pdf_with_pages(5)
    assert len(one.page_references) == 2 and len(two.page_references) == 5


def test_full_collections_are_held_off_while_rendering_and_restored_after():
    before = gc.get_threshold()
    with gcpause.paused():
        assert gc.get_threshold() == gcpause.RENDERING_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_editions_render_with_full_collections_held_off(monkeypatch):
    from jpub import editions

    seen = []

    def spy(pub):
        seen.append(gc.get_threshold())
        return b""

    monkeypatch.setitem(editions.EDITIONS, "html", dataclasses.replace(editions.EDITIONS["html"], render=spy))
    pipeline.render(object(), ["html"])
    assert seen == [gcpause.RENDERING_THRESHOLDS]


def test_build_py_flushes_everything_before_it_leaves(tmp_path):
    """build.py ends with os._exit: what it printed to a pipe must all have been written first."""
    source = tmp_path / "doc.md"
    source.write_text(DEFAULT_SOURCE.read_text(encoding="utf-8") + "\n生成A Iの活用を進める。\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--format", "json", "--source", str(source)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )  # buffered, as for users
    found = json.loads(done.stdout)  # complete JSON, not cut off at a buffer boundary
    assert found and "check:" in done.stderr


def test_build_py_runs_exit_handlers_and_lets_profilers_write(tmp_path):
    """os._exit skips the tear-down, not the exit handlers; under cProfile the exit is a normal one."""
    script = tmp_path / "with_handler.py"
    marker = tmp_path / "handler-ran"
    script.write_text(
        "import atexit, runpy, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').close())\n"
        f"sys.argv = [{str(ROOT / 'build.py')!r}, 'check', '--source', {str(DEFAULT_SOURCE)!r}]\n"
        f"runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')\n",
        encoding="utf-8",
    )
    subprocess.run([sys.executable, str(script)], capture_output=True, cwd=ROOT, check=True)
    assert marker.exists()
    stats = tmp_path / "build.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats), str(ROOT / "build.py"), "check", "--source", str(DEFAULT_SOURCE)],
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    assert stats.stat().st_size > 0


def test_the_print_edition_installs_the_page_reference_cache(monkeypatch):
    import importlib

    from jpub.editions.pdf import writer as pdf_edition

    monkeypatch.setattr(pydyf.PDF, "page_references", pydyf_patch._ORIGINAL)  # pydyf's own property …
    importlib.reload(pdf_edition)  # … which importing the print edition replaces
    assert pydyf.PDF.page_references.fget is pydyf_patch._page_references


def test_the_cache_replaces_only_the_property_it_was_written_for(monkeypatch, capsys):
    """A pydyf whose page_references is not the expected one (another release) keeps its own, with a warning."""
    monkeypatch.setattr(pydyf.PDF, "page_references", pydyf_patch._ORIGINAL)
    assert pydyf_patch.install() and pydyf.PDF.page_references.fget is pydyf_patch._page_references
    assert capsys.readouterr().err == ""

    def changed(self):  # what a later pydyf might write
        return tuple(f"{number} 0 R".encode("ascii") for number in self.pages["Kids"][1::3])

    other = property(changed)
    monkeypatch.setattr(pydyf.PDF, "page_references", other)
    assert pydyf_patch.install() is False
    assert pydyf.PDF.page_references is other
    assert "page_references が jpub の想定と違う" in capsys.readouterr().err
