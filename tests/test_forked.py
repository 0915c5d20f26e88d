"""A task in a forked child: its result, its exceptions, its death and its cancelling all reach the parent."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from jpub import cli, forked, pipeline
from jpub.errors import DocumentError

pytestmark = pytest.mark.skipif(not forked.available(), reason="this platform does not fork: the editions render in threads")


def test_the_result_comes_back_from_another_process():
    parent = os.getpid()
    assert forked.Forked(lambda: (os.getpid(), b"\x00" * 300_000)).result()[0] != parent  # more than a pipe's buffer


def test_a_document_error_comes_back_with_its_diagnostics():
    def fail():
        raise DocumentError.at("doc.md", 7, "書き出しに失敗", "test-failure")

    with pytest.raises(DocumentError) as caught:
        forked.Forked(fail).result()
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.rule) == ("doc.md", 7, "test-failure")


def test_an_exception_that_does_not_pickle_comes_back_as_its_traceback():
    class Local(Exception):  # defined in a function: pickle cannot find it again
        pass

    def fail():
        raise Local("内部の失敗")

    with pytest.raises(RuntimeError, match="内部の失敗"):
        forked.Forked(fail).result()


def test_a_child_that_dies_is_reported():
    with pytest.raises(forked.ChildFailed, match="終了コード 3"):
        forked.Forked(lambda: os._exit(3)).result()


def _slow(marker: Path):
    """A task that would take 30 s and then leave a mark: a child stopped early never leaves it."""

    def task(*_args):
        time.sleep(30)
        marker.write_text("finished", encoding="utf-8")
        return b""

    return task


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_cancel_stops_the_child(tmp_path):
    marker = tmp_path / "finished"
    child = forked.Forked(_slow(marker))
    child.cancel()
    assert _reaped(child._pid) and not marker.exists()


def test_word_and_web_editions_render_beside_the_pdf_in_another_process(monkeypatch):
    from jpub import editions

    for name in ("pdf", "docx", "html"):
        monkeypatch.setitem(editions.EDITIONS, name, dataclasses.replace(editions.EDITIONS[name], render=lambda pub: str(os.getpid()).encode()))
    done = pipeline.render(object(), ["pdf", "docx", "html"])
    assert [output.edition for output in done] == ["pdf", "docx", "html"]
    pids = {output.edition: int(output.data) for output in done}
    assert pids["pdf"] == os.getpid()
    assert pids["docx"] == pids["html"] != os.getpid()


def test_when_the_pdf_fails_its_error_is_reported_and_the_child_is_stopped(tmp_path, monkeypatch):
    from jpub import editions

    def broken(pub):
        raise DocumentError.at("doc.md", 1, "PDF の失敗", "test-failure")

    monkeypatch.setitem(editions.EDITIONS, "pdf", dataclasses.replace(editions.EDITIONS["pdf"], render=broken))
    marker = tmp_path / "finished"
    monkeypatch.setitem(editions.EDITIONS, "docx", dataclasses.replace(editions.EDITIONS["docx"], render=_slow(marker)))
    with pytest.raises(DocumentError, match="PDF の失敗"):
        pipeline.render(object(), ["pdf", "docx"])
    assert not marker.exists()  # the Word edition's child was stopped, not waited for


def test_an_error_found_by_the_checks_stops_the_build(tmp_path, capsys):
    source = tmp_path / "doc.md"
    source.write_text(
        "---\ntitle: 試験\nauthor: 試験省\ndate: 2024-04-01\nlang: ja\n---\n\n# 第1章 はじめに\n\n本文。\n\n# 第3章 飛んだ番号\n\n本文。\n", encoding="utf-8"
    )
    assert cli.main(["pdf", "--source", str(source), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{source}:12:3: error: 第1章 の次は 第2章 のはずが 第3章" in err
    assert not (tmp_path / "out").exists()


def _built(tmp_path):
    from .conftest import DEFAULT_SOURCE

    out = tmp_path / "out"
    assert cli.main(["--source", str(DEFAULT_SOURCE), "--out", str(out), "--quiet"]) == 0
    return DEFAULT_SOURCE, out, {p.name: p.read_bytes() for p in out.iterdir()}


def test_a_child_that_dies_in_a_build_is_a_diagnostic_and_keeps_the_outputs(tmp_path, capsys, monkeypatch):
    from jpub import editions

    source, out, before = _built(tmp_path)
    monkeypatch.setitem(editions.EDITIONS, "docx", dataclasses.replace(editions.EDITIONS["docx"], render=lambda pub: os._exit(9)))
    assert cli.main(["--source", str(source), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "build.py: error: 子プロセスが結果を返さずに終了しました（終了コード 9" in err and "[child-process]" in err
    assert "Traceback" not in err and "既存の出力はそのまま" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_interrupted_build_stops_cleanly_and_keeps_the_outputs(tmp_path, capsys, monkeypatch):
    from jpub import editions

    source, out, before = _built(tmp_path)

    def interrupted(pub):
        raise KeyboardInterrupt

    monkeypatch.setitem(editions.EDITIONS, "pdf", dataclasses.replace(editions.EDITIONS["pdf"], render=interrupted))
    marker = tmp_path / "finished"
    monkeypatch.setitem(editions.EDITIONS, "docx", dataclasses.replace(editions.EDITIONS["docx"], render=_slow(marker)))
    assert cli.main(["--source", str(source), "--out", str(out)]) == 130
    assert not marker.exists()  # the Word edition's child was stopped, not waited for
    err = capsys.readouterr().err
    assert "中断しました" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_exception_from_the_child_carries_its_traceback_for_debugging():
    def deep_in_the_child():
        raise ValueError("壊れた値")

    with pytest.raises(ValueError, match="壊れた値") as caught:
        forked.Forked(deep_in_the_child).result()
    assert any("deep_in_the_child" in note for note in caught.value.__notes__)


def test_a_result_cut_off_mid_way_is_a_child_process_diagnostic(monkeypatch):
    def half(data, fd):
        os.write(fd, data[: len(data) // 2])
        os._exit(0)

    with pytest.raises(forked.ChildFailed, match="child-process"):
        forked.Forked(lambda: os._exit(0)).result()  # nothing sent at all
    monkeypatch.setattr(forked, "_send", half)
    with pytest.raises(forked.ChildFailed, match="child-process"):
        forked.Forked(lambda: b"x" * 1000).result()  # half of it


def test_an_exception_that_cannot_be_rebuilt_comes_back_as_text():
    class TwoArguments(Exception):
        def __init__(self, a, b):
            super().__init__(f"{a}/{b}")

    TwoArguments.__module__ = __name__
    globals()["TwoArguments"] = TwoArguments  # picklable by name, but not rebuildable from its args

    def fail():
        raise TwoArguments("一", "二")

    with pytest.raises(RuntimeError, match="一/二"):
        forked.Forked(fail).result()


def test_cancel_lets_the_child_clean_up(tmp_path):
    marker = tmp_path / "made"

    def slow():
        import tempfile

        with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
            marker.write_text(scratch, encoding="utf-8")
            time.sleep(30)

    child = forked.Forked(slow)
    for _ in range(500):
        if marker.exists():
            break
        time.sleep(0.01)
    child.cancel()
    assert marker.exists() and not os.path.exists(marker.read_text(encoding="utf-8"))  # removed on SIGTERM


def test_a_failed_fork_runs_the_task_here(monkeypatch):
    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", no_fork)
    assert forked.Forked(os.getpid).result() == os.getpid()


def test_ctrl_c_to_the_process_group_stops_a_build_once_and_leaves_nothing_behind(tmp_path):
    """A real Ctrl-C reaches every process of the group: the parent reports it once, the children leave quietly."""
    import importlib.util
    import signal
    import subprocess
    import sys

    from .conftest import DEFAULT_SOURCE, ROOT

    if not Path("/proc/self/cmdline").exists():
        pytest.skip("the build's processes are found through /proc")
    spec = importlib.util.spec_from_file_location("scale", ROOT / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    source = scale.write_scaled(DEFAULT_SOURCE, 6, tmp_path)
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--source", str(source), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    # inside the build: the checks, or the editions, are running in a forked child
    assert poll(lambda: forked_children(build.pid) or build.poll() is not None) and build.poll() is None, "the build never forked"
    os.killpg(build.pid, signal.SIGINT)
    stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert stderr.count("中断しました") == 1 and "Traceback" not in stderr
    assert not out.exists() or not any(out.iterdir())
    assert poll(lambda: not group_members(build.pid)), f"left running: {group_members(build.pid)}"


def poll(state, seconds: float = 60) -> bool:
    """Wait until ``state()`` is true (checked every 10 ms) or ``seconds`` have passed; whether it became true."""
    deadline = time.monotonic() + seconds
    while not state():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def group_members(group: int) -> list[int]:
    """The live processes of a process group, read from /proc (a zombie has left already)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(stat.parent.name))
    return members


def forked_children(parent: int) -> list[int]:
    """Members of the parent's group that are forked copies of it (same command line), not pandoc."""

    def command(pid: int) -> bytes:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""

    own = command(parent)
    return [pid for pid in group_members(parent) if pid != parent and own and command(pid) == own]


def test_side_by_side_runs_there_in_a_child_or_after_here():
    pid = os.getpid()
    here, there = forked.side_by_side(os.getpid, os.getpid)
    assert here == pid != there
    order = []
    assert forked.side_by_side(lambda: order.append("here") or 1, lambda: order.append("there") or 2, fork=False) == (1, 2)
    assert order == ["here", "there"]


def test_forking_while_a_thread_runs_is_refused():
    """A child forked while another thread holds a lock (the allocator's, logging's) can hang on it."""
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        with pytest.raises(RuntimeError, match="thread"):
            forked.Forked(lambda: 1)
    finally:
        release.set()
        thread.join()
    assert forked.Forked(lambda: 2).result() == 2
