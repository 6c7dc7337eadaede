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
   uses only link after a place preposition ("en Guerrero", "in Juárez"). One-word
   generated places (entity_kb) count as ambiguous and must match their accents.
6. Mentions inside page furniture (link lists, "Related:" blocks) are not reported.
7. A known name inside a longer capitalised name is not linked, nor a shorter alias there
   ("The New York Times", "Puebla de la Calzada", "Civic Democratic Party").
8. Short acronyms of bodies and people ("ICE") and one-word person names ("Vance") are
   decided once the article is read: linked only with support (full name, the entity's
   country, a cue word or a related entity nearby); parties need their country named.
9. Shouted lines (headlines in capitals) hold no acronyms.
Rules 7-9 live in entity_context.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.entity_context import (
    CUE_WINDOW,
    context_need,
    cue_near,
    cue_positions,
    inside_longer_name,
    is_acronym,
    shouted_lines,
)
from extractors.entity_gazetteer import BLOCKED, AliasEntry, Entity, Gazetteer
from extractors.entity_text import Token, Tokens, furniture_spans, inside_any, tokenize
from extractors.entity_words import (
    NEUTRAL_CAPITALISED,
    PERSON_TITLES,
    PLACE_CUES,
    PLACE_PREPOSITIONS,
    SHORT_FORM_TITLES,
    SPEECH_VERBS,
    SUBDIVISION_CUES,
    TITLE_LOOKBACK,
)
from extractors.records import EntityMention


def _place_cue_before(tokens: Sequence[Token], first: int) -> bool:
    if first >= 1 and tokens[first - 1].key in {"en", "in"}:
        return True
    return (
        first >= 2
        and tokens[first - 1].key in {"de", "of"}
        and (tokens[first - 2].key in PLACE_CUES)
    )


@dataclass
class _DocumentState:
    """What the linker has learnt about one document while reading it."""

    seen: set[str] = field(default_factory=set)  # entity ids with a full mention so far
    surnames: set[str] = field(default_factory=set)  # bare names already used as surnames
    full: set[str] = field(default_factory=set)  # ids linked without needing support
    countries: set[str] = field(default_factory=set)  # countries of the entities linked
    named_countries: set[str] = field(default_factory=set)  # countries linked themselves
    pending: list[_Pending] = field(default_factory=list)  # matches decided at the end
    cues: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # text -> cue positions
    placed: list[tuple[int, int, str]] = field(default_factory=list)  # (document, first, id)


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
    return surface[:1].isupper() and token.key not in NEUTRAL_CAPITALISED


def _reads_as_surname(
    tokens: Sequence[Token], first: int, text: str, state: _DocumentState
) -> bool:
    before = tokens[first - 1] if first > 0 else None
    after = tokens[first + 1] if first + 1 < len(tokens) else None
    # A word on another line is no neighbour: a headline's last word before a dateline
    # ("… TURISMO ANDALUZ\nSevilla ( EFE )") does not make the city a surname.
    if before is not None and "\n" in text[before.end : tokens[first].start]:
        before = None
    if after is not None and "\n" in text[tokens[first].end : after.start]:
        after = None
    if before is not None and before.key in PERSON_TITLES:
        return True
    if (first >= 2 and before is not None and before.key == "."
            and len(text[tokens[first - 2].start : before.start]) == 1):
        return True  # an initial before it: "I. Austin"
    after_place_word = before is not None and before.key in PLACE_PREPOSITIONS
    if after is not None and after.key in SPEECH_VERBS and not after_place_word:
        return True
    if _capitalised_name(before, text) or _capitalised_name(after, text):
        return True
    if tokens[first].key in state.surnames:
        return before is None or before.key not in PLACE_PREPOSITIONS
    return False


def _after_title(tokens: Sequence[Token], first: int) -> bool:
    for back in range(first - 1, max(-1, first - 1 - TITLE_LOOKBACK), -1):
        token = tokens[back]
        if not _is_word(token):
            return False
        if token.key in SHORT_FORM_TITLES:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Choice:
    entry: AliasEntry | None  # None: a blocklisted phrase, skipped without a mention
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class _Pending:
    """A match kept aside until the whole article is read (rules 8 and 9)."""

    need: str  # acronym | surname | country
    choice: _Choice
    mention: EntityMention
    document: int  # 0 title, 1 text


@dataclass(frozen=True, slots=True)
class _Reading:
    """One document being scanned: its text, tokens and lazily computed helpers."""

    text: str
    tokens: Tokens
    language: str | None
    gazetteer: Gazetteer
    state: _DocumentState
    shouted: tuple[tuple[int, int], ...]


