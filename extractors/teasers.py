"""Inline teasers and calls to action ("Lea también:", "Read more:") removed paragraph by paragraph.

Extraction keeps the article body, but outlets put links to other stories and subscription
prompts inside it. They are not the article's words: left in, they leak other stories'
headlines into entity, topic and near-duplicate matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Prefixes matched on accent-free, case-folded text. "needs_separator": the prefix is a
# teaser only when followed by ':' (or similar) or the end of the line, because the same
# words can open a real sentence ("Más información sobre el caso se dará mañana").
TEASER_PREFIXES: tuple[tuple[str, bool], ...] = (
    # Spanish
    ("lea tambien", False), ("lee tambien", False), ("leer tambien", False),
    ("lea ademas", False), ("lee ademas", False), ("ver tambien", False),
    ("mira tambien", False), ("te recomendamos", False), ("le recomendamos", False),
    ("te puede interesar", False), ("le puede interesar", False),
    ("tambien te puede interesar", False), ("puede interesarte", False),
    ("quiza te interese", False), ("quizas te interese", False), ("te sugerimos", False),
    ("no te pierdas", False), ("siguenos en", False), ("siguenos", True),
    ("suscribete", False), ("suscribase", False), ("unete a nuestro", False),
    ("recibe las noticias", False), ("haz clic aqui", False), ("da clic aqui", False),
    ("descarga nuestra app", False), ("mas informacion", True), ("relacionado", True),
    ("relacionada", True), ("noticias relacionadas", True), ("notas relacionadas", True),
    ("contenido relacionado", True), ("para mas noticias", False),
    # English
    ("read more", False), ("read also", False), ("also read", False), ("see also", True),
    ("related", True), ("related stories", True), ("related articles", True),
    ("related coverage", True), ("recommended", True), ("more", True), ("must read", True),
    ("sign up for", False), ("subscribe to our", False), ("follow us on", False),
    ("click here", False), ("don't miss", True), ("dont miss", True),
    ("get the latest", False), ("download our app", False), ("more from", True),
    ("more like this", True), ("you may also like", True), ("subscribe to this", False),
    # Ad slot labels left as a line of their own
    ("advertisement", True), ("publicidad", True), ("anuncio", True),
)
SEPARATORS = ":|»>–—-"
LEADING_NOISE = " \t-•*·»›►▶>|\"'“”«[(¡"
MAX_TEASER_WORDS = 60  # a longer paragraph is article prose, whatever its first words
MAX_LINK_LINES = 6  # links listed under a bare "LEE TAMBIÉN" label
MAX_LINK_WORDS = 16
SENTENCE_END = re.compile(r"[.!?…»\"”)]\s*$")


@dataclass(frozen=True, slots=True)
class TeaserResult:
    text: str
    removed: tuple[str, ...]


def fold(text: str) -> str:
    """Case-folded, accent-free, for matching only."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def remove_teasers(text: str) -> TeaserResult:
    """Drop teaser paragraphs (one per line) and the link lists under bare teaser labels."""
    kept: list[str] = []
    removed: list[str] = []
    links_left = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if links_left and stripped and _looks_like_link(stripped):
            removed.append(stripped)
            links_left -= 1
            continue
        links_left = 0
        kind = teaser_kind(stripped)
        if kind is None:
            kept.append(line)
            continue
        removed.append(stripped)
        if kind == "label":
            links_left = MAX_LINK_LINES
    return TeaserResult(text=_tidy("\n".join(kept)), removed=tuple(removed))


# Folding is per character; a paragraph that does not open with a teaser prefix is told
# apart by its first characters (folding a head gives the head of the folded text). The
# head is short: folding costs per character, and a head that leading noise leaves shorter
# than the longest prefix is simply decided on the whole paragraph.
_PREFIXES = tuple(prefix for prefix, _ in TEASER_PREFIXES)
_LONGEST_PREFIX = max(len(prefix) for prefix in _PREFIXES)
HEAD_CHARS = _LONGEST_PREFIX + 14


def teaser_kind(paragraph: str) -> str | None:
    """'label' for a bare heading like 'LEE TAMBIÉN', 'inline' for a teaser line, else None."""
    if not paragraph:
        return None
    head = _fold_head(paragraph[:HEAD_CHARS]).lstrip(LEADING_NOISE)
    if len(head) >= _LONGEST_PREFIX and not head.startswith(_PREFIXES):
        return None  # most paragraphs: decided without folding (or splitting) all their text
    if len(paragraph.split()) > MAX_TEASER_WORDS:
        return None
    folded = fold(paragraph).lstrip(LEADING_NOISE)
    for prefix, needs_separator in TEASER_PREFIXES:
        if not folded.startswith(prefix):
            continue
        rest = folded[len(prefix):].strip()
        if not rest.strip(SEPARATORS + " ."):
            return "label"
        if not needs_separator or rest[0] in SEPARATORS:
            return "inline"
    return None


def _fold_head(head: str) -> str:
    """fold(head): for ASCII, where case folding is lower-casing and nothing decomposes,
    without the per-character pass (tests/test_teasers.py checks the two agree)."""
    return head.lower() if head.isascii() else fold(head)


def _looks_like_link(line: str) -> bool:
    """A headline in a related-links list: a bullet, or short and without a final full stop."""
    if line.startswith(("- ", "• ", "* ")):
        return True
    return len(line.split()) <= MAX_LINK_WORDS and not SENTENCE_END.search(line)


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()
