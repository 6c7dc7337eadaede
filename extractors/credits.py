"""Credit lines: which agency or outlet a copy credits, and where the evidence is.

A *credit* says the text comes from an agency: a dateline "(AP) —", "(EFE).-", "Reuters.-",
a byline paragraph "Por AFP" or "AFP, EFE y Europa Press", an attribution "con información de
Reuters y AFP", "according to a DW report", "as reported by international news agencies", a
staff line "AP writers ... contributed to this report", a copyright line "© 2024 Reuters". A
*mention* only names the agency: in a sentence ("an AFP photographer was injured", "a source
told Reuters"), in a photo credit ("(AP Photo/Name)", "EFE/EPA/Name", a short caption ending
in "(Reuters)"), or as an abbreviation ("Agence France-Presse (AFP)"). Both are returned, with
character offsets into `text`. Unnamed groups ("agencias", "international media") are only
recognised as credits, since "agencias" in ordinary prose is not a reference to anyone.

Which agencies exist comes from an `AgencyCatalogue` (extractors/agencies.py): the built-in
list, plus the configured wire outlets when the caller passes them in.
"""

from __future__ import annotations

import re

from extractors.agencies import GENERIC_KIND, Agency, AgencyCatalogue, builtin_catalogue
from extractors.credit_patterns import (
    BYLINE_WORDS,
    CAPTION_WORDS,
    CONTRIBUTED,
    CONTRIBUTOR_REACH,
    PAREN,
    PAREN_SEPARATORS,
    PHOTO,
    PHOTO_TAIL,
    CompiledCatalogue,
    compiled,
    compiled_for,
)
from extractors.records import Credit

__all__ = [
    "GENERIC_KIND",
    "Agency",
    "agency_for_alias",
    "detect_credits",
    "load_agencies",
    "primary_credit",
]
GENERIC_ID = "agencies"
_WORD = re.compile(r"\w+")
_DATELINE_DASH = re.compile(r"\s*[.:]?\s*[-–—]")
_CONNECTORS = frozenset({"de", "del", "la", "las", "los", "el", "y", "of", "the", "and", "für"})


def load_agencies() -> dict[str, Agency]:
    """The built-in agency list (extractors/data/agencies.toml), keyed by agency id."""
    return {a.agency_id: a for a in builtin_catalogue().agencies}


def agency_for_alias(surface: str, catalogue: AgencyCatalogue | None = None) -> Agency | None:
    """The agency a matched spelling belongs to (exact spelling first, then case-insensitive)."""
    return compiled(catalogue or builtin_catalogue()).agency(surface)


def detect_credits(
    text: str, title: str | None = None, language: str | None = None,
    catalogue: AgencyCatalogue | None = None,
) -> list[Credit]:
    """Credits and mentions of agencies in `text`, in order of position.

    `title` is checked for a parenthesised credit when the text has none. `language` is accepted
    for symmetry with other extractors; the patterns cover Spanish and English together because
    copies mix them ("(EFE) — according to..."). `catalogue` says which agencies exist (the
    built-in list by default; `catalogue_with_wire_outlets` adds the configured wire outlets).
    """
    del language  # both languages' patterns always apply
    catalogue = catalogue or builtin_catalogue()
    # Only the spellings the text may contain (most texts name no agency): the same matches
    # for a fraction of the scanning. Scans that need a spelling are skipped when none is.
    cat = compiled_for(catalogue, text)
    # One scan for every spelling; the patterns that start at an agency run only there.
    hits = list(cat.one.finditer(text)) if cat.any_spelling else []
    # Kept in this order: overlapping credits of equal reach keep the first found.
    found = _paren_credits(cat, text, captions=True)
    if cat.any_spelling:
        found += _phrase_credits(cat, text, hits)
    if cat.any_spelling or cat.generic_lines:
        found += _line_credits(cat, text)
    if cat.any_spelling:
        found += _contributor_credits(cat, text)
    credits = _without_overlaps(found)
    credits += _mentions(cat, text, credits, hits)
    credits.sort(key=lambda c: (c.start, c.end))
    if title and not any(c.kind == "credit" for c in credits):
        # A headline such as "Sheinbaum responde a Trump (EFE)": offsets 0..0, since the
        # evidence is not inside `text`.
        credits += [
            Credit(c.agency_id, c.agency_name, c.kind, f"title: {c.evidence}", 0, 0)
            for c in _paren_credits(compiled(catalogue), title, captions=False)
            if c.kind == "credit"
        ]
    return credits


