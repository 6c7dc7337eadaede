"""The regular expressions of credit recognition, compiled once per agency catalogue.

Agency spellings come from the catalogue (extractors/agencies.py); the phrases around them
("con información de", "contributed to this report", "(AP) —") are fixed here, in Spanish and
English together, because copies mix the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.agencies import GENERIC_KIND, Agency, AgencyCatalogue
from extractors.credit_gate import Spelling, spelling_gate

# Phrases that introduce the source of the text. Spanish and English, case-insensitive.
INTRO = (
    r"according\s+to|as\s+reported\s+by|as\s+first\s+reported\s+by|reported\s+by|reporting\s+by"
    r"|with\s+(?:information|reporting|reports|files)\s+(?:from|by)|information\s+from"
    r"|courtesy\s+of|material\s+from|(?:originally\s+)?published\s+by|h/t|hat\s+tip\s+to"
    r"|con\s+informaci[oó]n\s+de|con\s+reportes\s+de|seg[uú]n(?:\s+(?:inform[oó]|report[oó]"
    r"|public[oó]|informa|reporta|recoge|difundi[oó]))?|de\s+acuerdo\s+con|inform[oó]|informa"
    r"|report[oó]|(?:fuentes?|sources?)\s*:|citad[oa]s?\s+por|recogid[oa]s?\s+por"
    r"|reportad[oa]s?\s+por|difundid[oa]s?\s+por"
    r"|publicad[oa]s?\s+(?:originalmente\s+)?(?:por|en)"
)
# Words allowed between the phrase and the agency: "according to a DW report", "según un
# despacho de la agencia EFE", "según un recuento realizado por Europa Press".
FILLER = (
    r"(?:\s+(?:a|an|the|la|el|los|las|un|una|report|reports|reporting|dispatch|story|article"
    r"|reporte|reportes|informe|despacho|nota|cable|agencia|agencias|agency|news|de|del|by|from"
    r"|por|la\s+agencia|news\s+agency|wire\s+service|c[aá]lculos|datos|recuento|cifras"
    r"|realizad[oa]s?|consultad[oa]s?|elaborad[oa]s?)){0,4}"
)
# What follows an agency that is the subject of the reporting: "Reuters reported", "AFP,
# on the other hand, reported", "The Associated Press and Reuters contributed to this report".
AFTER = (
    r"(?:\s*,[^,.\n]{1,30},)?\s+(?:contributed(?:\s+to\s+this\s+(?:report|story|article))?"
    r"|reported|reports|informó|reportó|recogió|said\s+in\s+a\s+report)(?!\w)"
)
# "AP Business Writer Kelvin Chan contributed to this report": a staff line naming the agency
# before the verb, up to this many characters back within the paragraph.
CONTRIBUTED = re.compile(r"contributed\s+to\s+this\s+(?:report|story|article)", re.I)
CONTRIBUTOR_REACH = 250
PAREN = re.compile(r"\(([^()\n]{1,80})\)")
PHOTO = re.compile(r"^\s*(?:foto|fotos|photo|photos|imagen|image|video|vídeo)\b", re.I)
# What makes an agency line a photo credit: "EFE/EPA/Name", "El Universal, via AP".
PHOTO_TAIL = re.compile(r"(?i)(?<!\w)(?:EPA|archivo|getty|picture\s+alliance|via|vía|foto"
                        r"|photo|imagen|image)(?!\w)")
LIST_SEPARATOR = r"(?:\s*[,/;&]\s*|\s+(?:y|e|and|&)\s+)"
PAREN_SEPARATORS = re.compile(r"^[\s/,;&|]*$|^[\s/,;&|]*(?:(?<!\w)(?:y|and)(?!\w)[\s/,;&|]*)+$")
# A paragraph of fewer words than this ending in "(Reuters)" is a photo caption.
CAPTION_WORDS = 8
BYLINE_WORDS = 8
# The words `generic_byline` needs ("Redacción / Agencias"), gated like the spellings.
GENERIC_BYLINE_WORDS: tuple[Spelling, ...] = (("agencias", False), ("agencies", False))
# A pattern part that matches nothing: the alternation when no spelling is kept.
NOTHING = "(?!)"


@dataclass(frozen=True, slots=True)
class CompiledCatalogue:
    """A catalogue's agencies and every pattern that depends on their spellings."""

    catalogue: AgencyCatalogue
    alias_to_id: dict[str, str]  # lower-cased alias (exact for case-sensitive ones) -> id
    code_to_id: dict[str, str]  # any-case short forms, accepted inside "(efe, afp, rtr)"
    named: re.Pattern[str]  # any non-generic spelling as a whole word
    agency_list: str  # regex source: one or more agencies joined by ",", "/", "y", "and"
    one: re.Pattern[str]  # one agency (any kind) as a whole word, in group "name"
    intro: re.Pattern[str]
    after: re.Pattern[str]
    byline: re.Pattern[str]
    generic_byline: re.Pattern[str]
    copyright: re.Pattern[str]
    dateline: re.Pattern[str]
    # False when the text these patterns were narrowed to names no agency spelling at all, or
    # lacks the generic byline's words: scans that need them would find nothing
    any_spelling: bool = True
    generic_lines: bool = True

    def agency(self, surface: str) -> Agency | None:
        agency_id = self.alias_to_id.get(surface) or self.alias_to_id.get(surface.lower())
        return self.catalogue.get(agency_id) if agency_id else None


