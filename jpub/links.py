"""Where a link may point and where an image may be read from — the same answer for every edition.

A link goes to the web (``http:``, ``https:``), to a mail address (``mailto:``) or to a heading of the
document (``#id``). Anything else is refused: ``file:`` and UNC paths (``\\\\host\\share``) would make Word
fetch from the reader's disk or send their Windows credentials to a share, a relative path points at the
author's disk, ``javascript:`` runs code. An image is read from a regular file inside the source's folder
(symbolic links resolved), or given as ``data:``.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")  # what a browser strips from a URL before it reads its scheme


def link_refusal(url: str) -> str:
    """Why a link may not point at ``url`` ('' when it may)."""
    compact = _CONTROL.sub("", url)
    if compact.startswith("#"):
        return ""
    if compact.startswith(("\\\\", "//", "/\\", "\\/")):
        return "ネットワーク上の共有フォルダやホスト（UNC パス・// で始まる URL）へのリンク"
    scheme = urlsplit(compact).scheme.lower()
    if scheme in LINK_SCHEMES and (scheme == "mailto" or urlsplit(compact).netloc):
        return ""
    if scheme in ("javascript", "vbscript", "data"):
        return f"スクリプトやデータの URL（{scheme}:）へのリンク"
    if scheme:
        return f"{scheme}: の URL へのリンク"
    return "ローカルのファイルへのリンク"


def image_refusal(url: str, root: Path | None) -> str:
    """Why an image may not be read from ``url`` ('' when it may)."""
    compact = _CONTROL.sub("", url)
    parts = urlsplit(compact)
    if parts.scheme.lower() == "data":
        return ""
    if parts.scheme or compact.startswith(("//", "\\\\")):
        return "ネットワーク上の画像は読み込みません"
    if root is None:
        return ""
    path = (root / unquote(parts.path)).resolve()
    if not path.is_relative_to(root.resolve()):
        return "ソースのフォルダの外にある画像は読み込みません"
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""  # a missing image is the image check's to report, with its own message
    if not stat.S_ISREG(mode):
        return "通常のファイルではない画像（フォルダ・FIFO・デバイス）は読み込みません"
    return ""
