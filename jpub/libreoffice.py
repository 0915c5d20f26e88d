"""LibreOffice, headless, laying out a DOCX as a PDF: the one outside program the Word edition may use.

Each run has a throw-away user profile of its own, so two builds never share (or lock) one. The PDF keeps
every Writer bookmark as a named destination: pandoc names a heading's bookmark after its id, so the
page of each heading can be read back by name. It keeps the blank pages LibreOffice inserts before a
section that starts on a right-hand page (its PDF export leaves them out by default).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# bookmarks as named destinations; the blank pages a recto start inserts kept, so page n is the nth page
_OPTIONS = ("ExportBookmarks", "true"), ("ExportBookmarksToPDFDestination", "true"), ("IsSkipEmptyPages", "false")
PDF_EXPORT = "pdf:writer_pdf_Export:{" + ",".join(f'"{k}":{{"type":"boolean","value":"{v}"}}' for k, v in _OPTIONS) + "}"
TIMEOUT = 180  # seconds; a first start on a loaded machine takes several


class LibreOfficeError(Exception):
    """soffice ran but gave no PDF."""


def destination_name(bookmark: str) -> str:
    """The name LibreOffice gives a bookmark's destination in its PDF: ASCII letters, digits and hyphens as
    they are, every other byte of the UTF-8 as two hex digits (``_Ref123`` → ``5FRef123``, ``fig:a`` →
    ``fig3Aa``)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else ch.encode("utf-8").hex().upper() for ch in bookmark)


def executable() -> str | None:
    return shutil.which("soffice")


def to_pdf(docx: bytes) -> bytes:
    """The DOCX as LibreOffice lays it out, exported as PDF with its bookmarks as named destinations."""
    program = executable()
    if program is None:
        raise LibreOfficeError("soffice が見つかりません")
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
