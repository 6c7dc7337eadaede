"""Decoding bytes whose declared encoding may be missing or wrong."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

# Declarations that real servers get wrong most often: UTF-8 bytes labelled as Latin-1.
LATIN1_FAMILY = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15"})
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._\-]+)""", re.IGNORECASE
)
CONTENT_TYPE_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._\-]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # why the declared encoding was not used, when it was not


def codec_name(label: str | None) -> str | None:
    """Python's name for an encoding label, or None when the label is unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = CONTENT_TYPE_CHARSET.search(content_type)
    return match.group(1) if match else None


def declared_xml_encoding(body: bytes) -> str | None:
    match = XML_DECL_ENCODING.match(body[:512])
    return match.group(1).decode("ascii") if match else None


def declared_html_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def decode_body(body: bytes, declared: list[str | None]) -> Decoded:
    """Decode `body` using BOM, then declarations (first known wins), then detection.

    Valid UTF-8 with non-ASCII bytes is taken as UTF-8 even when a Latin-1 family label says
    otherwise: such bytes are almost never meant as Latin-1, while the mislabel is common.
    """
    for bom, name in BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom):].decode(name, errors="replace"), name)
    labels = [name for name in (codec_name(d) for d in declared) if name]
    first = labels[0] if labels else None
    if first is None or first in LATIN1_FAMILY or first == "utf-8":
        utf8 = _try_decode(body, "utf-8")
        if utf8 is not None:
            note = None if first in (None, "utf-8") or body.isascii() else (
                f"declared {first} but the bytes are UTF-8")
            return Decoded(utf8, "utf-8", note)
    for label in labels:
        text = _try_decode(body, label)
        if text is not None:
            return Decoded(text, label)
    return _detect(body, first)


def _detected_name(sample: bytes) -> str | None:
    """charset_normalizer's choice, except that cp1252 wins any tie it is part of.

    Short Spanish or Portuguese texts decode without errors in several single-byte code
    pages; the monitored outlets write Western European languages, so cp1252 is the likely one.
    """
    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    for match in matches:
        if match.chaos <= least_chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return codec_name(matches[0].encoding)


def _try_decode(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes, declared: str | None) -> Decoded:
    name = _detected_name(body[:200_000])
    prefix = f"declared {declared} does not fit the bytes; " if declared else ""
    if name:
        return Decoded(body.decode(name, errors="replace"), name, f"{prefix}detected {name}")
    return Decoded(body.decode("cp1252", errors="replace"), "cp1252",
                   f"{prefix}encoding undetectable, decoded as cp1252 with replacements")
