"""Text normalisation and content hashes: same text in another form, same hash."""

from __future__ import annotations

from extractors.hashing import content_hash, normalise_text


def test_normalise_folds_case_punctuation_whitespace_and_unicode_forms():
    assert normalise_text("  El  PRESIDENTE,\u00a0dijo: «¡Basta!»\n") == "el presidente dijo basta"
    assert normalise_text("ﬁnal １２３") == "final 123"  # ligature and full-width digits
    assert normalise_text("Cafe\u0301") == normalise_text("Café")  # decomposed accent


def test_accents_are_kept():
    assert normalise_text("año") != normalise_text("ano")


def test_content_hash_is_stable_and_form_insensitive():
    a = content_hash("Detienen a operador financiero en Culiacán.")
    b = content_hash("detienen  a operador financiero en culiacán")
    assert a == b and len(a) == 40
    assert a != content_hash("Detienen a operador financiero en Mazatlán.")
