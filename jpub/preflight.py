"""Before building: are the fonts, system libraries and tools the editions need on this machine?"""

from __future__ import annotations

import ctypes.util
import functools
import shutil
import subprocess

from jpub import libreoffice
from jpub.diagnostics import Diagnostic
from jpub.errors import DocumentError
from jpub.settings import Settings


@functools.cache
def installed_families() -> frozenset[str]:
    """Every font family fontconfig knows, each alias of a family separately."""
    try:
        listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def missing_fonts(settings: Settings) -> list[str]:
    families = installed_families()
    return [font for font in (settings.serif_font, settings.sans_font, settings.mono_font) if font not in families]


PDFTOTEXT_MISSING = "PDF を読み返して禁則と本文を確かめる pdftotext がありません（apt-get install poppler-utils）"


def check_pdf(settings: Settings, path: str, line: int) -> list[Diagnostic]:
    """Errors for missing fonts, libraries or tools; a warning when font subsetting will be slow.

    pdftotext is needed after the build, by ``verify``: without it the print edition's 禁則 and text could
    not be checked, so a PDF is not built at all rather than published unchecked."""
    found = []
    if shutil.which("pdftotext") is None:
        found.append(Diagnostic(path, 0, 0, "error", "pdf-tools", PDFTOTEXT_MISSING))
    for font in missing_fonts(settings):
        found.append(
            Diagnostic(
                path, line, 0, "error", "font-missing", f"フォント「{font}」がありません（apt-get install fonts-noto-cjk、または publish: で別の書体を指定）"
            )
        )
    if ctypes.util.find_library("harfbuzz-subset") is None:
        found.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                "harfbuzz-subset",
                "libharfbuzz-subset がないため PDF のフォント埋め込みが大幅に遅くなります（apt-get install libharfbuzz-subset0）",
            )
        )
    return found


def check_docx(path: str, line: int) -> list[Diagnostic]:
    """A warning when LibreOffice is missing: the Word edition's 目次 then keeps its titles without pages."""
    if libreoffice.executable() is not None:
        return []
    message = "LibreOffice（soffice）がないため、Word 版の目次にページ番号を入れません（apt-get install libreoffice-writer-nogui）"
    return [Diagnostic(path, line, 0, "warning", "docx-layout", message)]


def import_weasyprint() -> None:
    """WeasyPrint needs Pango; without it the import fails with an OSError, which we explain."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        message = f"PDF に必要なライブラリ（Pango）を読み込めません: {exc}（apt-get install libpango-1.0-0 libpangoft2-1.0-0）"
        raise DocumentError.at("weasyprint", 0, message, "system-library") from None
