"""A real ``build.py preview`` in a subprocess, and a client of its event stream, for the preview's tests.

Nothing here sleeps to wait: every wait polls for the state it needs, with a generous upper bound.
"""

from __future__ import annotations

import http.client
import json
import queue
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import ROOT

BOUND = 240.0  # seconds: a slow, shared machine builds the first PDF in far less


class Preview:
    """``build.py preview`` on a free port, once it listens. No thread is left in the test process: the build's
    forked children refuse to start beside one."""

    def __init__(self, source: Path, out: Path, port: int = 0):
        command = [sys.executable, str(ROOT / "build.py"), "preview", "--source", str(source), "--out", str(out), "--port", str(port)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], BOUND)
        first = self.process.stdout.readline() if ready else ""  # the one line it prints on stdout
        assert "http://127.0.0.1:" in first, (first, self.process.poll())
        self.port = int(first.split("http://127.0.0.1:")[1].split("/")[0])

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, bytes]:
        """The status and body of a request sent exactly as written (no normalising of ``..`` on the way)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=BOUND)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in ({"Host": f"127.0.0.1:{self.port}"} | (headers or {})).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self) -> tuple[int, str]:
        """Ctrl-C; the exit status and what it printed on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(2)
        _, err = self.process.communicate(timeout=BOUND)
        return self.process.returncode, err


class Events:
    """The preview's server-sent events, each ``state`` parsed, read in a thread."""

    def __init__(self, port: int):
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND)
        self._connection.request("GET", "/events")
        self.response = self._connection.getresponse()
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self.latest: dict[str, Any] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        event, data = "", ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and event == "state":
                    self.received.put(json.loads(data))
                    event, data = "", ""
        except (OSError, ValueError):  # closed by the test or by the server
            pass

    def wait_for(self, holds: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        """The first state (the latest already seen included) for which ``holds`` is true."""
        if self.latest and holds(self.latest):
            return self.latest
        deadline = time.monotonic() + BOUND
        while time.monotonic() < deadline:
            try:
                self.latest = self.received.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if holds(self.latest):
                return self.latest
        raise AssertionError(f"the preview never reached: {what}; last state: {self.latest}")

    def close(self) -> None:
        """Stop reading; the reading thread ends (at once once the server has stopped)."""
        self._connection.close()
        self.response.close()
        self._reader.join(BOUND)
        assert not self._reader.is_alive()
