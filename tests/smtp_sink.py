"""A minimal SMTP server on 127.0.0.1 that keeps every message it is given (no TLS, no auth).

Enough of RFC 5321 for Python's smtplib, which Apprise's e-mail plugin uses: EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""

from __future__ import annotations

import email
import socketserver
import threading
from email.message import Message


class _Session(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self._reply("220 127.0.0.1 ready")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._reply("250-127.0.0.1", "250-8BITMIME", "250 SIZE 10000000")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                self.server.messages.append(email.message_from_bytes(self._data()))
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self._reply("250 ok")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode("ascii"))


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.messages: list[Message] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
