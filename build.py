#!/usr/bin/env python3
"""Build the editions: python build.py [pdf] [docx] [html] [check] [verify] [--source FILE] [--out DIR].

The same command as ``jpub`` once the package is installed (``pip install .``); the Makefile runs this one."""

import sys

from jpub.cli import main

if __name__ == "__main__":
    sys.exit(main())
