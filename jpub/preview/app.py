"""``jpub preview``: the server, the watcher and the builds wired together, started and stopped cleanly."""

from __future__ import annotations

import dataclasses
import errno
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jpub.errors import DocumentError
from jpub.preview import watcher
from jpub.preview.builder import EDITIONS, Builder, Target
from jpub.preview.pdf_worker import InProcessPdf, PdfBuilder, WorkerPdf
from jpub.preview.server import PreviewServer
from jpub.preview.state import Board

DEFAULT_PORT = 8400
STOP_SECONDS = 10.0  # a build under way when Ctrl-C comes is let finish writing, up to this long


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(
    source: Path,
    out: Path,
    port: int = DEFAULT_PORT,
    overrides: Mapping[str, Any] | None = None,
    *,
    pdf_in_process: bool = False,
    log: Callable[[str], None] = _log,
) -> int:
    """Serve the preview until Ctrl-C (or SIGTERM); 0 then, 1 when it cannot start."""
    if not source.is_file():
        raise DocumentError.at(str(source), 0, "ソースファイルが見つかりません", "source-missing")
    board = Board(EDITIONS)
    try:
        server = PreviewServer(port, board)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            log(f"jpub preview: ポート {port} は使用中です（もう一つの jpub preview が動いていませんか。--port で別の番号を指定できます）")
        else:
            log(f"jpub preview: ポート {port} で待ち受けられません: {exc.strerror or exc}")
        return 1
    pdf: PdfBuilder = InProcessPdf() if pdf_in_process else WorkerPdf()
    target = Target(source, out, dict(overrides or {}))
    builder = server.builder = Builder(target, board, pdf, log)
    stop = threading.Event()
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="preview-server", daemon=True)
    # Ctrl-C stops the preview even when it was started with SIGINT ignored (as a shell's background job is),
    # and a polite kill stops it the same way
    previous = {sig: signal.signal(sig, signal.default_int_handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        serving.start()
        watcher.watch(watcher.watched(source), out, lambda changed: builder.saved(), stop)
        print(f"jpub preview: http://127.0.0.1:{server.port}/ で {source} を表示しています（Ctrl-C で終了）", flush=True)
        builder.saved()
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        board.update(lambda snapshot: dataclasses.replace(snapshot, closing=True))
        if serving.ident is not None:  # serve_forever runs: shutdown waits for it to return
            server.shutdown()
        server.server_close()
        builder.stop(STOP_SECONDS)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log("jpub preview: 終了しました")
    return 0
