"""The preview's web server: the page and its assets, the built editions, the PDF's pages as images, a stream of
state changes (server-sent events), and one action (build the Word edition).

Safe by default. It listens on 127.0.0.1 only and answers only for that address or ``localhost`` (a page
elsewhere that points a name of its own at this machine is refused). It serves a fixed set of names: the page's
assets by their names in ``templates/preview/`` and the three editions' files, nothing else from any folder —
no listing, no other file of the output folder, and a path with ``..`` in it, encoded or not, is refused.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jpub import page_templates
from jpub.preview.builder import Builder
from jpub.preview.pages import PageImages
from jpub.preview.state import Board, Snapshot

ASSETS = page_templates.packaged() / "preview"
ASSET_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
EDITION_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'"
)
KEEPALIVE_SECONDS = 15.0  # a comment line this often lets a closed page be noticed
_PAGE_IMAGE = re.compile(r"/pdf/pages/([1-9][0-9]{0,4})\.png")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not hold up the stop
    allow_reuse_address = False  # a second preview on the same port must fail to bind, not share it

    builder: Builder  # set once the port is bound: a preview that cannot listen starts no builds

    def __init__(self, port: int, board: Board):
        self.board, self.pages = board, PageImages()
        self.page_images = shutil.which("pdftoppm") is not None
        super().__init__(("127.0.0.1", port), Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (socket.getfqdn), which can wait on a resolver; not needed
        self.socket.bind(self.server_address)
        self.server_address = self.socket.getsockname()
        self.server_name, self.server_port = "127.0.0.1", int(self.server_address[1])

    @property
    def port(self) -> int:
        return self.server_port

    def server_close(self) -> None:
        super().server_close()
        self.pages.close()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (the terminal is for the document)
        pass

    # --- routing -----------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        path = self._checked_path()
        if path is None:
            return
        if path == "/":
            self._asset("index.html")
        elif path.startswith("/assets/"):
            self._asset(path.removeprefix("/assets/"))
        elif path.startswith("/out/"):
            self._edition(path.removeprefix("/out/"))
        elif path == "/state":
            self._send(HTTPStatus.OK, "application/json", json.dumps(self._state(self.server.board.snapshot), ensure_ascii=False).encode())
        elif path == "/events":
            self._events()
        elif page := _PAGE_IMAGE.fullmatch(path):
            self._page_image(int(page.group(1)))
        else:
            self._refuse(HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        path = self._checked_path()
        if path is None:
            return
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != self.headers.get("Host"):
            self._refuse(HTTPStatus.FORBIDDEN)  # another site's page posting here
        elif path == "/build/docx":
            self.server.builder.word()
            self._send(HTTPStatus.ACCEPTED, "application/json", b"{}")
        else:
            self._refuse(HTTPStatus.NOT_FOUND)

    def _checked_path(self) -> str | None:
        """The request's path, decoded, or None (and a refusal sent) when it may not be served."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)
        if host[0] not in ("127.0.0.1", "localhost") or (len(host) == 2 and host[1] != str(self.server.port)):
            self._refuse(HTTPStatus.FORBIDDEN)
            return None
        try:
            path = unquote(urlsplit(self.path).path, errors="strict")
        except UnicodeDecodeError:
            self._refuse(HTTPStatus.BAD_REQUEST)
            return None
        decoded_twice = unquote(path)  # %252e%252e is not a way round the check either
        if any(part == ".." for part in re.split(r"[/\\]", decoded_twice)) or "\0" in decoded_twice or posixpath.normpath(path) not in (path, "/"):
            self._refuse(HTTPStatus.BAD_REQUEST)
            return None
        return path

    # --- answers -----------------------------------------------------------------------------------------

    def _asset(self, name: str) -> None:
        assets = {entry.name: entry for entry in ASSETS.iterdir() if entry.suffix in ASSET_TYPES}
        if name not in assets:
            self._refuse(HTTPStatus.NOT_FOUND)
            return
        self._send(HTTPStatus.OK, ASSET_TYPES[assets[name].suffix], assets[name].read_bytes(), policy=PAGE_POLICY)

    def _edition(self, name: str) -> None:
        target = self.server.builder.target
        files = {target.file(edition).name: target.file(edition) for edition in ("html", "pdf", "docx")}
        if name not in files:
            self._refuse(HTTPStatus.NOT_FOUND)
            return
        try:
            with files[name].open("rb") as stream:  # the file open now, whole, even if a newer one is renamed over it
                data = stream.read()
        except OSError:
            self._refuse(HTTPStatus.NOT_FOUND)
            return
        extra = {"Content-Disposition": f'attachment; filename="{name}"'} if name.endswith(".docx") else {}
        self._send(HTTPStatus.OK, EDITION_TYPES[Path(name).suffix], data, extra=extra)

    def _page_image(self, page: int) -> None:
        pdf = self.server.board.snapshot.editions["pdf"]
        png = self.server.pages.png(self.server.builder.target.file("pdf"), pdf.generation, page) if pdf.file and self.server.page_images else None
        if png is None:
            self._refuse(HTTPStatus.NOT_FOUND)
        else:
            self._send(HTTPStatus.OK, "image/png", png)

    def _state(self, snapshot: Snapshot) -> dict[str, Any]:
        return snapshot.as_json() | {"source": self.server.builder.target.source.name, "pageImages": self.server.page_images}

    def _events(self) -> None:
        """The state now, then again at every change, until the page goes away or the preview stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen: Snapshot | None = None
        try:
            while True:
                snapshot = self.server.board.wait_newer(seen, KEEPALIVE_SECONDS)
                if snapshot is seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    data = json.dumps(self._state(snapshot), ensure_ascii=False)
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
                self.wfile.flush()
                if snapshot.closing:
                    return
                seen = snapshot
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            return

    def _refuse(self, status: HTTPStatus) -> None:
        self._send(status, "text/plain; charset=utf-8", f"{status.value} {status.phrase}\n".encode())

    def _send(self, status: HTTPStatus, kind: str, body: bytes, policy: str = "", extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if policy:
            self.send_header("Content-Security-Policy", policy)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
