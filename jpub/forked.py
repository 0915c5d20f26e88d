"""A task run in a forked copy of this process, its result (or its exception) sent back through a pipe.

The child starts with everything the parent holds — the parsed publication needs no pickling, which it
would not survive — and runs on another core: threads would share this process's one interpreter lock with
WeasyPrint. Only where the platform forks safely (Linux); elsewhere ``available()`` is false. Where the fork
itself fails (no memory, too many processes) the task runs in this process when its result is asked for.

The child never returns into the parent's code: whatever happens in it, it leaves with ``os._exit``. It
ignores Ctrl-C (the parent, which gets it too, stops the child), and ``cancel`` asks it to stop with SIGTERM,
so its temporary folders are removed and the pandoc it started is stopped, before SIGKILL if it lingers.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from types import FrameType
from typing import Generic, TypeVar, cast

from jpub.errors import DocumentError

T = TypeVar("T")
U = TypeVar("U")
CANCEL_GRACE_SECONDS = 5.0


def available() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class ChildFailed(DocumentError):
    """The child died before it sent its whole result (killed, out of memory, a crash in a C library):
    reported as a diagnostic like any other failure of the environment, not as a traceback."""


class Forked(Generic[T]):
    def __init__(self, task: Callable[[], T]):
        if threading.active_count() > 1:  # the child would inherit locks held by threads that do not exist in it
            raise RuntimeError("forking while another thread runs: join the threads first")
        self._task: Callable[[], T] | None = None
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to be had: the task runs here, later
            os.close(read)
            os.close(write)
            self._task = task
            return
        if pid == 0:
            _child(task, read, write)  # never returns
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """Wait for the child; its return value, or its exception raised here."""
        if self._task is not None:
            return self._task()
        try:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
        except BaseException:  # interrupted while waiting: the child is stopped, not left behind
            self._stop()
            raise
        try:
            outcome: tuple[bool, object] | None = pickle.loads(data) if data else None  # what _outcome sent
        except Exception:  # cut off mid-way: the child died while it was sending
            outcome = None
        if outcome is None:
            message = f"子プロセスが結果を返さずに終了しました（{_describe(status)}。メモリ不足などで強制終了された可能性があります）"
            raise ChildFailed.at("build.py", 0, message, "child-process")
        ok, value = outcome
        if ok:
            return cast(T, value)  # the task's return value: a T, which pickle cannot tell mypy
        assert isinstance(value, BaseException)  # _outcome sends (False, exception)
        raise value

    def cancel(self) -> None:
        """Stop the child and reap it (the parent failed; what the child makes is not wanted)."""
        if self._task is not None:
            return
        try:
            os.close(self._read)
        except OSError:
            pass
        self._stop()

    def _stop(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self._pid, sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + CANCEL_GRACE_SECONDS
            while True:
                try:
                    done, _ = os.waitpid(self._pid, os.WNOHANG)
                except ChildProcessError:  # reaped already
                    return
                if done:
                    return
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)


def side_by_side(here: Callable[[], T], there: Callable[[], U], *, fork: bool = True) -> tuple[T, U]:
    """``here()`` in this process while ``there()`` runs in a forked child; one after the other when ``fork``
    is false or the platform does not fork. If ``here()`` fails, the child is stopped and its result dropped."""
    if not (fork and available()):
        return here(), there()
    child = Forked(there)
    try:
        result = here()
    except BaseException:
        child.cancel()
        raise
    return result, child.result()


def _child(task: Callable[[], object], read: int, write: int) -> None:
    """Run, send, and leave without the parent's exit handlers, buffered output or code after the fork."""
    status = 0
    try:
        os.close(read)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _exit_on_terminate)
        _send(_outcome(task), write)
    except BaseException:  # a failure while sending (the parent went away): nothing more to tell it
        status = 1
    finally:
        os._exit(status)


def _exit_on_terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the task: context managers remove what it made


def _outcome(task: Callable[[], object]) -> bytes:
    try:
        return pickle.dumps((True, task()))
    except BaseException as exc:  # everything goes back to the parent, which decides
        exc.add_note("子プロセス内のトレースバック:\n" + "".join(traceback.format_tb(exc.__traceback__)))  # for --debug
        try:
            data = pickle.dumps((False, exc))
            pickle.loads(data)  # an exception that pickles but cannot be rebuilt would fail in the parent
            return data
        except Exception:
            return pickle.dumps((False, RuntimeError("".join(traceback.format_exception(exc)))))


def _send(data: bytes, fd: int) -> None:
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"シグナル {signal.Signals(os.WTERMSIG(status)).name}"
    return f"終了コード {os.waitstatus_to_exitcode(status)}"