def _generated_word_ok(entry: AliasEntry, surface: str, shouted: bool) -> bool:
    """A one-word generated place name must match with its accents ("Pará" is not the
    preposition "Para", "Solo" not "Sólo"); in a shouted line accents are unreliable, so
    a one-word name with accents is not linked there at all."""
    if shouted:
        return entry.form.isascii()
    return surface.casefold() == entry.form.casefold()


def _acceptable(entry: AliasEntry, reading: _Reading, span: tuple[int, int]) -> bool:
    text, tokens, state = reading.text, reading.tokens, reading.state
    first, last = span
    if entry.language is not None and entry.language != reading.language:
        return False
    surface_tokens = [text[t.start : t.end] for t in tokens[first : last + 1]]
    if not _case_ok(entry.form, surface_tokens):
        return False
    entity = reading.gazetteer.entities[entry.entity_id]
    shouted = inside_any(tokens[first].start, tokens[last].end, reading.shouted)
    if shouted and is_acronym(entry.form):
        return False  # "NHL ICE HOCKEY": capitals of a headline, not an acronym
    generated_word = entity.rank > 0 and first == last
    if generated_word and not _generated_word_ok(entry, surface_tokens[0], shouted):
        return False
    if entry.kind == "short" and entry.entity_id not in state.seen:
        # Historical figures are not introduced by a current title ("Senator Guerrero").
        return "historical" not in entity.categories and _after_title(tokens, first)
    # A one-word generated place may be a surname as much as the hand-marked ones
    # ("Jordan said", "Toledo"); in a shouted line every word is capitalised, so the
    # neighbours say nothing.
    ambiguous = entity.ambiguous or (generated_word and not shouted)
    if ambiguous and first == last and _reads_as_surname(tokens, first, text, state):
        state.surnames.add(tokens[first].key)
        return False
    return True


def _in_longer_name(entry: AliasEntry, reading: _Reading, span: tuple[int, int]) -> bool:
    tokens = reading.tokens
    if inside_any(tokens[span[0]].start, tokens[span[1]].end, reading.shouted):
        return False  # capitals carry no information in a shouted line
    entity = reading.gazetteer.entities[entry.entity_id]
    is_country = entity.geo == "country" or entity.rank == 1
    return inside_longer_name(
        tokens, span, reading.text, (entity.type, is_country, entity.rank > 0),
        reading.gazetteer.trie,
    )


def _is_subdivision(entity: Entity) -> bool:
    return entity.entity_id.startswith("iso3166-2:") or (entity.geo or "").startswith("admin1")


def _subdivision_cue_before(tokens: Sequence[Token], first: int) -> bool:
    """"the province of Esmeraldas", "el departamento de Antioquia"."""
    return (
        first >= 2
        and tokens[first - 1].key in {"de", "of"}
        and tokens[first - 2].key in SUBDIVISION_CUES
    )


def _preference(
    entry: AliasEntry, reading: _Reading, cues: tuple[bool, bool]
) -> tuple[bool, bool, bool, int, bool, int, bool, int]:  # sorted ascending: best first
    entity = reading.gazetteer.entities[entry.entity_id]
    place_first, subdivision_first = cues
    return (
        place_first and entity.type not in {"GPE", "LOC"},
        subdivision_first and not _is_subdivision(entity),
        entry.entity_id not in reading.state.seen,
        # Hand-written entries and countries before generated subdivisions and cities;
        # among those, the ones in a country the article already named ("Valencia").
        min(entity.rank, 2),
        entity.country not in reading.state.countries,
        entity.rank,
        entry.kind != "name",
        -entity.population,
    )


def _choose(reading: _Reading, first: int) -> _Choice | None:
    for hit in reading.gazetteer.trie.candidates(reading.tokens, first):
        if BLOCKED in hit.payloads:
            return _Choice(None, first, hit.last)
        entries = [e for e in hit.payloads if isinstance(e, AliasEntry)]
        # After a place cue, places first; otherwise prefer an entity already mentioned
        # (two entities can share an alias: Juárez the city, Juárez the president).
        cues = (
            _place_cue_before(reading.tokens, first),
            _subdivision_cue_before(reading.tokens, first),
        )
        entries.sort(key=lambda e: _preference(e, reading, cues))
        for entry in entries:
            if _in_longer_name(entry, reading, (first, hit.last)):
                # Part of a longer name ("The New York Times"): nothing is linked in it,
                # neither this alias nor a shorter one ("U.S" in "U.S. Open").
                return _Choice(None, first, hit.last)
            if _acceptable(entry, reading, (first, hit.last)):
                return _Choice(entry, first, hit.last)
    return None


