"""Credit lines: which agency or outlet a copy credits, and where the evidence is.

A *credit* says the text comes from an agency: a dateline "(AP) —", "(EFE).-", a byline
paragraph "Por AFP", an attribution "con información de Reuters", "according to a DW report",
"as reported by international news agencies". A *mention* only names the agency in a sentence
("an AFP photographer was injured"). Both are returned, with character offsets into `text`.
Unnamed groups ("agencias", "international media") are only recognised as credits, since
"agencias" in ordinary prose is not a reference to anyone.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extractors.records import Credit

GENERIC_KIND = "generic"


@dataclass(frozen=True, slots=True)
class Agency:
    agency_id: str
    name: str
    kind: str  # wire | outlet | generic
    aliases: tuple[str, ...]
    case_sensitive: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Catalogue:
    agencies: dict[str, Agency]
    alias_to_id: dict[str, str]  # lower-cased alias (or exact, for case-sensitive ones) -> id
    named: re.Pattern[str]  # any non-generic agency alias as a whole word
    any_agency: str  # regex source matching any alias, generic ones included


def load_agencies() -> dict[str, Agency]:
    """The maintained agency list (extractors/data/agencies.toml), keyed by agency id."""
    raw = resources.files("extractors").joinpath("data/agencies.toml").read_text("utf-8")
    entries = tomllib.loads(raw)["agency"]
    return {
        e["id"]: Agency(
            agency_id=e["id"],
            name=e["name"],
            kind=e["kind"],
            aliases=tuple(e.get("aliases", ())),
            case_sensitive=tuple(e.get("case_sensitive", ())),
        )
        for e in entries
    }


def _alias_alternation(agencies: list[Agency]) -> str:
    parts: list[tuple[int, str]] = []
    for agency in agencies:
        parts += [(len(a), f"(?i:{re.escape(a)})") for a in agency.aliases]
        parts += [(len(a), re.escape(a)) for a in agency.case_sensitive]
    parts.sort(key=lambda p: -p[0])  # longest first so "Agencia EFE" wins over "EFE"
    return "|".join(p[1] for p in parts)


@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    agencies = load_agencies()
    alias_to_id: dict[str, str] = {}
    for agency in agencies.values():
        for alias in agency.aliases:
            alias_to_id[alias.lower()] = agency.agency_id
        for alias in agency.case_sensitive:
            alias_to_id[alias] = agency.agency_id
    named = [a for a in agencies.values() if a.kind != GENERIC_KIND]
    return _Catalogue(
        agencies=agencies,
        alias_to_id=alias_to_id,
        named=re.compile(rf"(?<!\w)(?:{_alias_alternation(named)})(?!\w)"),
        any_agency=_alias_alternation(list(agencies.values())),
    )


def agency_for_alias(surface: str) -> Agency | None:
    """The agency a matched spelling belongs to (exact spelling first, then case-insensitive)."""
    cat = _catalogue()
    agency_id = cat.alias_to_id.get(surface) or cat.alias_to_id.get(surface.lower())
    return cat.agencies.get(agency_id) if agency_id else None


# Phrases that introduce the source of the text. Spanish and English, case-insensitive.
_INTRO = (
    r"according\s+to|as\s+reported\s+by|as\s+first\s+reported\s+by|reported\s+by|reporting\s+by"
    r"|with\s+(?:information|reporting|reports|files)\s+from|information\s+from|courtesy\s+of"
    r"|con\s+informaci[oó]n\s+de|con\s+reportes\s+de|seg[uú]n(?:\s+(?:inform[oó]|report[oó]"
    r"|public[oó]|informa|reporta|recoge|difundi[oó]))?|de\s+acuerdo\s+con|inform[oó]"
    r"|report[oó]|(?:fuentes?|sources?)\s*:|citad[oa]s?\s+por|recogid[oa]s?\s+por"
    r"|reportad[oa]s?\s+por|difundid[oa]s?\s+por"
)
# Words allowed between the phrase and the agency: "according to a DW report", "según un
# despacho de la agencia EFE".
_FILLER = (
    r"(?:\s+(?:a|an|the|la|el|los|las|un|una|report|reports|reporting|dispatch|story|article"
    r"|reporte|informe|despacho|nota|cable|agencia|agencias|agency|news|de|del|by|from|por"
    r"|la\s+agencia|news\s+agency|wire\s+service)){0,4}"
)
_AFTER = (
    r"\s+(?:contributed(?:\s+to\s+this\s+report)?|reported|informó|reportó|recogió|said\s+in\s+a"
    r"\s+report)"
)
_PAREN = re.compile(r"\(([^()\n]{1,80})\)")
_PHOTO = re.compile(r"^\s*(?:foto|fotos|photo|photos|imagen|image|video|vídeo)\b", re.I)
_PAREN_SEPARATORS = re.compile(r"^[\s/,;&|y-]*$")
_BYLINE_WORDS = 8


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    agency = _catalogue().any_agency
    intro = re.compile(
        rf"(?<!\w)(?i:{_INTRO}){_FILLER}\s+(?P<agency>{agency})(?!\w)"
        rf"(?:\s+(?i:report|reporting|reporte|informe))?"
    )
    after = re.compile(rf"(?<!\w)(?P<agency>{agency})(?!\w)(?i:{_AFTER})")
    byline = re.compile(
        rf"^(?i:(?:por|by|from|fuente|source|texto|text)\s*:?\s+)?"
        rf"(?i:redacci[oó]n\s*[/|,-]\s*)?(?:(?i:the)\s+)?(?P<agency>{agency})"
        rf"(?:\s*[/|,-]\s*[^\n]{{0,40}})?\.?$"
    )
    return intro, after, byline


def detect_credits(
    text: str, title: str | None = None, language: str | None = None
) -> list[Credit]:
    """Credits and mentions of agencies in `text`, in order of position.

    `title` is checked for a parenthesised credit when the text has none. `language` is accepted for
    symmetry with other extractors; the patterns cover Spanish and English together because
    copies mix them ("(EFE) — according to...").
    """
    del language  # both languages' patterns always apply
    credits = _without_overlaps(
        _paren_credits(text) + _phrase_credits(text) + _byline_credits(text)
    )
    credits += _mentions(text, credits)
    credits.sort(key=lambda c: (c.start, c.end))
    if title and not any(c.kind == "credit" for c in credits):
        # A headline such as "Sheinbaum responde a Trump (EFE)": offsets 0..0, since the
        # evidence is not inside `text`.
        credits += [
            Credit(c.agency_id, c.agency_name, c.kind, f"title: {c.evidence}", 0, 0)
            for c in _paren_credits(title)
            if c.kind == "credit"
        ]
    return credits


def primary_credit(credits: list[Credit]) -> Credit | None:
    """The agency a copy is credited to: the first named credit, else a generic one."""
    named = [c for c in credits if c.kind == "credit" and c.agency_id != "agencies"]
    if named:
        return named[0]
    generic = [c for c in credits if c.kind == "credit"]
    return generic[0] if generic else None


def _make(agency: Agency, kind: str, text: str, start: int, end: int) -> Credit:
    return Credit(agency.agency_id, agency.name, kind, text[start:end].strip(), start, end)


def _paren_credits(text: str) -> list[Credit]:
    """"(AP) —", "(EFE).-", "(Reuters/AFP)" are credits; "(Foto: EFE)" only mentions EFE."""
    found: list[Credit] = []
    named = _catalogue().named
    for paren in _PAREN.finditer(text):
        inner = paren.group(1)
        hits = list(named.finditer(inner))
        if not hits:
            continue
        photo = bool(_PHOTO.match(inner))
        leftover = named.sub("", inner)
        if not photo and not _PAREN_SEPARATORS.match(leftover):
            continue  # "(the AP reported it first)" is prose: left to the mention pass
        offset = paren.start(1)
        for hit in hits:
            agency = agency_for_alias(hit.group(0))
            if agency is None:
                continue
            kind = "mention" if photo else "credit"
            found.append(
                Credit(agency.agency_id, agency.name, kind, paren.group(0),
                       offset + hit.start(), offset + hit.end())
            )
    return found


def _phrase_credits(text: str) -> list[Credit]:
    intro, after, _ = _patterns()
    found: list[Credit] = []
    for pattern in (intro, after):
        for match in pattern.finditer(text):
            agency = agency_for_alias(match.group("agency"))
            if agency is None:
                continue
            found.append(
                Credit(agency.agency_id, agency.name, "credit", match.group(0).strip(),
                       match.start("agency"), match.end("agency"))
            )
    return found


def _byline_credits(text: str) -> list[Credit]:
    """A paragraph that is only a byline: "EFE", "Por AFP", "Redacción / EFE"."""
    _, _, byline = _patterns()
    found: list[Credit] = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        if stripped and len(stripped.split()) <= _BYLINE_WORDS:
            match = byline.match(stripped)
            agency = agency_for_alias(match.group("agency")) if match else None
            if match and agency is not None and agency.kind != GENERIC_KIND:
                start = position + lead + match.start("agency")
                found.append(Credit(agency.agency_id, agency.name, "credit", stripped,
                                    start, start + len(match.group("agency"))))
        position += len(line) + 1
    return found


def _without_overlaps(credits: list[Credit]) -> list[Credit]:
    kept: list[Credit] = []
    for credit in sorted(credits, key=lambda c: (c.start, -(c.end - c.start))):
        if any(k.start < credit.end and credit.start < k.end for k in kept):
            continue
        kept.append(credit)
    return kept


def _mentions(text: str, credits: list[Credit]) -> list[Credit]:
    taken = [(c.start, c.end) for c in credits]
    mentions: list[Credit] = []
    for hit in _catalogue().named.finditer(text):
        if any(s < hit.end() and hit.start() < e for s, e in taken):
            continue
        agency = agency_for_alias(hit.group(0))
        if agency is not None:
            mentions.append(_make(agency, "mention", text, hit.start(), hit.end()))
    return mentions