def compiled(catalogue: AgencyCatalogue) -> CompiledCatalogue:
    """The patterns for `catalogue`, built once per catalogue value (per process)."""
    return _compiled(catalogue, None)


def compiled_for(catalogue: AgencyCatalogue, text: str) -> CompiledCatalogue:
    """The patterns for `catalogue` narrowed to the spellings that may occur in `text`
    (extractors/credit_gate.py): on `text` and on any part of it they find exactly what
    `compiled(catalogue)` finds, without trying the absent spellings at every word."""
    present = spelling_gate(_spellings(catalogue)).present(text)
    return _compiled(catalogue, present)


@lru_cache(maxsize=8)
def _spellings(catalogue: AgencyCatalogue) -> tuple[Spelling, ...]:
    spellings: list[Spelling] = []
    for agency in catalogue.agencies:
        spellings += [(a, False) for a in (*agency.aliases, *agency.hosts)]
        spellings += [(a, True) for a in agency.case_sensitive]
    return tuple(dict.fromkeys([*spellings, *GENERIC_BYLINE_WORDS]))


@lru_cache(maxsize=128)
def _compiled(catalogue: AgencyCatalogue, keep: frozenset[Spelling] | None) -> CompiledCatalogue:
    """`keep`: the spellings to build the alternations from (None: all of them)."""
    agencies = catalogue.agencies
    named_source = _alternation([a for a in agencies if a.kind != GENERIC_KIND], keep)
    any_agency = _alternation(list(agencies), keep)
    one = rf"(?:(?i:the|la|el)\s+)?(?:{any_agency})(?!\w)"
    agency_list = rf"{one}(?:{LIST_SEPARATOR}{one})*"
    return CompiledCatalogue(
        catalogue=catalogue,
        alias_to_id=_alias_index(agencies),
        code_to_id=_code_index(agencies),
        named=re.compile(rf"(?<!\w)(?:{named_source})(?!\w)"),
        agency_list=agency_list,
        one=re.compile(rf"(?<!\w)(?P<name>{any_agency})(?!\w)"),
        intro=re.compile(
            rf"(?<!\w)(?i:{INTRO}){FILLER}\s+(?P<agencies>{agency_list})"
            rf"(?:\s+(?i:report|reporting|reporte|informe))?"
        ),
        after=re.compile(rf"(?<![\w-])(?P<agencies>{agency_list})(?i:{AFTER})"),
        byline=re.compile(
            rf"^(?i:(?:por|by|from|fuente|source|texto|text)\s*:?\s+)?"
            rf"(?i:redacci[oó]n\s*[/|,-]\s*)?(?P<agencies>{agency_list})"
            rf"(?P<tail>\s*[/|,-]\s*[^\n]{{0,40}}|\s+(?i:in|en|desde)\s+[^\n]{{1,40}})?\.?$"
        ),
        generic_byline=re.compile(
            r"^(?i:(?:[^\n]{1,30}?\s*(?:[/|,]|\s(?:y|and))\s*)?(?P<agencies>agencias|agencies))"
            r"\.?$"
        ),
        copyright=re.compile(
            rf"(?i:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*)?"
            rf"(?P<agencies>{one})"
        ),
        dateline=re.compile(rf"(?<!\w)(?P<agencies>(?:{named_source}))\s*\.\s*[-–—]"),
        any_spelling=any_agency != NOTHING,
        generic_lines=keep is None or any(word in keep for word in GENERIC_BYLINE_WORDS),
    )


def _alternation(agencies: list[Agency], keep: frozenset[Spelling] | None) -> str:
    """The spellings as one alternation, longest first; only those in `keep` when given.
    Dropping a spelling keeps the others' order, so where they match is unchanged."""
    parts: list[tuple[int, str]] = []
    for agency in agencies:
        parts += [(len(a), f"(?i:{re.escape(a)})") for a in (*agency.aliases, *agency.hosts)
                  if keep is None or (a, False) in keep]
        parts += [(len(a), re.escape(a)) for a in agency.case_sensitive
                  if keep is None or (a, True) in keep]
    parts.sort(key=lambda p: -p[0])  # longest first so "Agencia EFE" wins over "EFE"
    return "|".join(p[1] for p in parts) or NOTHING


def _alias_index(agencies: tuple[Agency, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for agency in agencies:
        for alias in (*agency.aliases, *agency.hosts):
            index.setdefault(alias.lower(), agency.agency_id)
        for alias in agency.case_sensitive:
            index.setdefault(alias, agency.agency_id)
    return index


def _code_index(agencies: tuple[Agency, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for agency in agencies:
        if agency.kind == GENERIC_KIND:
            continue
        for code in (*agency.case_sensitive, *agency.codes, *agency.aliases):
            index.setdefault(code.casefold(), agency.agency_id)
    return index
