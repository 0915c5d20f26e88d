"""jpub preview: a real server on a free port, real saves to the source, the state read from its event stream."""

from __future__ import annotations

import gc
import io
import shutil
import subprocess
import sys
import threading
import time
import weakref
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from watchfiles import Change

from jpub import gcpause
from jpub.preview import pdf_worker, watcher
from jpub.preview.lanes import Lane
from jpub.preview.pdf_worker import InProcessPdf, PdfJob

from .conftest import FIXTURES, ROOT, which
from .preview_client import BOUND, Events, Preview

pytestmark = pytest.mark.slow

GOOD_HEADING = "# 第2章 避難所"
BROKEN_HEADING = "# 第3章 避難所"


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """A preview of a copy of the chapters-only fixture, its first web edition and PDF built."""
    folder = tmp_path_factory.mktemp("preview")
    source = folder / "doc.md"
    shutil.copy(FIXTURES / "chapters-only.md", source)
    preview = Preview(source, folder / "out")
    events = Events(preview.port)
    events.wait_for(lambda s: s["editions"]["html"]["generation"] >= 1 and s["editions"]["pdf"]["generation"] >= 1, "first web edition and PDF")
    yield preview, events, source
    preview.stop()
    events.close()


def _save(source: Path, old: str, new: str) -> None:
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(source: Path, text: str) -> int:
    return source.read_text(encoding="utf-8").split("\n").index(text) + 1


def test_a_save_reloads_the_web_edition_and_the_pdf_follows(running):
    preview, events, source = running
    before = events.latest["editions"]["html"]["generation"]
    _save(source, "本計画は", "本計画（改訂案）は")
    state = events.wait_for(lambda s: s["editions"]["html"]["generation"] > before, "a newer web edition (the reload)")
    status, page = preview.get(f"/out/{state['editions']['html']['file']}")
    assert status == 200 and "本計画（改訂案）は" in page.decode()
    generation = state["editions"]["html"]["generation"]
    state = events.wait_for(lambda s: s["editions"]["pdf"]["generation"] >= generation and not s["editions"]["pdf"]["building"], "the PDF of that save")
    status, pdf = preview.get(f"/out/{state['editions']['pdf']['file']}")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert status == 200 and "改訂案" in "".join(text.split())
    assert state["editions"]["pdf"]["pages"] == len(PdfReader(io.BytesIO(pdf)).pages)


def test_a_broken_save_shows_its_errors_and_keeps_the_last_good_edition(running):
    preview, events, source = running
    good = events.wait_for(lambda s: not s["failed"] and s["checked"] == s["generation"], "a clean state")
    last_good = good["editions"]["html"]["generation"]
    _, page_before = preview.get(f"/out/{good['editions']['html']['file']}")
    _save(source, GOOD_HEADING, BROKEN_HEADING)
    line = _line_of(source, BROKEN_HEADING)
    broken = events.wait_for(lambda s: s["failed"], "the errors of the broken save")
    shown = [(d["path"], d["line"], d["rule"]) for d in broken["diagnostics"] if d["severity"] == "error"]
    assert (str(source), line, "numbering-sequence") in [(str(Path(p).resolve()), n, r) for p, n, r in shown]
    assert broken["editions"]["html"]["generation"] == last_good
    status, page = preview.get(f"/out/{good['editions']['html']['file']}")
    assert status == 200 and page == page_before  # the last good edition, still served
    _save(source, BROKEN_HEADING, GOOD_HEADING)
    fixed = events.wait_for(lambda s: not s["failed"] and s["editions"]["html"]["generation"] > last_good, "the fixed save's web edition")
    assert not [d for d in fixed["diagnostics"] if d["severity"] == "error"]


def test_the_page_and_its_assets_are_served(running):
    preview, events, _ = running
    status, page = preview.get("/")
    assert status == 200 and b'src="/assets/preview.js"' in page
    for asset in ("preview.js", "preview.css"):
        assert preview.get(f"/assets/{asset}")[0] == 200
    if which("pdftoppm"):
        status, png = preview.get("/pdf/pages/1.png")
        assert status == 200 and png.startswith(b"\x89PNG")
    assert preview.get("/pdf/pages/999.png")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/out/../doc.md",
        "/out/%2e%2e/doc.md",
        "/out/%2E%2E%2Fdoc.md",
        "/out/..%5cdoc.md",
        "/out/%252e%252e/doc.md",
        "/assets/..%2f..%2fpyproject.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/out/",
        "/assets/",
        "/out/doc.md",
        "/out/.doc.verified",
        "/doc.md",
        "/out/%ff",
    ],
)
def test_nothing_outside_the_output_and_the_page_assets_is_served(running, path):
    preview, _, _ = running
    status, body = preview.get(path)
    assert status in (400, 403, 404), (path, status)
    assert "第1章".encode() not in body and b"root:" not in body


def test_only_this_machine_s_names_are_answered(running):
    preview, _, _ = running
    assert preview.get("/", {"Host": "attacker.example"})[0] == 403
    assert preview.get("/", {"Host": f"localhost:{preview.port}"})[0] == 200


