"""Headlines without the outlet's name: "Headline | Outlet", "Outlet: Headline" and the like.

Pages put their own name beside the headline in `<title>` and often in og:title; copies of one
story then differ by that name alone, and analysts read it on every row. The name is removed
only when the part beside the separator *is* one of the given names (the configured outlet
name, og:site_name, the page's site name), compared without case, accents, punctuation or a
host's "www." and domain ending ("milenio.com" is "Milenio"). So "Sheinbaum: no habrá
intervención" keeps its colon, and a title is never cut down to nothing or to the name alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Separators between a headline and a name; a colon only separates a leading name.
_SEP = r"\s+(?:[-|–—·•»:]|::)\s+"
# The last separator; a date after the name goes with it ("Headline – DW – 13.06.2023").
_DATED_SUFFIX = re.compile(rf"^(?P<head>.+){_SEP}(?P<name>[^|–—·•»]+?)"
                           rf"{_SEP}\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\s*$")
_SUFFIX = re.compile(rf"^(?P<head>.+){_SEP}(?P<name>[^|–—·•»]+?)\s*$")
_PREFIX = re.compile(r"^\s*(?P<name>[^|–—·•»:]+?)\s*(?::|\s(?:[-|–—·•»]|::))\s+(?P<head>.+)$")
_HOST_ENDING = re.compile(r"(?:\.(?:com|net|org|info|news|gob|gov|co|es|mx|cu|ar|it|de|uk"
                          r"|us|lat|cn|fr|br|cl|pe|ve))+$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_MAX_PASSES = 3  # "Headline | Outlet" inside "Outlet: Headline | Outlet" and no deeper


def strip_outlet_name(title: str | None, names: Iterable[str | None]) -> str | None:
    """`title` without an outlet name appended or prepended, or `title` unchanged.

    `names`: the configured outlet name, og:site_name, the page's site name (any may be None).
    A leading or trailing segment is removed when it equals one of them (see the module
    docstring for how they are compared) and something other than a name remains.
    """
    if not title:
        return title
    wanted = {key for key in (_key(n) for n in names if n) if key}
    if not wanted:
        return title
    current = " ".join(title.split())
    for _ in range(_MAX_PASSES):
        shorter = _strip_once(current, wanted)
        if shorter is None:
            break
        current = shorter
    return current if current != " ".join(title.split()) else title


def _strip_once(title: str, wanted: set[str]) -> str | None:
    for pattern in (_DATED_SUFFIX, _SUFFIX, _PREFIX):
        match = pattern.match(title)
        if match is None or _key(match.group("name")) not in wanted:
            continue
        head = match.group("head").strip(" -|–—·•»:")
        if head and _key(head) and _key(head) not in wanted:
            return head
    return None


def _key(name: str) -> str:
    """A name as compared: no accents, case, punctuation, "www." or host ending."""
    text = unicodedata.normalize("NFKD", name.strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.removeprefix("www.")
    if " " not in text and "." in text:
        text = _HOST_ENDING.sub("", text)
    return _NOT_ALNUM.sub("", text)
