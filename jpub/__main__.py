"""``python -m jpub`` and the installed ``jpub`` command: the command line of build.py, plus ``jpub new DIR``."""

from __future__ import annotations

import atexit
import os
import sys

from jpub.cli import main


def run() -> None:
    status = main()
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(status)  # under a profiler or coverage: a normal exit, so they can write what they measured
    # The outputs are written and closed. Leave without the interpreter's tear-down, which frees the laid-out
    # document object by object: a third of a second at 10 times the seed, for nothing. Exit handlers
    # (logging's flush, temporary folders' clean-up) still run.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that went away (jpub check | head) is no error of the build's
            pass
    os._exit(status)


if __name__ == "__main__":
    run()
