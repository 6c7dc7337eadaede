"""Dictionary linker: finds gazetteer aliases in text and decides which ones are mentions.

Rules, in order (documented in docs/entities-topics.md):
1. Longest match wins at each position; matching ignores accents, case and spacing around
   punctuation ("EE. UU." = "EE.UU."), so possessives ("Trump's") end before the "'s".
2. Case: an alias written in capitals (DEA, ICE) needs capitals in the text; an alias word
   written with an initial capital needs one in the text; lower-case alias words
   ("cártel de Sinaloa") accept either.
3. Language: aliases listed under `es`/`en` only link in articles of that language.
4. Short forms ("Rubio", "de la Fuente") link only after a full mention of the same entity
   (title included) or right after a title word ("Secretary of State Rubio").
5. Ambiguous bare names (Guerrero, Juárez, Hidalgo, Morelos, Marina) are rejected when
   they read as a person's surname: next to another capitalised name, after a personal
   title, or before a speech verb. Once a bare name was used as a surname, later bare
   uses only link after a place preposition ("en Guerrero", "in Juárez").
6. Mentions inside page furniture (link lists, "Related:" blocks) are not reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.entity_gazetteer import BLOCKED, AliasEntry, Gazetteer
from extractors.entity_text import Token, furniture_spans, inside_any, tokenize
from extractors.records import EntityMention

# Capitalised words that may stand next to a place name without making it a surname.
_NEUTRAL_CAPITALISED = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "lo",
        "un",
        "una",
        "the",
        "a",
        "an",
        "in",
        "en",
        "de",
        "del",
        "of",
        "and",
        "y",
        "e",
        "o",
        "or",
        "al",
        "from",
        "desde",
        "to",
        "hacia",
        "para",
        "por",
        "con",
        "with",
        "sin",
        "on",
        "at",
        "for",
        "state",
        "estado",
        "city",
        "ciudad",
        "municipio",
        "mayor",
        "governor",
        "gobernador",
        "gobernadora",
        "alcalde",
        "alcaldesa",
        "police",
        "policia",
        "fiscalia",
        "congress",
        "congreso",
        "sur",
        "norte",
        "north",
        "south",
        "southern",
        "northern",
        "western",
        "eastern",
        "central",
        "oriente",
        "poniente",
        "while",
        "but",
        "pero",
        "tras",
        "after",
        "during",
        "durante",
        "since",
        "como",
        "when",
        "cuando",
        "this",
        "that",
        "este",
        "esta",
        "ese",
        "esa",
        "both",
        "ambos",
        "san",
        "santa",
        "new",
        "nuevo",
        "nueva",
        "valley",
        "valle",
        "sierra",
        "cartel",
        "cartels",
        "carteles",
    ]
)
_PERSON_TITLES = frozenset(
    [
        "sr",
        "sra",
        "srta",
        "senor",
        "senora",
        "don",
        "dona",
        "mr",
        "mrs",
        "ms",
        "dr",
        "dra",
        "doctor",
        "doctora",
        "lic",
        "licenciado",
        "licenciada",
        "general",
        "gen",
        "coronel",
        "colonel",
        "capitan",
        "captain",
        "teniente",
        "diputado",
        "diputada",
        "senador",
        "senadora",
        "senator",
        "juez",
        "jueza",
        "judge",
        "agente",
        "agent",
        "comandante",
        "commander",
        "profesor",
        "profesora",
        "alcalde",
        "alcaldesa",
        "mayor",
        "periodista",
        "reporter",
        "activista",
        "activist",
    ]
)
_SPEECH_VERBS = frozenset(
    [
        "said",
        "says",
        "told",
        "added",
        "explained",
        "dijo",
        "dice",
        "afirmo",
        "declaro",
        "senalo",
        "explico",
        "agrego",
        "anadio",
        "aseguro",
        "sostuvo",
        "indico",
    ]
)
_PLACE_PREPOSITIONS = frozenset(
    [
        "en",
        "in",
        "de",
        "del",
        "of",
        "a",
        "al",
        "to",
        "from",
        "desde",
        "hacia",
        "para",
        "across",
        "throughout",
        "sur",
        "norte",
    ]
)
# Titles that license a short form ("la presidenta Sheinbaum", "Secretary of State Rubio").
_SHORT_FORM_TITLES = frozenset(
    [
        "president",
        "presidente",
        "presidenta",
        "secretary",
        "secretario",
        "secretaria",
        "canciller",
        "chancellor",
        "senator",
        "senador",
        "senadora",
        "governor",
        "gobernador",
        "gobernadora",
        "ambassador",
        "embajador",
        "embajadora",
        "fiscal",
        "attorney",
        "minister",
        "ministro",
        "ministra",
        "director",
        "directora",
        "administrator",
        "administrador",
        "administradora",
        "czar",
        "zar",
        "sr",
        "sra",
        "mr",
        "mrs",
        "ms",
        "don",
        "dona",
        "general",
        "admiral",
        "almirante",
        "vicepresidente",
        "vicepresidenta",
    ]
)
_TITLE_LOOKBACK = 4
# "estado de Guerrero", "in Juárez": the bare name that follows is the place.
_PLACE_CUES = frozenset(["estado", "state", "ciudad", "city", "municipio"])


def _place_cue_before(tokens: Sequence[Token], first: int) -> bool:
    if first >= 1 and tokens[first - 1].key in {"en", "in"}:
        return True
    return (
        first >= 2
        and tokens[first - 1].key in {"de", "of"}
        and (tokens[first - 2].key in _PLACE_CUES)
    )


@dataclass
class _DocumentState:
    """What the linker has learnt about one document while reading it."""

    seen: set[str] = field(default_factory=set)  # entity ids with a full mention so far
    surnames: set[str] = field(default_factory=set)  # bare names already used as surnames


def _is_word(token: Token) -> bool:
    return token.key[:1].isalpha()


def _case_ok(form: str, surface_tokens: list[str]) -> bool:
    form_tokens = list(_raw_tokens(form))
    if len(form_tokens) != len(surface_tokens):
        # The trailing-dot variant ("U.S" for "U.S."): compare the common prefix.
        form_tokens = form_tokens[: len(surface_tokens)]
    for wanted, actual in zip(form_tokens, surface_tokens, strict=False):
        letters = [c for c in wanted if c.isalpha()]
        if not letters:
            continue
        if len(letters) > 1 and all(c.isupper() for c in letters):
            if not all(c.isupper() for c in actual if c.isalpha()):
                return False
        elif letters[0].isupper() and not actual[:1].isupper():
            return False
    return True


@lru_cache(maxsize=4096)
def _raw_tokens(text: str) -> tuple[str, ...]:
    return tuple(text[t.start : t.end] for t in tokenize(text))


def _capitalised_name(token: Token | None, text: str) -> bool:
    if token is None or not _is_word(token):
        return False
    surface = text[token.start : token.end]
    return surface[:1].isupper() and token.key not in _NEUTRAL_CAPITALISED


def _reads_as_surname(
    tokens: Sequence[Token], first: int, text: str, state: _DocumentState
) -> bool:
    before = tokens[first - 1] if first > 0 else None
    after = tokens[first + 1] if first + 1 < len(tokens) else None
    if before is not None and before.key in _PERSON_TITLES:
        return True
    after_place_word = before is not None and before.key in _PLACE_PREPOSITIONS
    if after is not None and after.key in _SPEECH_VERBS and not after_place_word:
        return True
    if _capitalised_name(before, text) or _capitalised_name(after, text):
        return True
    if tokens[first].key in state.surnames:
        return before is None or before.key not in _PLACE_PREPOSITIONS
    return False


def _after_title(tokens: Sequence[Token], first: int) -> bool:
    for back in range(first - 1, max(-1, first - 1 - _TITLE_LOOKBACK), -1):
        token = tokens[back]
        if not _is_word(token):
            return False
        if token.key in _SHORT_FORM_TITLES:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Choice:
    entry: AliasEntry | None  # None: a blocklisted phrase, skipped without a mention
    first: int
    last: int


def _acceptable(
    entry: AliasEntry,
    tokens: Sequence[Token],
    span: tuple[int, int],
    context: tuple[str, str | None, Gazetteer, _DocumentState],
) -> bool:
    text, language, gazetteer, state = context
    first, last = span
    if entry.language is not None and entry.language != language:
        return False
    surface_tokens = [text[t.start : t.end] for t in tokens[first : last + 1]]
    if not _case_ok(entry.form, surface_tokens):
        return False
    entity = gazetteer.entities[entry.entity_id]
    if entry.kind == "short" and entry.entity_id not in state.seen:
        # Historical figures are not introduced by a current title ("Senator Guerrero").
        return "historical" not in entity.categories and _after_title(tokens, first)
    if entity.ambiguous and first == last and _reads_as_surname(tokens, first, text, state):
        state.surnames.add(tokens[first].key)
        return False
    return True


def _choose(
    tokens: Sequence[Token],
    first: int,
    context: tuple[str, str | None, Gazetteer, _DocumentState],
) -> _Choice | None:
    gazetteer, state = context[2], context[3]
    for hit in gazetteer.trie.candidates(tokens, first):
        if BLOCKED in hit.payloads:
            return _Choice(None, first, hit.last)
        entries = [e for e in hit.payloads if isinstance(e, AliasEntry)]
        # After a place cue, places first; otherwise prefer an entity already mentioned
        # (two entities can share an alias: Juárez the city, Juárez the president).
        place_first = _place_cue_before(tokens, first)
        entries.sort(
            key=lambda e: (
                place_first and gazetteer.entities[e.entity_id].type not in {"GPE", "LOC"},
                e.entity_id not in state.seen,
                e.kind != "name",
            )
        )
        for entry in entries:
            if _acceptable(entry, tokens, (first, hit.last), context):
                return _Choice(entry, first, hit.last)
    return None


def _scan(
    text: str, language: str | None, gazetteer: Gazetteer, state: _DocumentState
) -> list[EntityMention]:
    tokens = tokenize(text)
    context = (text, language, gazetteer, state)
    mentions: list[EntityMention] = []
    resume = 0  # the first token not covered by a mention (or a blocked phrase) already taken
    for index in gazetteer.trie.start_positions(tokens):
        if index < resume or not _is_word(tokens[index]) or (
            index > 0 and tokens[index - 1].key == "'" and tokens[index].key == "s"
        ):
            continue
        choice = _choose(tokens, index, context)
        if choice is None:
            continue
        resume = choice.last + 1
        if choice.entry is None:
            continue
        entity = gazetteer.entities[choice.entry.entity_id]
        start, end = tokens[choice.first].start, tokens[choice.last].end
        state.seen.add(entity.entity_id)
        mentions.append(
            EntityMention(entity.entity_id, entity.name, entity.type, text[start:end], start, end)
        )
    return mentions


def link_entities(
    text: str, title: str | None, language: str | None, gazetteer: Gazetteer
) -> tuple[list[EntityMention], list[EntityMention]]:
    """(text mentions, title mentions). Text offsets index `text`; title ones index `title`.

    The title is read first so a full name there licenses short forms in the text.
    Mentions inside page furniture are dropped from the text mentions.
    """
    state = _DocumentState()
    title_mentions = _scan(title, language, gazetteer, state) if title else []
    furniture = furniture_spans(text)
    text_mentions = [
        m
        for m in _scan(text, language, gazetteer, state)
        if not inside_any(m.start, m.end, furniture)
    ]
    return text_mentions, title_mentions
