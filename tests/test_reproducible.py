"""Reproducible builds: the same source built twice, into two directories, gives byte-identical editions —
with SOURCE_DATE_EPOCH unset (the document's date stands in) and with it set.

Each build runs in its own process (the first with it unset is the test session's own build of the seed),
a second or more after the other, so a clock, a random seed, a process id or the output path leaking into a
file shows up here. A difference is described (which zip member or
timestamp, which PDF key), not only reported as two hashes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from jpub import file_cache

from .conftest import DEFAULT_SOURCE, ROOT

pytestmark = pytest.mark.slow

SUFFIXES = (".pdf", ".docx", ".html")
EPOCHS = {"unset": None, "set": "1718064000"}  # 2024-06-11 00:00 UTC


def build_in_process(out: Path, epoch: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    command = [sys.executable, "build.py", "--source", str(DEFAULT_SOURCE), "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- describing a difference -----------------------------------------------------------------------------


def describe_zip(a: bytes, b: bytes) -> list[str]:
    za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    ia, ib = {i.filename: i for i in za.infolist()}, {i.filename: i for i in zb.infolist()}
    found, stamps = [], []
    if list(ia) != list(ib):
        found.append(f"member order or names differ: {list(ia)} vs {list(ib)}")
    for name in ia.keys() & ib.keys():
        if ia[name].date_time != ib[name].date_time:
            stamps.append(f"{name} {ia[name].date_time} vs {ib[name].date_time}")
        if za.read(name) != zb.read(name):
            found.append(f"content of {name}: {first_difference(za.read(name), zb.read(name))}")
        elif (ia[name].compress_type, ia[name].external_attr) != (ib[name].compress_type, ib[name].external_attr):
            found.append(f"zip attributes of {name} differ")
    if stamps:
        found.append(f"zip member timestamps of {len(stamps)} of {len(ia)} members (e.g. {min(stamps)})")
    return sorted(found) or ["zip container bytes differ (extra fields or comment)"]


_PDF_KEYS = re.compile(rb"/(ID|CreationDate|ModDate)\s*(\[[^\]]*\]|\([^)]*\))")


def describe_pdf(a: bytes, b: bytes) -> list[str]:
    found = []
    keys_a, keys_b = _PDF_KEYS.findall(a), _PDF_KEYS.findall(b)
    for (key, va), (_, vb) in zip(keys_a, keys_b, strict=False):
        if va != vb:
            found.append(f"/{key.decode()}: {va[:80]!r} vs {vb[:80]!r}")
    for tag in (rb"xmp:CreateDate", rb"xmp:ModifyDate", rb"xmpMM:DocumentID", rb"xmpMM:InstanceID"):
        pa, pb = re.search(tag + rb"[>=\"]+([^<\"]*)", a), re.search(tag + rb"[>=\"]+([^<\"]*)", b)
        if pa and pb and pa.group(1) != pb.group(1):
            found.append(f"XMP {tag.decode()}: {pa.group(1)!r} vs {pb.group(1)!r}")
    return found or [first_difference(a, b)]


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"sizes {len(a)} vs {len(b)}, first difference at byte {at}: {a[max(at - 40, 0) : at + 40]!r} vs {b[max(at - 40, 0) : at + 40]!r}"


DESCRIBE = {".pdf": describe_pdf, ".docx": describe_zip, ".html": first_difference}


def describe(suffix: str, a: Path, b: Path) -> str:
    found = DESCRIBE[suffix](a.read_bytes(), b.read_bytes())
    return "; ".join(found) if isinstance(found, list) else found


@pytest.fixture(scope="module", params=list(EPOCHS), ids=lambda k: f"SOURCE_DATE_EPOCH-{k}")
def two_builds(request, tmp_path_factory) -> tuple[Path, Path]:
    epoch = EPOCHS[request.param]
    second = tmp_path_factory.mktemp(f"second-{request.param}-elsewhere") / "nested"
    began = int(time.time())
    if epoch is None and "SOURCE_DATE_EPOCH" not in os.environ:
        first = request.getfixturevalue("seed_build")  # built by the test process itself, earlier: as good a first build
    else:
        first = tmp_path_factory.mktemp(f"first-{request.param}")
        build_in_process(first, epoch)
    while int(time.time()) == began:  # a clock read with one-second resolution must still differ between the two builds
        time.sleep(0.01)
    with pytest.MonkeyPatch.context() as patch:  # the second build lays its Word edition out itself, not from the cache
        patch.setenv(file_cache.ENVIRONMENT, "")
        build_in_process(second, epoch)
    return first, second


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_two_builds_are_byte_identical(two_builds, suffix):
    first, second = (d / f"{DEFAULT_SOURCE.stem}{suffix}" for d in two_builds)
    assert sha256(first) == sha256(second), f"{suffix} differs between two builds: {describe(suffix, first, second)}"