def primary_credit(credits: list[Credit]) -> Credit | None:
    """The agency a copy is credited to: the first named credit, else a generic one."""
    named = [c for c in credits if c.kind == "credit" and c.agency_id != GENERIC_ID]
    if named:
        return named[0]
    generic = [c for c in credits if c.kind == "credit"]
    return generic[0] if generic else None


def _paren_credits(cat: CompiledCatalogue, text: str, *, captions: bool) -> list[Credit]:
    """"(AP) —", "(EFE).-", "(Reuters/AFP)", DW's "(dpa, afp, rtr)" are credits; "(Foto: EFE)",
    "Agence France-Presse (AFP)" and a short caption ending in "(Reuters)" only mention."""
    found: list[Credit] = []
    for paren in PAREN.finditer(text):
        inner, offset = paren.group(1), paren.start(1)
        hits = [(h.start(), h.end(), cat.agency(h.group(0))) for h in cat.named.finditer(inner)]
        photo = bool(PHOTO.match(inner))
        if not (hits and PAREN_SEPARATORS.match(cat.named.sub("", inner))):
            codes = _code_list(cat, inner)
            if codes:
                hits = codes
            elif not (hits and photo):
                continue  # "(the AP reported it first)" is prose: left to the mention pass
        # A caption credits one photographer's agency; "cwo/fab (dpa, afp)" is a signature.
        caption = captions and len(hits) == 1 and _is_caption(text, paren.start(), paren.end())
        mention = photo or caption or _is_abbreviation(cat, text, paren.start(), hits)
        kind = "mention" if mention else "credit"
        found += [Credit(agency.agency_id, agency.name, kind, paren.group(0),
                         offset + start, offset + end)
                  for start, end, agency in hits if agency is not None]
    return found


