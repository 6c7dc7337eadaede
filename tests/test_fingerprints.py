"""Fingerprints and the near-duplicate sketch: stable, picklable, containment-based."""

import hashlib
import pickle

import numpy as np

from extractors.boilerplate import is_furniture, recurring_paragraphs, without_boilerplate
from extractors.fingerprints import extract_cues, fingerprint_article, normalise
from extractors.story_sketch import candidate_keys, containment, shingle_array

SOURCE = (
    "Mexican marines dismantled a clandestine laboratory in the mountains of Cosalá, Sinaloa, "
    "and seized more than two tonnes of chemicals used to make fentanyl, the navy said.\n"
    "The lab, hidden under a canopy of trees about 40 km from the nearest paved road, had "
    "reactors, drying ovens and a pill press capable of producing thousands of tablets.\n"
    "No one was arrested. The navy said the site belonged to a faction of the Sinaloa Cartel "
    "loyal to the sons of jailed drug lord Joaquín Guzmán.\n"
    "© Example News 2026"
)


def shingles_of(text: str) -> np.ndarray:
    fp = fingerprint_article(text, None, "en")
    return shingle_array([s for p in fp.paragraph_shingles for s in p])


def test_fingerprint_is_picklable_and_deterministic() -> None:
    fp = fingerprint_article(SOURCE, "Navy raids lab", "en")
    assert pickle.loads(pickle.dumps(fp)) == fp
    assert fingerprint_article(SOURCE, "Navy raids lab", "en") == fp


def test_furniture_is_not_shingled_but_still_identified() -> None:
    fp = fingerprint_article(SOURCE, None, "en")
    assert len(fp.paragraph_hashes) == 4
    assert fp.paragraph_shingles[-1] == ()
    assert "Example News" not in fp.lead


def test_exact_hash_ignores_case_accents_and_furniture() -> None:
    a = fingerprint_article(SOURCE, None, "en")
    b = fingerprint_article(SOURCE.upper().replace("Á", "A") + "\nSíguenos en Google News", None,
                            "en")
    assert a.text_hash == b.text_hash


def test_teaser_is_contained_in_its_source() -> None:
    teaser = SOURCE.split("\n")[0]
    share, shared = containment(shingles_of(teaser), shingles_of(SOURCE))
    assert share == 1.0 and shared >= 10


def test_unrelated_text_is_not_contained() -> None:
    other = ("Colombia's navy seized 14 tons of cocaine hidden in containers of bananas at the "
             "Pacific port of Buenaventura, the largest operation of the year.")
    share, _ = containment(shingles_of(other), shingles_of(SOURCE))
    assert share < 0.1


def test_teaser_and_source_share_candidate_keys() -> None:
    source = fingerprint_article(SOURCE, None, "en")
    teaser = fingerprint_article(SOURCE.split("\n")[0], None, "en")

    def keys(fp):
        ordered = [s for p in fp.paragraph_shingles for s in p]
        return set(candidate_keys(ordered, shingle_array(ordered)))

    assert keys(source) & keys(teaser)


def test_cues_survive_translation_and_skip_sentence_starts() -> None:
    en = extract_cues("Security Secretary Omar García Harfuch said 23,500 people were killed.")
    es = extract_cues("El secretario Omar García Harfuch dijo que 23.500 personas murieron.")
    assert {"omar", "garci", "harfu", "#23500"} <= en & es
    assert "secur" not in en  # first word of the sentence


def test_recurring_paragraphs_become_boilerplate() -> None:
    assert recurring_paragraphs({1: 3, 2: 1, 3: 5}) == frozenset({1, 3})
    assert without_boilerplate([1, 2], [(10, 11), (20,)], frozenset({1})) == [20]


def test_furniture_patterns_only_hit_short_paragraphs() -> None:
    assert is_furniture("© CubaHeadlines 2026")
    assert is_furniture("Síguenos en Google News para más noticias")
    long_story = "The newsletter " + "word " * 60
    assert not is_furniture(long_story)


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert normalise("¡México, ÁGIL!  sí.") == "mexico agil si"


def test_text_hash_is_the_digest_of_the_normalised_body_paragraphs():
    # Stored hashes must stay comparable across versions: exact copies are found by them.
    text = "Menu\nSubscribe\n" + SOURCE
    fp = fingerprint_article(text, "t", "en")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    body = [p for p, shingles in zip(paragraphs, fp.paragraph_shingles, strict=True) if shingles]
    assert body and len(body) < len(paragraphs)  # the short lines are not body
    expected = hashlib.blake2b(normalise("\n".join(body)).encode(), digest_size=16).hexdigest()
    assert fp.text_hash == expected
