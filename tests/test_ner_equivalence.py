"""The fast NER path gives exactly what the straightforward one gave (tests/ner_reference.py).

The packaged models were trained on the reference features; the tagging path was made
cheaper (docs/ner.md, "CPU") on the condition that nothing it returns changes: the same
tokens and sentences, the same feature strings in the same order, and the same mentions,
offsets, types and scores; and the tagging path's lists (extractors/ner/known_features.py)
are the reference lists without the strings the model does not know. Checked on extracted
article text: the fixture pages and the labelled set always, and samples of the shared
corpus, the WCXB dev pages and the CoNLL dev documents when ../shared is there.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pycrfsuite
import pytest
from ner_reference import document_features as reference_features
from ner_reference import reference_mentions
from ner_reference import split_sentences as reference_sentences
from ner_reference import tokenize as reference_tokenize

from extractors.article import extract_article
from extractors.ner import find_mentions
from extractors.ner.features import document_features
from extractors.ner.known_features import _pair_index, known_document_features
from extractors.ner.lexicon import load_lexicon
from extractors.ner.model import LEXICON_PATH, NerModelMissing, model_attributes, model_path
from extractors.ner.tokens import split_sentences, tokenize
from flows.evaluate.entities import load_labelled
from flows.evaluate.ner import conll_documents

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
WCXB = SHARED / "extraction" / "wcxb-dev-articles"
# Every n-th shared page or document: enough variety (languages, tables, headlines in
# capitals, long articles) for a few seconds of test time.
WCXB_EVERY = 40
CORPUS_EVERY = 16
CONLL_DOCUMENTS = 12


def _fixture_texts() -> list[str]:
    texts = [a.text for a in load_labelled()]
    for page in sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html")):
        article = extract_article(page.read_bytes(), f"https://example.com/{page.stem}")
        if article.text:
            texts.append(article.text)
    return texts


def _shared_texts() -> list[str]:
    texts: list[str] = []
    for html in sorted((WCXB / "html").glob("*.html.gz"))[::WCXB_EVERY]:
        truth = json.loads((WCXB / "ground-truth" / html.name.replace(".html.gz", ".json"))
                           .read_text(encoding="utf-8"))
        article = extract_article(gzip.decompress(html.read_bytes()), truth.get("url") or "")
        texts += [article.text] if article.text else []
    for html in sorted((SHARED / "corpus" / "pages").rglob("*.html"))[::CORPUS_EVERY]:
        article = extract_article(html.read_bytes(), f"https://{html.parent.name}/{html.stem}")
        texts += [article.text] if article.text else []
    for language in ("es", "en"):
        conll = SHARED / "ner" / f"{language}.dev.conll"
        if conll.is_file():
            texts += [d.text for d in conll_documents(conll, CONLL_DOCUMENTS)]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    shared = _shared_texts() if SHARED.is_dir() else []
    return _fixture_texts() + shared


def test_shared_pages_are_in_the_sample_when_present(texts: list[str]) -> None:
    if not (WCXB / "html").is_dir():
        pytest.skip("../shared/extraction (WCXB dev pages) absent")
    assert len(texts) > len(load_labelled()) + 40


def test_tokens_and_sentences_equal_the_reference(texts: list[str]) -> None:
    for text in texts:
        fast, reference = tokenize(text), reference_tokenize(text)
        assert [(t.text, t.start, t.end) for t in fast] == [
            (t.text, t.start, t.end) for t in reference
        ]
        assert [[(t.text, t.start) for t in s] for s in split_sentences(text, fast)] == [
            [(t.text, t.start) for t in s] for s in reference_sentences(text, reference)
        ]


def test_sentences_equal_the_reference_on_generated_text() -> None:
    # Line breaks, sentence ends, closers and runs longer than MAX_SENTENCE_TOKENS in every
    # mixture: where the sentence rule is asked only of the tokens that may end a sentence.
    rng = random.Random(11)
    pieces = ["word", "Name", ".", "!", "?", "…", '"', "”", "»", ")", "]", "'", "\n", "\n\n",
              "1,200", "U.S.", "Mr.", "¿Qué", "(", "-", "«Hola»", "x", "Sr."]
    for _ in range(300):
        words = [rng.choice(pieces) + rng.choice((" ", "", " ", "\n"))
                 for _ in range(rng.randint(0, 400))]
        if rng.random() < 0.4:  # a long run without any end, inside or closing the text
            at = rng.choice((rng.randrange(len(words) + 1), len(words)))
            words[at:at] = ["run "] * rng.randint(100, 300)
        text = "".join(words)
        fast, reference = tokenize(text), reference_tokenize(text)
        assert [[(t.text, t.start) for t in s] for s in split_sentences(text, fast)] == [
            [(t.text, t.start) for t in s] for s in reference_sentences(text, reference)
        ], text


def test_features_equal_the_reference_string_for_string(texts: list[str]) -> None:
    lexicon = load_lexicon(LEXICON_PATH)
    for text in texts:
        words = [[t.text for t in s] for s in reference_sentences(text, reference_tokenize(text))]
        assert document_features(words, lexicon) == reference_features(words, lexicon)


@pytest.mark.parametrize("language", ["es", "en"])
def test_tagging_features_are_the_reference_filtered_by_the_model(
    texts: list[str], language: str
) -> None:
    # The tagging path's lists (bytes, pairs looked up in the model's index) must be the
    # reference lists without the strings the model has no weight for, in the same order.
    lexicon = load_lexicon(LEXICON_PATH)
    known = model_attributes(model_path(language))
    for text in texts:
        words = [[t.text for t in s] for s in reference_sentences(text, reference_tokenize(text))]
        expected = [[[f for f in row if f in known] for row in sentence]
                    for sentence in reference_features(words, lexicon)]
        fast = known_document_features(words, lexicon, known)
        assert [[[f.decode() for f in row] for row in sentence] for sentence in fast] == expected


def test_a_pair_with_a_bar_token_is_found_under_its_own_split() -> None:
    # "|" is a token of its own; each split of "a|b|c" is indexed, and each key maps to the
    # attribute its two parts spell.
    index = _pair_index(frozenset({"-1w|w=|||", "-1w|w=x||", "-1w|w=a|b", "w=a"}), "-1w|w=")
    assert index[("|", "|")] == b"-1w|w=|||"
    assert index[("x", "|")] == b"-1w|w=x||"
    assert index[("x|", "")] == b"-1w|w=x||"
    assert index[("a", "b")] == b"-1w|w=a|b"
    assert ("a", "|b") not in index and ("w=a", "") not in index


@pytest.mark.parametrize("language", ["es", "en"])
def test_mentions_equal_the_reference_in_both_models(texts: list[str], language: str) -> None:
    # Both models on every text: an English page through the Spanish model still exercises
    # every feature and tag path.
    for text in texts:
        assert find_mentions(text, language) == reference_mentions(text, language)


@pytest.mark.parametrize("language", ["es", "en"])
def test_model_attributes_are_the_taggers_own(language: str) -> None:
    # Features outside this set are left out when tagging; it must be exactly the model's.
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path(language)))
    assert model_attributes(model_path(language)) == set(tagger.info().attributes)


def test_an_unreadable_model_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.crfsuite"
    broken.write_bytes(b"lCRF" + b"\0" * 40)
    with pytest.raises(NerModelMissing, match="unreadable"):
        model_attributes(broken)
