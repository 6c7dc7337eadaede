"""The brief over HTTP on 127.0.0.1 while `wirewatch serve` runs: one file, read per request.

Each request reads the file anew, so the page shows the brief of the latest cycle; the file
is replaced by rename, so a request never reads half of one. Anything but GET / (or
/brief.html) is 404; the server binds to loopback only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_PATHS = {"/", "/brief.html"}


def _handler_for(brief: Path) -> type[BaseHTTPRequestHandler]:
    class BriefHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] not in _PATHS:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            try:
                body = brief.read_bytes()
            except FileNotFoundError:
                body = b"<!doctype html><title>wirewatch brief</title>" \
                       b"<p>No brief yet: it is written after the first cycle.</p>"
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return  # the terminal belongs to Prefect's serve output

    return BriefHandler


@contextmanager
def serve_brief(brief: Path, port: int = 0) -> Iterator[str]:
    """Serve `brief` on 127.0.0.1:`port` (0: any free port) in a thread; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(Path(brief)))
    thread = threading.Thread(target=server.serve_forever, name="brief-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
