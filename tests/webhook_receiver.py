"""A real HTTP webhook receiver on 127.0.0.1 for alert tests.

It records every POST (path, headers, decoded JSON or form body) and can be told to answer
the next N requests with an error status, to exercise retries.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int  # the status the receiver answered with

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}


class WebhookReceiver:
    """Start with `with WebhookReceiver() as hook:`; `hook.port`, `hook.received`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[Received] = []
        self._failures_left = 0
        self._failure_status = 500
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def received(self) -> list[Received]:
        """Every request, including those answered with an error."""
        with self._lock:
            return list(self._requests)

    @property
    def accepted(self) -> list[Received]:
        """Requests answered 2xx: the messages a real receiver would have acted on."""
        return [r for r in self.received if 200 <= r.answered < 300]

    def fail_next(self, count: int, status: int = 500) -> None:
        with self._lock:
            self._failures_left = count
            self._failure_status = status

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            if self._failures_left > 0:
                self._failures_left -= 1
                status = self._failure_status
            else:
                status = 200
            self._requests.append(Received(path, headers, body, status))
            return status

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status = receiver._answer(self.path, dict(self.headers.items()), body)
                payload = b'{"ok": true}' if status < 300 else b'{"error": "try later"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return  # keep test output quiet

        return Handler
