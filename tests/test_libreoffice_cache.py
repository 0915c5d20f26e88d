"""LibreOffice's layouts kept by digest (jpub/file_cache.py, jpub/libreoffice.py): a file laid out before
costs no run, and anything the layout depends on — the file, the LibreOffice installed, the fonts — makes
a new one."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from jpub import file_cache, libreoffice

from .conftest import FIXTURES, build, need_client

# Stands in for soffice: notes each run, and writes a "PDF" naming the file it was given.
FAKE = """#!/bin/sh
# {version}
echo run >> "{log}"
for arg; do last="$arg"; done
while [ $# -gt 0 ]; do [ "$1" = --outdir ] && out="$2"; shift; done
mkdir -p "$out"
printf '%%PDF-1.7\\n%s\\n%%%%EOF\\n' "$(md5sum < "$last")" > "$out/edition.pdf"
"""


@pytest.fixture
def fake(tmp_path, monkeypatch) -> Path:
    """A fake soffice first on PATH, the cache in a folder of this test's own, no fontconfig caches but one of
    this test's own; returns the log of runs."""
    programs, log = tmp_path / "bin", tmp_path / "runs.log"
    programs.mkdir()
    install(programs / "soffice", log, "1")
    monkeypatch.setenv("PATH", f"{programs}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv(file_cache.ENVIRONMENT, str(tmp_path / "cache"))
    (tmp_path / "fonts").mkdir()
    monkeypatch.setattr(libreoffice, "font_caches", lambda: [tmp_path / "fonts"])
    return log


def install(program: Path, log: Path, version: str) -> None:
    program.write_text(FAKE.format(log=log, version=version), encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_the_same_file_is_laid_out_once(fake):
    first = libreoffice.to_pdf(b"one file")
    assert libreoffice.to_pdf(b"one file") == first
    assert runs(fake) == 1


def test_another_file_is_laid_out_again(fake):
    assert libreoffice.to_pdf(b"one file") != libreoffice.to_pdf(b"another file")
    assert runs(fake) == 2


def test_another_libreoffice_lays_the_file_out_again(fake, tmp_path):
    libreoffice.to_pdf(b"one file")
    install(tmp_path / "bin" / "soffice", fake, "2, upgraded")
    libreoffice.to_pdf(b"one file")
    assert runs(fake) == 2


def test_a_change_of_fonts_lays_the_file_out_again(fake, tmp_path):
    libreoffice.to_pdf(b"one file")
    (tmp_path / "fonts" / "0123-le64.cache-8").write_bytes(b"a font was installed")
    libreoffice.to_pdf(b"one file")
    assert runs(fake) == 2


def test_with_the_cache_set_to_nothing_every_file_is_laid_out(fake, monkeypatch):
    monkeypatch.setenv(file_cache.ENVIRONMENT, "")
    libreoffice.to_pdf(b"one file")
    libreoffice.to_pdf(b"one file")
    assert runs(fake) == 2


def test_a_damaged_entry_is_laid_out_again_and_replaced(fake, tmp_path):
    whole = libreoffice.to_pdf(b"one file")
    (entry,) = (tmp_path / "cache" / libreoffice.CACHE_KIND).iterdir()
    entry.write_bytes(whole[:10])
    assert libreoffice.to_pdf(b"one file") == whole
    assert runs(fake) == 2
    assert entry.read_bytes() == whole


def test_a_folder_that_cannot_be_written_is_no_cache_and_no_error(fake, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(file_cache.ENVIRONMENT, str(blocker))
    assert libreoffice.to_pdf(b"one file").startswith(b"%PDF-")
    libreoffice.to_pdf(b"one file")
    assert runs(fake) == 2


def test_the_default_folder_is_in_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.delenv(file_cache.ENVIRONMENT, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert file_cache.folder("libreoffice") == tmp_path / "jpub" / "libreoffice"


def test_the_folder_keeps_the_entries_used_last_up_to_its_size(tmp_path, monkeypatch):
    monkeypatch.setenv(file_cache.ENVIRONMENT, str(tmp_path))
    for number, key in enumerate("abc"):
        file_cache.store("kind", key, b"x" * 100)
        os.utime(tmp_path / "kind" / key, (1_000_000 + number, 1_000_000 + number))  # a oldest, c newest
    assert file_cache.load("kind", "a") == b"x" * 100  # a used now: the newest
    file_cache.trim(tmp_path / "kind", 200)
    assert sorted(p.name for p in (tmp_path / "kind").iterdir()) == ["a", "c"]


def test_a_key_is_the_sequence_of_its_parts():
    assert file_cache.digest([b"ab", b"c"]) != file_cache.digest([b"a", b"bc"])
    assert file_cache.digest([b"ab", b"c"]) == file_cache.digest([b"ab", b"c"])


@pytest.mark.slow
def test_rebuilding_an_unchanged_word_edition_runs_no_libreoffice(tmp_path, monkeypatch):
    """The Word edition's bytes do not change from one build to the next, so the second build's layout
    is the first's: counted with a soffice that notes each run and hands over to the real one."""
    real = shutil.which("soffice")
    need_client("LibreOffice", real is not None, "the Word edition is laid out with soffice --headless")
    programs, log = tmp_path / "bin", tmp_path / "runs.log"
    programs.mkdir()
    counting = programs / "soffice"
    counting.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    counting.chmod(0o755)
    monkeypatch.setenv("PATH", f"{programs}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv(file_cache.ENVIRONMENT, str(tmp_path / "cache"))
    source = FIXTURES / "chapters-only.md"
    first = build(source, tmp_path / "a", "docx") / "chapters-only.docx"
    laid_out = runs(log)
    assert laid_out >= 1
    second = build(source, tmp_path / "b", "docx") / "chapters-only.docx"
    assert runs(log) == laid_out
    assert second.read_bytes() == first.read_bytes()


def test_an_entry_that_cannot_be_put_in_place_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setenv(file_cache.ENVIRONMENT, str(tmp_path))

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(file_cache.os, "replace", full_disk)
    file_cache.store("kind", "key", b"x" * 100)
    assert list((tmp_path / "kind").iterdir()) == []
    assert file_cache.load("kind", "key") is None
