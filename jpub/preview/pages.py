"""The PDF's pages as images for the page beside the web edition, drawn by poppler's pdftoppm when first asked
for (only the pages scrolled into view cost anything) and kept until the PDF changes."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

RESOLUTION = 96  # dots per inch: an A4 page 794 px wide, sharp at the pane's width on a 2× screen
TIMEOUT = 60


class PageImages:
    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="jpub-preview-pages-"))
        self._lock = threading.Lock()
        self._drawn: dict[tuple[int, int], bytes] = {}  # (generation, page) -> PNG

    def png(self, pdf: Path, generation: int, page: int) -> bytes | None:
        """Page ``page`` (1-based) of the PDF built from save ``generation``; None when there is no such page."""
        with self._lock:
            if (generation, page) in self._drawn:
                return self._drawn[generation, page]
        with tempfile.TemporaryDirectory(dir=self._folder) as scratch:
            stem = Path(scratch) / "page"
            command = ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(RESOLUTION), "-png", "-singlefile", str(pdf), str(stem)]
            drawn = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
            image = stem.with_suffix(".png")
            if drawn.returncode != 0 or not image.exists():
                return None
            data = image.read_bytes()
        with self._lock:
            self._drawn = {key: value for key, value in self._drawn.items() if key[0] == generation}
            self._drawn[generation, page] = data
        return data

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)
