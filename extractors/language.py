"""Language of a text, detected with py3langid over the languages wirewatch meets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Restricting the candidates avoids classic confusions (es/gl, pt/gl, es/an, en/la) on news
# text; the set covers the monitored outlets plus the languages their pages quote or mirror.
CANDIDATE_LANGUAGES = ("es", "en", "pt", "fr", "de", "it", "nl", "ca", "ru", "uk", "ar", "zh")
MIN_WORDS_FOR_DETECTION = 15  # below this, identifiers guess; the page's own claim is better
MIN_CONFIDENCE = 0.80
DETECTION_CHARS = 2_000  # about 300 words: language is settled long before the end of an article


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str | None
    confidence: float
    method: str  # detected | declared | none


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # Loaded once per process (about 0.1 s); cached rather than a module global.
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


def primary_subtag(tag: str | None) -> str | None:
    """'es-MX', 'es_MX', 'ES' → 'es'; None for empty or malformed tags."""
    if not tag:
        return None
    match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_].*)?\s*$", tag)
    return match.group(1).lower() if match else None


def detect_language(text: str | None, declared: str | None = None) -> LanguageGuess:
    """Detected language when the text is long enough and the guess confident, else declared."""
    declared_code = primary_subtag(declared)
    # Only the opening is read: splitting a whole long article would cost more than the guess.
    words = (text or "")[: DETECTION_CHARS * 2].split()
    guess = None
    if len(words) >= MIN_WORDS_FOR_DETECTION:
        code, confidence = _identifier().classify(" ".join(words)[:DETECTION_CHARS])
        guess = LanguageGuess(code, float(confidence), "detected")
        if confidence >= MIN_CONFIDENCE:
            return guess
    if declared_code:
        return LanguageGuess(declared_code, 0.0, "declared")
    # An unsure guess on a long text still beats knowing nothing.
    return guess or LanguageGuess(None, 0.0, "none")
