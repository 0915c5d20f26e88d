"""What WeasyPrint may load: data: URLs and files inside the source tree; never the network."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class SourceTreeFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type information: its URLFetcher is Any
    """Refuses every URL but data: and file: under ``roots``; keeps a list of what it refused."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        if parts.scheme != "file":
            return False
        path = Path(unquote(parts.path)).resolve()
        return any(path.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if not self.allows(url) or not _regular_or_absent(url):
            self.refused.append(url)
            raise ValueError(f"refused: {url}")
        response: URLFetcherResponse = super().fetch(url, headers)
        return response


def _regular_or_absent(url: str) -> bool:
    """A file: URL names a regular file or nothing (a FIFO would block the layout, a device never end)."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return True
    path = Path(unquote(parts.path))
    return not path.exists() or path.is_file()
