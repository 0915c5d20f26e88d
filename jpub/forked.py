"""A task run in a forked copy of this process, its result (or its exception) sent back through a pipe.

The child starts with everything the parent holds — the parsed publication needs no pickling, which it
would not survive — and runs on another core: threads would share this process's one interpreter lock with
WeasyPrint. Only where the platform forks safely (Linux); elsewhere ``available()`` is false.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

from .errors import DocumentError

T = TypeVar("T")


def available() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class ChildFailed(DocumentError):
    """The child died before it could send anything (killed, out of memory, a crash in a C library):
    reported as a diagnostic like any other failure of the environment, not as a traceback."""


class Forked(Generic[T]):
    def __init__(self, task: Callable[[], T]):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, send, leave without the parent's exit handlers or buffered output
            os.close(read)
            _run_and_send(task, write)
            os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """Wait for the child; its return value, or its exception raised here."""
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        if not data:
            message = f"子プロセスが結果を返さずに終了しました（{_describe(status)}。メモリ不足などで強制終了された可能性があります）"
            raise ChildFailed.at("build.py", 0, message, "child-process")
        ok, value = pickle.loads(data)
        if ok:
            return value
        raise value

    def cancel(self) -> None:
        """Stop the child and reap it (the parent failed; what the child makes is not wanted)."""
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self._read)
        os.waitpid(self._pid, 0)


def _run_and_send(task: Callable[[], object], fd: int) -> None:
    try:
        outcome = (True, task())
    except BaseException as exc:  # everything goes back to the parent, which decides
        exc.add_note("子プロセス内のトレースバック:\n" + "".join(traceback.format_tb(exc.__traceback__)))  # for --debug
        outcome = (False, exc)
    try:
        data = pickle.dumps(outcome)
    except Exception as exc:  # what does not pickle goes back as text: the exception's traceback, or why
        ok, value = outcome
        text = f"結果を親プロセスに送れません: {exc!r}" if ok else "".join(traceback.format_exception(value))
        data = pickle.dumps((False, RuntimeError(text)))
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"シグナル {signal.Signals(os.WTERMSIG(status)).name}"
    return f"終了コード {os.waitstatus_to_exitcode(status)}"
