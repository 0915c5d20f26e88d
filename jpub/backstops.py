"""A deadline and a memory ceiling for work that cannot be measured step by step (a template's loops).

The template sandbox checks every operation that can make a large value; these two catch what no single
operation shows — loops nested deep enough to run for hours without writing anything, or values kept
growing in ways the checks do not see — so that a build stops with a message instead of hanging or being
killed by the kernel.
"""

from __future__ import annotations

import contextlib
import ctypes
import resource
import threading
from collections.abc import Iterator

HEADROOM = 1024 * 1024 * 1024  # what the guarded work may add to the process's address space


class TooSlow(Exception):
    """Raised into the working thread when its deadline passes."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TooSlow in this thread after ``seconds``: a timer thread raises it asynchronously, as Ctrl-C would,
    between two steps of Python code. The timer is joined before this returns (no thread is left to a fork)."""
    target, lock, state = threading.get_ident(), threading.Lock(), {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(TooSlow))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            if state["fired"]:  # fired as the work ended: take back an exception not raised yet
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
        timer.cancel()
        timer.join()


@contextlib.contextmanager
def memory_ceiling(headroom: int = HEADROOM) -> Iterator[None]:
    """Let the process grow by at most ``headroom`` bytes: an allocation past it fails with MemoryError instead
    of the kernel killing the build. The limit is the process's, so it is set only while no other thread works."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = _address_space()
    others = [t for t in threading.enumerate() if t is not threading.current_thread() and not isinstance(t, threading.Timer)]
    ceiling = used + headroom
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if others or used <= 0 or (soft != resource.RLIM_INFINITY and soft <= ceiling):
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """The process's address space in bytes (-1 where /proc cannot tell)."""
    try:
        with open("/proc/self/statm") as stream:
            return int(stream.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return -1
