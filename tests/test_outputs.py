"""Writing a build's outputs all or nothing: no failure mixes new editions with old ones or leaves temporaries."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jpub import outputs
from jpub.errors import DocumentError

from .conftest import ROOT


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """An output folder holding the editions of an earlier build."""
    out = tmp_path / "out"
    outputs.write_all({out / "doc.pdf": b"old pdf", out / "doc.docx": b"old docx", out / "doc.html": b"old html"})
    return out


def new_files(out: Path) -> dict[Path, bytes]:
    return {out / "doc.pdf": b"new pdf", out / "doc.docx": b"new docx", out / "doc.html": b"new html"}


def test_every_file_is_written_and_no_temporary_is_left(earlier):
    outputs.write_all(new_files(earlier))
    assert {p.name: p.read_bytes() for p in earlier.iterdir()} == {"doc.pdf": b"new pdf", "doc.docx": b"new docx", "doc.html": b"new html"}


def test_a_full_disk_on_the_third_write_changes_nothing(earlier, monkeypatch):
    before = digest(earlier)
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(DocumentError) as caught:
        outputs.write_all(new_files(earlier))
    assert digest(earlier) == before  # byte-identical, and no temporary beside them
    message = str(caught.value)
    assert "doc.html" in message and "No space left on device" in message and ".tmp" not in message


def test_a_rename_that_fails_puts_back_the_outputs_already_replaced(earlier, monkeypatch):
    before = digest(earlier)
    real_replace, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(DocumentError) as caught:
        outputs.write_all(new_files(earlier))
    monkeypatch.undo()
    assert digest(earlier) == before
    assert "doc.docx" in str(caught.value) and ".tmp" not in str(caught.value)


def test_a_folder_where_an_output_should_be_is_refused_before_anything_is_written(earlier):
    before = digest(earlier)
    (earlier / "doc.html").unlink()
    (earlier / "doc.html").mkdir()
    before = {name: value for name, value in before.items() if name != "doc.html"}
    with pytest.raises(DocumentError) as caught:
        outputs.write_all(new_files(earlier))
    assert "doc.html がフォルダです" in str(caught.value)
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in earlier.iterdir() if p.is_file()} == before


def test_out_pointing_at_a_file_says_so(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_bytes(b"a file")
    with pytest.raises(DocumentError) as caught:
        outputs.write_all({blocker / "doc.pdf": b"x"})
    assert "out はファイルです（--out にはフォルダを指定してください）" in str(caught.value)
    assert "File exists" not in str(caught.value)


@pytest.mark.parametrize("how", ["same path", "through a symlinked folder", "a symlink to it in the output folder"])
def test_an_output_that_is_an_input_is_refused(tmp_path, how):
    source = tmp_path / "report.html"
    source.write_bytes(b"the source")
    target = tmp_path / "report.html"
    if how == "through a symlinked folder":
        (tmp_path / "alias").symlink_to(tmp_path)
        target = tmp_path / "alias" / "report.html"
    else:
        target = tmp_path / "out" / "report.html"
        target.parent.mkdir()
        target.symlink_to(source)
    with pytest.raises(DocumentError) as caught:
        outputs.write_all({tmp_path / "out" / "report.pdf": b"pdf", target: b"<html>"}, inputs=[source])
    assert "このビルドが読むファイル" in str(caught.value)
    assert source.read_bytes() == b"the source" and not (tmp_path / "out" / "report.pdf").exists()


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_temporaries_of_a_killed_build_are_removed_by_the_next_one(earlier):
    stale = earlier / f".doc.pdf.{_dead_pid()}-0badc0de.tmp"
    stale.write_bytes(b"half a pdf")
    alive = earlier / f".doc.pdf.{os.getppid()}-0badc0de.tmp"  # a build still running: left alone
    alive.write_bytes(b"being written")
    outputs.write_all({earlier / "doc.html": b"new html"})
    assert not stale.exists() and alive.exists()


WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from jpub import outputs

    real_fsync, calls = os.fsync, []

    def fsync(fd):  # the second edition is being written: tell the parent, then wait to be killed
        calls.append(fd)
        if len(calls) == 2:
            print("writing", flush=True)
            sys.stdin.read()
        real_fsync(fd)

    os.fsync = fsync
    out = Path(sys.argv[1])
    outputs.write_all({out / "doc.pdf": b"new pdf", out / "doc.docx": b"new docx", out / "doc.html": b"new html"})
    """
)


def test_kill_9_during_a_write_leaves_the_earlier_outputs_and_the_next_build_cleans_up(earlier):
    before = digest(earlier)
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(earlier)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdin.close()
    child.stdout.close()
    left = [p.name for p in earlier.iterdir() if p.name.endswith(".tmp")]
    assert left  # the killed build's temporaries …
    assert {name: value for name, value in digest(earlier).items() if not name.endswith(".tmp")} == before  # … beside untouched outputs
    outputs.write_all({earlier / "doc.html": b"new html"})
    assert not [p for p in earlier.iterdir() if p.name.endswith(".tmp")]
