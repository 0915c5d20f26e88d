"""Before building: are the fonts, system libraries and tools the editions need on this machine?"""

from __future__ import annotations

import bisect
import ctypes
import functools
import shutil
import subprocess
import unicodedata

from jpub import libreoffice
from jpub.diagnostics import Diagnostic
from jpub.errors import DocumentError
from jpub.settings import Settings
from jpub.source_template import Rendered


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


@functools.cache
def has_harfbuzz_subset() -> bool:
    """Whether the library loads, by the names the platforms give it. Loading it spawns no process
    (ctypes.util.find_library runs ldconfig or gcc, which a Ctrl-C could leave behind)."""
    for name in ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"):
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


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
    if not has_harfbuzz_subset():
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


@functools.cache
def coverage(family: str) -> tuple[tuple[int, int], ...]:
    """The code points the font fontconfig picks for ``family`` covers, as sorted (first, last) ranges
    (``fc-match -f %{charset}``: about 0.1 s a font, once a process)."""
    try:
        done = subprocess.run(["fc-match", "-f", "%{charset}", family], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    ranges = []
    for part in done.stdout.split():
        first, _, last = part.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            return ()
    return tuple(sorted(ranges))


def _covered(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    at = bisect.bisect_right(ranges, (code, 0x10FFFF)) - 1
    return at >= 0 and ranges[at][0] <= code <= ranges[at][1]


def uncovered(rendered: Rendered, settings: Settings, path: str) -> list[Diagnostic]:
    """An error at each line holding characters that none of the print edition's fonts has: WeasyPrint would
    take them from another font (DejaVu for Hebrew, Arabic, emoji), and verify would then refuse the PDF.
    Nothing when fontconfig cannot tell (the font check reports a missing font)."""
    fonts = [settings.serif_font, settings.sans_font, settings.mono_font]
    charsets = [coverage(font) for font in fonts]
    if not all(charsets):
        return []
    missing = {ch for ch in set(rendered.text) if unicodedata.category(ch)[0] not in "CZ" and not any(_covered(ord(ch), c) for c in charsets)}
    if not missing:
        return []
    found = []
    for number, line in enumerate(rendered.text.split("\n"), start=1):
        here = sorted({ch for ch in line if ch in missing}, key=line.index)
        if here:
            shown = " ".join(f"{ch}（U+{ord(ch):04X}）" for ch in here[:8]) + (f" ほか {len(here) - 8} 字" if len(here) > 8 else "")
            message = (
                f"PDF の書体（{', '.join(dict.fromkeys(fonts))}）にない文字があります: {shown}"
                "（別の書体で代用され verify が失敗します。文字を置き換えるか、publish: でその文字を持つ書体を指定してください）"
            )
            found.append(Diagnostic(path, rendered.source_line(number), line.index(here[0]) + 1, "error", "font-coverage", message))
    return found