def _code_list(cat: CompiledCatalogue, inner: str) -> list[tuple[int, int, Agency | None]]:
    """Every comma/slash-separated part of a parenthesis is an agency in any case: "(efe,
    dpa, afp)". Otherwise nothing: lower-case codes are not read anywhere else."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^,/;&]+", inner)]
    hits: list[tuple[int, int, Agency | None]] = []
    for start, end in parts:
        word = inner[start:end].strip()
        lead = len(inner[start:end]) - len(inner[start:end].lstrip())
        agency_id = cat.code_to_id.get(word.casefold())
        if not word or agency_id is None:
            return []
        hits.append((start + lead, start + lead + len(word), cat.catalogue.get(agency_id)))
    return hits


def _is_abbreviation(cat: CompiledCatalogue, text: str, open_at: int,
                     hits: list[tuple[int, int, Agency | None]]) -> bool:
    """"Agence France-Presse (AFP) photographer", "el Partido Liberal (PL)": the parenthesis
    abbreviates the name just before it (the agency's own, or words with those initials)."""
    before = text[max(0, open_at - 60):open_at].rstrip()
    inner, _, after = text[open_at + 1:].partition(")")
    # "ASUNCIÓN, Paraguay (AP) —" has the initials too, but a dash after it makes a dateline
    if (len(hits) == 1 and not _DATELINE_DASH.match(after)
            and _initials_before(before, inner.strip())):
        return True
    ids = {agency.agency_id for _, _, agency in hits if agency is not None}
    last = None
    for match in cat.named.finditer(before):
        last = match
    if last is None or last.end() != len(before):
        return False
    agency = cat.agency(last.group(0))
    return agency is not None and agency.agency_id in ids


def _initials_before(before: str, acronym: str) -> bool:
    """Whether the capitalised words ending `before` have `acronym` as initials ("Partido
    Liberal" for PL); small connecting words ("de", "la") may sit between them."""
    if not (acronym.isupper() and acronym.isalpha() and 1 < len(acronym) <= 6):
        return False
    initials: list[str] = []
    for word in reversed(_WORD.findall(before)):
        if len(initials) == len(acronym):
            break
        if word[0].isupper():
            initials.append(word[0])
        elif word not in _CONNECTORS:
            return False
    return "".join(reversed(initials)) == acronym


def _is_caption(text: str, open_at: int, close_at: int) -> bool:
    """A short paragraph that ends with the parenthesis: "Ximo Puig. (EFE)", "NOEL CELIS (AFP)"."""
    start = text.rfind("\n", 0, open_at) + 1
    end = text.find("\n", close_at)
    rest = text[close_at:end if end >= 0 else len(text)]
    words = len(_WORD.findall(text[start:open_at]))
    return not rest.strip(" .") and 0 < words < CAPTION_WORDS


def _phrase_credits(cat: CompiledCatalogue, text: str, hits: list[re.Match[str]]
                    ) -> list[Credit]:
    found: list[Credit] = []
    for pattern in (cat.intro, cat.copyright):
        for match in pattern.finditer(text):
            found += _listed(cat, text, match, match.group(0).strip())
    for hit in hits:  # "Reuters reported", "Reuters.-": anchored where an agency is named
        for pattern in (cat.after, cat.dateline):
            anchored = pattern.match(text, hit.start())
            if anchored is not None:
                found += _listed(cat, text, anchored, anchored.group(0).strip())
    return found


def _line_credits(cat: CompiledCatalogue, text: str) -> list[Credit]:
    """A paragraph that is only a byline: "EFE", "Por AFP", "Redacción / EFE", "AFP, EFE y
    Europa Press", "Associated Press in Valencia", "elDiario.es / Agencias"."""
    found: list[Credit] = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        lead = position + len(line) - len(line.lstrip())
        if stripped and len(stripped.split()) <= BYLINE_WORDS:
            found += _byline(cat, text, stripped, lead)
        position += len(line) + 1
    return found


def _byline(cat: CompiledCatalogue, text: str, line: str, lead: int) -> list[Credit]:
    match = cat.byline.match(line)
    if match is not None:
        tail = match.group("tail") or ""
        kind = "mention" if PHOTO_TAIL.search(tail) else "credit"
        return _listed(cat, text, match, line, offset=lead, kind=kind)
    generic = cat.generic_byline.match(line)
    agency = cat.catalogue.get(GENERIC_ID)
    if generic is None or agency is None:
        return []
    start = lead + generic.start("agencies")
    return [Credit(agency.agency_id, agency.name, "credit", line, start,
                   lead + generic.end("agencies"))]


def _contributor_credits(cat: CompiledCatalogue, text: str) -> list[Credit]:
    """"AP Business Writer Kelvin Chan contributed to this report": the agency named in the
    same paragraph before the phrase."""
    found: list[Credit] = []
    for phrase in CONTRIBUTED.finditer(text):
        start = max(text.rfind("\n", 0, phrase.start()) + 1,
                    phrase.start() - CONTRIBUTOR_REACH)
        for hit in cat.named.finditer(text, start, phrase.start()):
            agency = cat.agency(hit.group(0))
            if agency is not None:
                found.append(Credit(agency.agency_id, agency.name, "credit",
                                    text[start:phrase.end()].strip(), hit.start(), hit.end()))
    return found


def _listed(cat: CompiledCatalogue, text: str, match: re.Match[str], evidence: str, *,
            offset: int = 0, kind: str = "credit") -> list[Credit]:
    """One credit per agency in the match's "agencies" group ("Reuters y AFP" gives two)."""
    group_start = offset + match.start("agencies")
    listed = text[group_start:offset + match.end("agencies")]
    credits: list[Credit] = []
    for hit in cat.one.finditer(listed):
        agency = cat.agency(hit.group("name"))
        if agency is not None:
            credits.append(Credit(agency.agency_id, agency.name, kind, evidence,
                                  group_start + hit.start("name"),
                                  group_start + hit.end("name")))
    return credits


def _without_overlaps(credits: list[Credit]) -> list[Credit]:
    kept: list[Credit] = []
    for credit in sorted(credits, key=lambda c: (c.start, -(c.end - c.start), c.kind)):
        if any(k.start < credit.end and credit.start < k.end for k in kept):
            continue
        kept.append(credit)
    return kept


def _mentions(cat: CompiledCatalogue, text: str, credits: list[Credit],
              hits: list[re.Match[str]]) -> list[Credit]:
    taken = [(c.start, c.end) for c in credits]
    mentions: list[Credit] = []
    for hit in hits:
        if any(s < hit.end() and hit.start() < e for s, e in taken):
            continue
        agency = cat.agency(hit.group(0))
        if agency is not None and agency.kind != GENERIC_KIND:
            mentions.append(Credit(agency.agency_id, agency.name, "mention",
                                   text[hit.start():hit.end()].strip(), hit.start(), hit.end()))
    return mentions
