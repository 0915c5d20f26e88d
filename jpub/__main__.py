"""``python -m jpub`` and the installed ``jpub`` command: the command line of build.py, plus ``jpub new DIR``."""

from __future__ import annotations

import sys

from jpub.cli import main


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