def _need(choice: _Choice, reading: _Reading) -> str | None:
    entry = choice.entry
    assert entry is not None  # _scan asks only about matches with an entry
    entity = reading.gazetteer.entities[entry.entity_id]
    need = context_need(entry.form, entry.kind, entity.type, entity.categories)
    if need == "surname" and _after_title(reading.tokens, choice.first):
        return None  # "Vice President Vance"
    return need


def _record(mention: EntityMention, reading: _Reading, full: bool) -> None:
    entity = reading.gazetteer.entities[mention.entity_id]
    reading.state.seen.add(entity.entity_id)
    if full:
        reading.state.full.add(entity.entity_id)
    if entity.country:
        reading.state.countries.add(entity.country)
        if entity.geo == "country" or entity.rank == 1:
            reading.state.named_countries.add(entity.country)


def _scan(reading: _Reading, document: int) -> list[EntityMention]:
    tokens, text, state = reading.tokens, reading.text, reading.state
    mentions: list[EntityMention] = []
    resume = 0  # the first token not covered by a mention (or a blocked phrase) already taken
    for index in reading.gazetteer.trie.start_positions(tokens):
        if index < resume or not _is_word(tokens[index]) or (
            index > 0 and tokens[index - 1].key == "'" and tokens[index].key == "s"
        ):
            continue
        choice = _choose(reading, index)
        if choice is None:
            continue
        resume = choice.last + 1
        if choice.entry is None:
            continue
        entity = reading.gazetteer.entities[choice.entry.entity_id]
        start, end = tokens[choice.first].start, tokens[choice.last].end
        mention = EntityMention(
            entity.entity_id, entity.name, entity.type, text[start:end], start, end
        )
        need = _need(choice, reading)
        state.placed.append((document, choice.first, entity.entity_id))
        if need is not None:
            state.pending.append(_Pending(need, choice, mention, document))
            continue
        _record(mention, reading, full=choice.entry.kind != "short")
        mentions.append(mention)
    return mentions


def _supported(pending: _Pending, reading: _Reading) -> bool:
    """Rules 8 and 9: the article supports an ambiguous match when it names the entity in
    full, names its country (a country entity, not a city of it), has a cue word of the
    entity's categories within CUE_WINDOW tokens, or names another entity of one of those
    categories within that window ("Sheinbaum met Trump")."""
    entities = reading.gazetteer.entities
    entity = entities[pending.mention.entity_id]
    state = reading.state
    if pending.need == "country":
        return entity.country is None or entity.country in state.countries
    if entity.entity_id in state.full or entity.country in state.named_countries:
        return True
    if "international" in entity.categories and len(state.countries) >= 2:
        return True  # "la ONU" in news that names two countries or more
    categories = set(entity.categories)
    for document, first, other in state.placed:
        if (
            other != entity.entity_id
            and document == pending.document
            and abs(first - pending.choice.first) <= CUE_WINDOW
            and categories & set(entities[other].categories)
        ):
            return True
    if reading.text not in state.cues:
        state.cues[reading.text] = cue_positions(reading.tokens, reading.gazetteer.cues)
    return cue_near(state.cues[reading.text], entity.categories, pending.choice.first)


def _reading(
    text: str, language: str | None, gazetteer: Gazetteer, state: _DocumentState
) -> _Reading:
    return _Reading(
        text, tokenize(text), language, gazetteer, state, tuple(shouted_lines(text))
    )


def link_entities(
    text: str, title: str | None, language: str | None, gazetteer: Gazetteer
) -> tuple[list[EntityMention], list[EntityMention]]:
    """(text mentions, title mentions). Text offsets index `text`; title ones index `title`.

    The title is read first so a full name there licenses short forms in the text. Matches
    that need support (rules 8, 9) are decided once title and text are both read.
    Mentions inside page furniture are dropped from the text mentions.
    """
    state = _DocumentState()
    readings = [_reading(title or "", language, gazetteer, state),
                _reading(text, language, gazetteer, state)]
    found = [_scan(readings[0], 0) if title else [], _scan(readings[1], 1)]
    for pending in state.pending:
        reading = readings[pending.document]
        if _supported(pending, reading):
            _record(pending.mention, reading, full=False)
            found[pending.document].append(pending.mention)
    title_mentions, text_mentions = (sorted(m, key=lambda m: m.start) for m in found)
    furniture = furniture_spans(text)
    text_mentions = [m for m in text_mentions if not inside_any(m.start, m.end, furniture)]
    return text_mentions, title_mentions
