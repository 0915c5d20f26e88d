"""LibreOffice, headless, laying out a DOCX as a PDF: the one outside program the Word edition may use.

Each run has a throw-away user profile of its own, so two builds never share (or lock) one. The PDF keeps
every Writer bookmark as a named destination: pandoc names a heading's bookmark after its id, so the
page of each heading can be read back by name. It keeps the blank pages LibreOffice inserts before a
section that starts on a right-hand page (its PDF export leaves them out by default).

A layout depends on the file, the LibreOffice installed and the fonts fontconfig finds, and on nothing
else: it is kept in the cache (jpub/file_cache.py) under the digest of the three, so building a file
LibreOffice has laid out before — a rebuild that changed nothing in the Word edition — costs no run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jpub import file_cache

# bookmarks as named destinations; the blank pages a recto start inserts kept, so page n is the nth page
_OPTIONS = ("ExportBookmarks", "true"), ("ExportBookmarksToPDFDestination", "true"), ("IsSkipEmptyPages", "false")
PDF_EXPORT = "pdf:writer_pdf_Export:{" + ",".join(f'"{k}":{{"type":"boolean","value":"{v}"}}' for k, v in _OPTIONS) + "}"
TIMEOUT = 180  # seconds; a first start on a loaded machine takes several
CACHE_KIND = "libreoffice"
CACHE_FORMAT = b"jpub libreoffice layout 1"
FONT_CACHES = (Path("/var/cache/fontconfig"),)  # and the user's, font_caches(): fontconfig's, rewritten when fonts change


class LibreOfficeError(Exception):
    """soffice ran but gave no PDF."""


def destination_name(bookmark: str) -> str:
    """The name LibreOffice gives a bookmark's destination in its PDF: ASCII letters, digits and hyphens as
    they are, every other byte of the UTF-8 as two hex digits (``_Ref123`` → ``5FRef123``, ``fig:a`` →
    ``fig3Aa``)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else ch.encode("utf-8").hex().upper() for ch in bookmark)


def executable() -> str | None:
    return shutil.which("soffice")


def font_caches() -> list[Path]:
    return [*FONT_CACHES, file_cache.user_caches() / "fontconfig"]


def _stamp(path: Path) -> bytes:
    try:
        stat = path.stat()
    except OSError:
        return f"{path}:-".encode()
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()


def installation(program: str) -> list[bytes]:
    """What a layout depends on besides the file: the LibreOffice installed (its program files as they
    are on disk, so an upgrade is a new installation) and the fonts (fontconfig's caches)."""
    real = Path(program).resolve()
    parts = [_stamp(real.with_name(name)) for name in (real.name, "soffice.bin", "versionrc", "libmergedlo.so")]
    for fonts in font_caches():
        try:
            parts += sorted(_stamp(entry) for entry in fonts.iterdir())
        except OSError:
            parts.append(_stamp(fonts))
    return parts


def _looks_whole(pdf: bytes) -> bool:
    return pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-2048:]


def to_pdf(docx: bytes) -> bytes:
    """The DOCX as LibreOffice lays it out, exported as PDF with its bookmarks as named destinations."""
    program = executable()
    if program is None:
        raise LibreOfficeError("soffice が見つかりません")
    key = file_cache.digest([CACHE_FORMAT, PDF_EXPORT.encode(), *installation(program), docx])
    kept = file_cache.load(CACHE_KIND, key)
    if kept is not None and _looks_whole(kept):
        return kept
    pdf = _run(program, docx)
    file_cache.store(CACHE_KIND, key, pdf)
    return pdf


def _run(program: str, docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="jpub-lo-") as tmp:
        work = Path(tmp)
        source = work / "edition.docx"
        source.write_bytes(docx)
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore"]
        command += ["--convert-to", PDF_EXPORT, "--outdir", str(work / "out"), str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT, env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
        except (OSError, subprocess.SubprocessError) as error:
            raise LibreOfficeError(str(error).splitlines()[0]) from None
        produced = work / "out" / "edition.pdf"
        if not produced.is_file():
            raise LibreOfficeError("soffice が PDF を書きませんでした")
        return produced.read_bytes()
