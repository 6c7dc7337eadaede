"""URL canonicalisation: one spelling per page, so the same article is recognised however linked.

Rules (see docs/extraction.md): lower-case scheme and host, IDNA host, default port dropped,
fragment dropped, user info dropped, tracking parameters removed, remaining parameters sorted
by name, percent-encoding normalised, dot segments resolved. Path case, trailing slashes,
``index.html`` and the scheme (http vs https) are kept as given: servers may treat them as
different resources, and merging them is left to the page's own rel=canonical.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urljoin, urlsplit, urlunsplit

import idna

from extractors.errors import WirewatchError


class InvalidURL(WirewatchError, ValueError):
    """The text cannot be a fetchable http(s) URL; the message says why."""


ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that only say how a reader arrived (campaigns, click ids, feed markers).
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "mc_cid", "mc_eid",  # Mailchimp
        "ocid",  # MSN syndication
        "cmpid",  # campaign id (Guardian, many CMSs)
        "maca",  # DW feed marker, e.g. maca=de-rss-de-all-1119-xml-mrss
        "ito",  # campaign tracker on several UK/US outlets
        "smid", "smtyp",  # NYT social share markers
        "emc",  # NYT e-mail/feed channel marker (emc=rss)
        "wt_mc", "wt_zmc",  # Webtrekk campaign (heise feeds: wt_mc=rss.ho.beitrag.rdf)
        "__twitter_impression", "igshid", "igsh",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "vero_id", "oly_enc_id", "oly_anon_id",
        "rss", "rss_id", "feed_id", "xtor", "at_medium", "at_campaign",
    }
)
TRACKING_PREFIXES = ("utm_", "ns_", "pk_", "mtm_")  # Google, comScore, Piwik, Matomo
# Keys that are tracking only when the value marks a feed or partner channel
# (NYT: partner=rss; El País: ref=rss), because elsewhere they can select content.
FEED_MARKER_KEYS = frozenset({"partner", "ref", "from", "source", "src", "feed"})
FEED_MARKER_VALUE = re.compile(r"^(rss|atom|feed|rss2|rdf|xml|feedburner)([_.\-].*)?$", re.I)

# RFC 3986 unreserved characters never need escaping; everything else a path may hold stays.
PATH_SAFE = "/:@!$&'()*+,;=-._~"
QUERY_SAFE = "/:@!$'()*,;-._~"


def canonicalize_url(url: str, base: str | None = None) -> str:
    """Return the canonical spelling of `url` (resolved against `base` when relative)."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL("empty URL")
    text = url.strip()
    if base:
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # e.g. unbalanced brackets in an IPv6 host
        raise InvalidURL(f"unparsable URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if not scheme:
        raise InvalidURL("relative URL without a base")
    if scheme not in ALLOWED_SCHEMES:
        raise InvalidURL(f"unsupported scheme {scheme!r}")
    host = _canonical_host(parts.hostname)
    netloc = host + _port_suffix(parts, scheme)
    path = _canonical_path(parts.path)
    query = _canonical_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_host(url: str) -> str:
    """The canonical (lower-case, IDNA) host of an http(s) URL: no port, IPv6 without brackets."""
    parts = urlsplit(canonicalize_url(url))
    return parts.hostname or ""


def _canonical_host(hostname: str | None) -> str:
    if not hostname:
        raise InvalidURL("URL has no host")
    host = hostname.rstrip(".").lower()
    if not host:
        raise InvalidURL("URL has no host")
    if ":" in host:  # IPv6 literal: urlsplit removed the brackets
        return f"[{host}]"
    if host.isascii():
        if not re.fullmatch(r"[a-z0-9_.\-]+", host):
            raise InvalidURL(f"invalid host {hostname!r}")
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InvalidURL(f"invalid internationalised host {hostname!r}: {exc}") from exc


def _port_suffix(parts: SplitResult, scheme: str) -> str:
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"invalid port in {parts.netloc!r}") from exc
    if port is None or port == DEFAULT_PORTS[scheme]:
        return ""
    return f":{port}"


def _canonical_path(path: str) -> str:
    if not path:
        return "/"
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    if path.endswith(("/.", "/..")):
        segments.append("")
    joined = "/".join(segments)
    if not joined.startswith("/"):
        joined = "/" + joined
    return _requote(joined, PATH_SAFE)


def _requote(text: str, safe: str) -> str:
    """Decode then re-encode, so %7E/~ and %c3%a9/é spell alike; keeps escaped delimiters."""
    pieces = re.split(r"(%2[fF]|%3[fF]|%23|%25)", text)  # escapes that change meaning if decoded
    out = []
    for piece in pieces:
        if re.fullmatch(r"%[0-9a-fA-F]{2}", piece):
            out.append(piece.upper())
        else:
            out.append(quote(unquote(piece, errors="surrogateescape"), safe=safe,
                             errors="surrogateescape"))
    return "".join(out)


def is_tracking_param(key: str, value: str) -> bool:
    lowered = key.lower()
    if lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES):
        return True
    return lowered in FEED_MARKER_KEYS and bool(FEED_MARKER_VALUE.match(value))


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not is_tracking_param(k, v)]
    kept.sort(key=lambda kv: kv[0])  # stable: repeated keys keep their order
    return "&".join(_query_pair(k, v) for k, v in kept)


def _query_pair(key: str, value: str) -> str:
    # "?a" and "?a=" reach the server alike; spell both as "a".
    if not value:
        return quote(key, safe=QUERY_SAFE)
    return f"{quote(key, safe=QUERY_SAFE)}={quote(value, safe=QUERY_SAFE)}"