def test_the_word_edition_is_built_on_request_and_not_from_another_site(running):
    preview, events, _ = running
    assert preview.get("/build/docx", {"Origin": "http://attacker.example"}, method="POST")[0] == 403
    assert events.latest["editions"]["docx"]["generation"] == 0
    assert preview.get("/build/docx", method="POST")[0] == 202
    state = events.wait_for(lambda s: s["editions"]["docx"]["generation"] > 0 and not s["editions"]["docx"]["building"], "a Word edition")
    status, docx = preview.get(f"/out/{state['editions']['docx']['file']}")
    assert status == 200 and "第1章" in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def test_a_second_preview_on_the_same_port_says_so_in_one_line(running, tmp_path):
    preview, _, source = running
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "preview", "--source", str(source), "--out", str(tmp_path), "--port", str(preview.port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BOUND,
    )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and f"ポート {preview.port} は使用中" in done.stderr


def test_ctrl_c_stops_the_preview_and_its_worker_cleanly(tmp_path):
    source = tmp_path / "doc.md"
    shutil.copy(FIXTURES / "chapters-only.md", source)
    preview = Preview(source, tmp_path / "out")
    events = Events(preview.port)
    events.wait_for(lambda s: s["editions"]["html"]["generation"] >= 1, "the first web edition")
    children = Path(f"/proc/{preview.process.pid}/task/{preview.process.pid}/children").read_text().split()
    assert children, "the PDF worker runs beside the server"
    status, err = preview.stop()
    assert status == 0 and "終了しました" in err and "Traceback" not in err
    assert events.wait_for(lambda s: s["closing"], "the closing state")["closing"]
    events.close()
    deadline = time.monotonic() + BOUND  # the worker (and multiprocessing's helper) end once the server has gone
    while any(_alive(child) for child in children) and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert not any(_alive(child) for child in children)
    assert not list((tmp_path / "out").glob(".*.tmp"))


def _alive(pid: str) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


# --- the pieces ---------------------------------------------------------------------------------------------


def test_a_lane_builds_one_at_a_time_and_keeps_only_the_newest_request():
    started, release, built = threading.Event(), threading.Event(), []
    running_now, most = [0], [0]

    def slow(job: int) -> None:
        running_now[0] += 1
        most[0] = max(most[0], running_now[0])
        started.set()
        release.wait(BOUND)
        built.append(job)
        running_now[0] -= 1

    lane: Lane[int] = Lane("test", slow)
    lane.request(1)
    assert started.wait(BOUND)
    lane.request(2)
    lane.request(3)
    release.set()
    deadline = threading.Event()
    while not lane.idle():
        deadline.wait(0.01)
    lane.stop(BOUND)
    assert built == [1, 3] and most[0] == 1


def test_a_lane_collects_the_garbage_its_build_left():
    left: list[weakref.ref[object]] = []

    def build(job: int) -> None:
        cycle: list[object] = []
        cycle.append(cycle)  # freed only by a collection, and automatic ones are off
        left.append(weakref.ref(_Holder(cycle)))

    gc.disable()
    try:
        lane: Lane[int] = Lane("test", build)
        lane.request(1)
        deadline = time.monotonic() + BOUND
        while not (left and lane.idle()) and time.monotonic() < deadline:
            threading.Event().wait(0.01)
        lane.stop(BOUND)
    finally:
        gc.enable()
    assert left and left[0]() is None


class _Holder:
    def __init__(self, cycle: list[object]):
        self.cycle = cycle
        cycle.append(self)


def test_overlapping_renders_hold_collections_off_until_the_last_one_ends():
    usual = gc.get_threshold()
    first, second = gcpause.paused(), gcpause.paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first render ends while the second still runs
    assert gc.get_threshold() == gcpause.RENDERING_THRESHOLDS
    second.__exit__(None, None, None)
    assert gc.get_threshold() == usual


def test_the_pdf_is_not_written_when_the_checks_find_an_error(tmp_path):
    source = tmp_path / "doc.md"
    shutil.copy(FIXTURES / "chapters-only.md", source)
    _save(source, GOOD_HEADING, BROKEN_HEADING)
    result = InProcessPdf().build(PdfJob(1, source, tmp_path / "out", {}))
    assert result.refused and not result.built and not (tmp_path / "out").exists()
    _save(source, BROKEN_HEADING, GOOD_HEADING)
    result = InProcessPdf().build(PdfJob(2, source, tmp_path / "out", {}))
    assert result.built and PdfReader(tmp_path / "out" / "doc.pdf").pages


def test_a_worker_is_replaced_after_its_share_of_builds(tmp_path, monkeypatch):
    source = tmp_path / "doc.md"
    shutil.copy(FIXTURES / "chapters-only.md", source)
    monkeypatch.setattr(pdf_worker, "BUILDS_PER_WORKER", 2)
    worker = pdf_worker.WorkerPdf()
    try:
        first = worker.process
        results = [worker.build(PdfJob(n, source, tmp_path / "out", {})) for n in (1, 2)]
        second = worker.process
        results.append(worker.build(PdfJob(3, source, tmp_path / "out", {})))
    finally:
        worker.stop()
    assert all(result.built for result in results)
    assert second is not first and not first.is_alive() and first.exitcode == 0  # left when its connection closed


def test_the_outputs_are_not_watched(tmp_path):
    allowed = watcher.changes_filter(tmp_path / "out")
    assert allowed(Change.modified, str(tmp_path / "doc.md"))
    assert not allowed(Change.modified, str(tmp_path / "out" / "doc.html"))
    assert not allowed(Change.added, str(tmp_path / ".doc.md.swp"))
