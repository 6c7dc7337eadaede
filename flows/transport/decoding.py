"""Content-Encoding decoding that never produces more than a byte cap.

httpx's own decoders inflate each network chunk in full, so one 64 KiB chunk of a gzip
bomb can become tens of megabytes before anyone counts. Here every zlib call is told how
many bytes it may still produce (`max_length`), so memory stays bounded by the cap.
"""

from __future__ import annotations

import zlib

from flows.errors import ResponseTooLarge, UndecodableBody

_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


class BoundedDecoder:
    """Feed raw body chunks, get decoded bytes; raises ResponseTooLarge past `max_bytes`."""

    def __init__(self, content_encoding: str | None, max_bytes: int, url: str) -> None:
        self._url = url
        self._max_bytes = max_bytes
        self._produced = 0
        self._encoding = _single_encoding(content_encoding, url)
        self._inflater = _new_inflater(self._encoding)
        self._first_chunk = True

    @property
    def produced(self) -> int:
        """Decoded bytes so far."""
        return self._produced

    def feed(self, data: bytes) -> bytes:
        """Decode one raw chunk."""
        if self._inflater is None:
            return self._count(data)
        output = bytearray()
        pending = data
        while pending:
            output += self._inflate(pending)
            pending = self._next_member_input()
        return bytes(output)

    def finish(self) -> bytes:
        """Whatever the inflater still holds, within the cap."""
        if self._inflater is None:
            return b""
        return self._count(self._inflater.flush())

    def _inflate(self, data: bytes) -> bytes:
        assert self._inflater is not None
        room = self._max_bytes - self._produced
        try:
            # One byte beyond the room proves the cap is exceeded without inflating more.
            chunk = self._inflater.decompress(data, room + 1)
        except zlib.error as exc:
            chunk = self._retry_as_raw_deflate(data, room, exc)
        self._first_chunk = False
        return self._count(chunk)

    def _retry_as_raw_deflate(self, data: bytes, room: int, exc: zlib.error) -> bytes:
        # "deflate" is meant to be zlib-wrapped, but many servers send raw deflate.
        if self._encoding != "deflate" or not self._first_chunk:
            raise UndecodableBody(
                "decoding", f"corrupt {self._encoding} body", url=self._url
            ) from exc
        self._inflater = zlib.decompressobj(_RAW_DEFLATE_WBITS)
        try:
            return self._inflater.decompress(data, room + 1)
        except zlib.error as raw_exc:
            raise UndecodableBody(
                "decoding", "corrupt deflate body", url=self._url
            ) from raw_exc

    def _next_member_input(self) -> bytes:
        """Input left after a finished gzip member (concatenated members are valid gzip)."""
        assert self._inflater is not None
        if self._inflater.unconsumed_tail:
            # Output stopped at max_length with input left: only when the cap was hit,
            # which _count has already raised; kept for safety.
            return self._inflater.unconsumed_tail
        rest = self._inflater.unused_data
        # Trailing bytes that do not start a new member are padding some servers add.
        if self._encoding == "gzip" and self._inflater.eof and rest.startswith(b"\x1f\x8b"):
            self._inflater = zlib.decompressobj(_GZIP_WBITS)
            return rest
        return b""

    def _count(self, chunk: bytes) -> bytes:
        self._produced += len(chunk)
        if self._produced > self._max_bytes:
            raise ResponseTooLarge(
                "too_large",
                f"body exceeds {self._max_bytes} bytes after decoding",
                url=self._url,
            )
        return chunk


def _single_encoding(header: str | None, url: str) -> str:
    codings = [part.strip().lower() for part in (header or "").split(",") if part.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return "identity"
    if len(codings) > 1:
        raise UndecodableBody(
            "decoding", f"stacked content encodings {codings} are not supported", url=url
        )
    coding = "gzip" if codings[0] == "x-gzip" else codings[0]
    if coding not in {"gzip", "deflate"}:
        raise UndecodableBody(
            "decoding", f"content encoding {coding!r} is not supported", url=url
        )
    return coding


def _new_inflater(encoding: str) -> zlib._Decompress | None:
    if encoding == "gzip":
        return zlib.decompressobj(_GZIP_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(_ZLIB_WBITS)
    return None
