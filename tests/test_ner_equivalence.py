"""The fast NER path gives exactly what the straightforward one gave (tests/ner_reference.py).

The packaged models were trained on the reference features; the tagging path was made
cheaper (docs/ner.md, "CPU") on the condition that nothing it returns changes: the same
tokens and sentences, the same feature strings in the same order, and the same mentions,
offsets, types and scores; the tagging path's state scores (extractors/ner/known_features.py)
are the model's weights for the reference lists added one feature at a time, bit for bit;
and its best paths and marginals (extractors/ner/crf.py) are crfsuite's. Checked on extracted
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
from extractors.ner.crf import NerModelMissing, batch, best_paths, marginals, read_model
from extractors.ner.features import document_features
from extractors.ner.known_features import _pair_index, document_scores
from extractors.ner.lexicon import load_lexicon
from extractors.ner.model import LEXICON_PATH, model_path
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


def test_tokens_equal_the_reference_on_generated_text() -> None:
    # Texts with and without "n't" take different patterns (tokens.py); words that end in
    # "n", hyphens, apostrophes of both kinds, capitals and initialisms in every mixture.
    rng = random.Random(5)
    pieces = ["don't", "won’t", "isn't", "DON'T", "can", "n't", "n’t", "Ben's", "O'Neill",
              "well-known", "U.S.", "a.m.", "1,200", "22/05", "'s", "’S", "rain-n't", "Mr.",
              "an", "n", "t", "'", "’", "-", "niño", "Ann't", "x"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) + rng.choice((" ", "", " ", "\n", "-", "'"))
                       for _ in range(rng.randint(0, 60)))
        assert [(t.text, t.start, t.end) for t in tokenize(text)] == [
            (t.text, t.start, t.end) for t in reference_tokenize(text)
        ], text


def test_features_equal_the_reference_string_for_string(texts: list[str]) -> None:
    lexicon = load_lexicon(LEXICON_PATH)
    for text in texts:
        words = [[t.text for t in s] for s in reference_sentences(text, reference_tokenize(text))]
        assert document_features(words, lexicon) == reference_features(words, lexicon)


def _reference_rows(text: str) -> tuple[list[list[str]], list[list[list[str]]]]:
    words = [[t.text for t in s] for s in reference_sentences(text, reference_tokenize(text))]
    return words, reference_features(words, load_lexicon(LEXICON_PATH))


@pytest.mark.parametrize("language", ["es", "en"])
def test_state_scores_are_the_reference_features_summed_in_order(
    texts: list[str], language: str
) -> None:
    # crfsuite starts each token at 0.0 and adds the weights of its known attributes in
    # list order; the tagging path must give the same doubles, not merely close ones.
    model = read_model(model_path(language))
    for text in texts:
        words, rows = _reference_rows(text)
        if not words:
            continue
        scores, starts = document_scores(words, load_lexicon(LEXICON_PATH), model_path(language))
        for sentence, start in zip(rows, starts, strict=True):
            for offset, row in enumerate(sentence):
                total = [0.0] * len(model.labels)
                for feature in row:
                    if feature in model.attributes:
                        weights = model.weights[model.attributes[feature]].tolist()
                        total = [a + b for a, b in zip(total, weights, strict=True)]
                assert scores[start + offset].tolist() == total, (text[:60], start, offset)


@pytest.mark.parametrize("language", ["es", "en"])
def test_best_paths_and_marginals_are_crfsuites(texts: list[str], language: str) -> None:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path(language)))
    model = read_model(model_path(language))
    for text in texts[::3]:
        words, rows = _reference_rows(text)
        if not words:
            continue
        scores, starts = document_scores(words, load_lexicon(LEXICON_PATH), model_path(language))
        sentences = batch(scores, starts, [len(w) for w in words])
        paths = best_paths(model, sentences)
        probabilities = marginals(model, sentences)
        for index, row in enumerate(sentences.order.tolist()):
            expected = tagger.tag(pycrfsuite.ItemSequence(rows[row]))
            assert [model.labels[label] for label in paths[row]] == expected
            for position in range(len(expected)):
                for label, name in enumerate(model.labels):
                    assert probabilities[position, label, index] == pytest.approx(
                        tagger.marginal(name, position), abs=1e-9)


def test_sentences_of_one_token_and_of_every_length_are_tagged_alike() -> None:
    # One batch holds sentences of many lengths, longest first: each must get the path it
    # gets alone.
    path = model_path("en")
    model = read_model(path)
    lexicon = load_lexicon(LEXICON_PATH)
    words = [["Madrid"], ["The", "mayor", "of", "Boston", "met", "Ana", "Torres", "."], ["ok", "."],
             ["Reuters"], ["El", "Paso", "police", "said", "on", "Monday", "."]]
    scores, starts = document_scores(words, lexicon, path)
    together = best_paths(model, batch(scores, starts, [len(w) for w in words]))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    for sentence, rows, found in zip(words, reference_features(words, lexicon), together,
                                     strict=True):
        assert [model.labels[label] for label in found] == tagger.tag(
            pycrfsuite.ItemSequence(rows)), sentence


def test_a_pair_with_a_bar_token_is_found_under_its_own_split() -> None:
    # "|" is a token of its own; each split of "a|b|c" is indexed, and each key maps to the
    # attribute its two parts spell.
    attributes = {"-1w|w=|||": 1, "-1w|w=x||": 2, "-1w|w=a|b": 3, "w=a": 4}
    index = _pair_index(attributes, "-1w|w=")
    assert index[("|", "|")] == 1
    assert index[("x", "|")] == 2
    assert index[("x|", "")] == 2
    assert index[("a", "b")] == 3
    assert ("a", "|b") not in index and ("w=a", "") not in index


@pytest.mark.parametrize("language", ["es", "en"])
def test_mentions_equal_the_reference_in_both_models(texts: list[str], language: str) -> None:
    # Both models on every text: an English page through the Spanish model still exercises
    # every feature and tag path.
    for text in texts:
        assert find_mentions(text, language) == reference_mentions(text, language)


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_model_read_is_the_taggers_own(language: str) -> None:
    # Labels, attributes and every weight as crfsuite's own dump gives them (to its six
    # decimals); an attribute left out would silently add nothing.
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path(language)))
    info = tagger.info()
    model = read_model(model_path(language))
    assert model.labels == tuple(tagger.labels())
    assert set(model.attributes) == set(info.attributes)
    assert model.weights.shape == (len(info.attributes) + 1, len(model.labels))
    assert not model.weights[0].any()
    label = {name: at for at, name in enumerate(model.labels)}
    kept = {(attribute, name): round(float(model.weights[row, label[name]]), 6)
            for attribute, row in model.attributes.items() for name in model.labels
            if model.weights[row, label[name]] != 0.0}
    assert kept == {key: round(weight, 6) for key, weight in info.state_features.items()}
    for (source, target), weight in info.transitions.items():
        assert model.transitions[label[source], label[target]] == pytest.approx(weight,
                                                                                 abs=1e-6)


def test_an_unreadable_model_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.crfsuite"
    broken.write_bytes(b"lCRF" + b"\0" * 40)
    with pytest.raises(NerModelMissing, match="unreadable"):
        read_model(broken)
    cut = tmp_path / "cut.crfsuite"
    cut.write_bytes(model_path("en").read_bytes()[:5000])
    with pytest.raises(NerModelMissing, match="unreadable"):
        read_model(cut)
    with pytest.raises(NerModelMissing, match="missing; reinstall"):
        read_model(tmp_path / "absent.crfsuite")
