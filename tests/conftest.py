"""Shared fixtures: built editions of the fixture documents, and client availability."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from jpub import file_cache
from jpub.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_SOURCE = ROOT / "source" / "white-paper-summary.md"
REQUIRE_CLIENTS = os.environ.get("REQUIRE_CLIENTS") == "1"


def need_client(name: str, found: bool, why: str) -> None:
    """Skip with a visible reason when an outside client is absent; in CI (REQUIRE_CLIENTS=1) fail instead."""
    if found:
        return
    message = f"{name} is not installed: {why}"
    if REQUIRE_CLIENTS:
        pytest.fail(message + " (REQUIRE_CLIENTS=1)")
    pytest.skip(message)


def need_system(program: str) -> None:
    """A tool `make` installs with the system pieces (scripts/system-deps.sh): its absence is a broken set-up,
    reported as a failure, never a skip."""
    if shutil.which(program) is None:
        pytest.fail(f"{program} is not installed: run `make` (scripts/system-deps.sh installs it)")


def which(program: str) -> str | None:
    return shutil.which(program)


def build(source: Path, out: Path, *targets: str) -> Path:
    status = main([*targets, "--source", str(source), "--out", str(out)])
    assert status == 0, f"build of {source.name} failed with {status}"
    return out


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory) -> Path:
    """The builds of this run keep their cache (jpub/file_cache.py) in a folder of the run's own, shared by
    its workers when the tests run side by side, never in the user's ~/.cache."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "jpub-cache"
    os.environ[file_cache.ENVIRONMENT] = str(folder)
    return folder


def shared(tmp_path_factory, name: str, make: Callable[[Path], object]) -> Path:
    """A folder ``make`` fills once for the whole run. Under pytest-xdist the workers share it: the first to
    ask makes it while the others wait on a lock, then read it (the tests only read what is in it)."""
    base = tmp_path_factory.getbasetemp()
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = base / name
        make(folder)
        return folder
    folder = base.parent / name
    with open(base.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base.parent / f"{name}.made"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The default source, all three editions."""
    return shared(tmp_path_factory, "seed", lambda out: build(DEFAULT_SOURCE, out))


@pytest.fixture(scope="session")
def chapters_build(tmp_path_factory) -> Path:
    """A document with 章 at # (no 部), its own variables, a table from a loop and an html-only block."""
    return shared(tmp_path_factory, "chapters", lambda out: build(FIXTURES / "chapters-only.md", out))


FIGURES_SOURCE = FIXTURES / "figures" / "figures.md"


@pytest.fixture(scope="session")
def figures_build(tmp_path_factory) -> Path:
    """A 白書-like document with figures (PNG, SVG), a 10-column table, a landscape table, a table over two
    pages, table notes, a コラム and a note box, a colour span and a link: all three editions."""
    return shared(tmp_path_factory, "figures", lambda out: build(FIGURES_SOURCE, out))


def pytest_collection_modifyitems(config, items) -> None:
    """Test files with the most slow tests first, each file's tests kept together and in order: under
    pytest-xdist (make test hands out whole files) the long files start early and the short ones fill in
    around them, instead of one long file starting last while the other worker has nothing left."""
    slow: dict[Path, int] = {}
    for item in items:
        slow[item.path] = slow.get(item.path, 0) + (item.get_closest_marker("slow") is not None)
    first_seen = {path: index for index, path in enumerate(dict.fromkeys(item.path for item in items))}
    items.sort(key=lambda item: (-slow[item.path], first_seen[item.path]))
