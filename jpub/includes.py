"""What a template may include: regular files whose real path lies inside the source's folder.

Jinja2's own FileSystemLoader follows a symbolic link wherever it points, so a link beside the source
(``x.md -> /etc/passwd``, ``d -> /``) would bring any file of the machine into the editions. Here every
name is resolved first, symbolic links and ``..`` included, and judged by where it really lands. A name
that lands outside the folder is refused whether or not something exists there, so the message tells
nothing about the rest of the machine. Devices, FIFOs and folders are refused without being opened (a
FIFO would block the build, a device could be read forever), and so is the source itself.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import jinja2

from jpub.limits import LIMITS

MAX_BYTES = LIMITS.max_bytes  # an included file may be as large as the whole rendered text


class IncludeRefused(jinja2.TemplateError):
    """An include the policy does not allow. Not a TemplateNotFound: ``ignore missing`` cannot swallow it."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


class SourceFolderLoader(jinja2.BaseLoader):
    """Loads templates from ``root`` only, and remembers the real path of every file it gave out."""

    def __init__(self, root: Path, source: Path):
        self.root = root.resolve()
        self.source = source.resolve()
        self.loaded: list[Path] = []

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        real = self.resolve(template)
        text = _read(real, template)
        if real not in self.loaded:
            self.loaded.append(real)
        return text, str(real), lambda: False

    def resolve(self, name: str) -> Path:
        """The real path of an include's name, or IncludeRefused when it may not be read."""
        if "\x00" in name:
            raise IncludeRefused(name, f"取り込むファイルの名前 {name!r} に使えない文字があります")
        real = Path(os.path.realpath(self.root / name))
        if not real.is_relative_to(self.root):
            message = f"取り込むファイル {name} はソースのフォルダの外を指しています（シンボリックリンクも含め、フォルダの中のファイルだけを取り込めます）"
            raise IncludeRefused(name, message)
        if real == self.source:
            raise IncludeRefused(name, f"取り込むファイル {name} はソース自身です（自分自身は取り込めません）")
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(name) from None
        except OSError as exc:
            raise IncludeRefused(name, f"取り込むファイル {name} を読めません: {exc.strerror}") from None
        if not stat.S_ISREG(mode):
            what = "フォルダです" if stat.S_ISDIR(mode) else "通常のファイルではありません（FIFO・デバイスなど）"
            raise IncludeRefused(name, f"取り込むファイル {name} は{what}。テキストファイルを指定してください")
        return real


def _read(real: Path, name: str) -> str:
    """The file's text, read without following a link put in its place since it was resolved, and bounded."""
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise IncludeRefused(name, f"取り込むファイル {name} を読めません: {exc.strerror}") from None
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise IncludeRefused(name, f"取り込むファイル {name} は通常のファイルではありません")
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise IncludeRefused(name, f"取り込むファイル {name} が大きすぎます（上限 {MAX_BYTES:,} バイト）")
    if b"\x00" in data:
        raise IncludeRefused(name, f"取り込むファイル {name} はバイナリファイルです（UTF-8 のテキストが必要です）")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IncludeRefused(name, f"取り込むファイル {name} を UTF-8 として読めません（文字コードを UTF-8 にしてください）") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
