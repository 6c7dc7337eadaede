"""extractors.author_search.find_author gives what trafilatura's extract_author gives.

trafilatura's own call is the reference: on hand-made pages for each quirk of its rules, on
seeded random pages built from the words its rules look for, on the fixture and labelled
pages, and on every shared corpus and WCXB development page when those folders are present.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from lxml import html as lxml_html
from lxml.etree import _Element
from page_sets import missing, pages
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from extractors.author_search import find_author

# The rules extractors/author_search.py reproduces, as trafilatura 2.3.1 writes them
# (whitespace collapsed). A trafilatura upgrade that changes them fails here first.
TRAFILATURA_RULES = (
    "//*[self::a or self::address or self::div or self::link or self::p or self::span or "
    "self::strong][ @rel='author' or @id='author' or @class='author' or @itemprop='author "
    "name' or rel='me' or @data-testid='AuthorCard' or @data-testid='AuthorURL' or "
    "re:test(@class, 'author-?name|AuthorName|authorName')]|//author",
    "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ "
    "@class='byline' or @class='username' or @class='byl' or @class='BBL' or "
    "contains(@itemprop, 'author') or re:test(@id, 'author|zuozhe|bianji|xiaobian') or "
    "re:test(@class, 'author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|"
    "journalist-name')]",
    "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or "
    "re:test(@id, '[Aa]uthor') or re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')]",
    ".//*[self::a or self::div or self::section or self::span][ @id='comments' or "
    "@class='comments' or @class='title' or @class='date' or re:test(@id, "
    "'^comments|comment-?list|ProductReviews') or re:test(@class, '^[Cc]omments|commentlist|"
    "comments-list|sidebar|is-hidden|quote|embedly-instagram|article-(?:share|support)|print|"
    "category|meta-date|meta-reviewer') or contains(@data-component, 'Figure')]",
    "//time|//figure",
)


def _page(body: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><head><title>t</title></head><body>{body}"
                                         "</body></html>")


def _same_as_trafilatura(tree: _Element) -> str | None:
    ours = find_author(tree)
    assert ours == extract_author(tree)
    return ours


def test_the_reproduced_rules_are_trafilaturas() -> None:
    paths = tuple(" ".join(rule.path.split()) for rule in AUTHOR_XPATHS + AUTHOR_DISCARD_XPATHS)
    assert paths == TRAFILATURA_RULES


@pytest.mark.parametrize(("body", "expected"), [
    # a deleted <time>'s tail joins the text before it with no space in between
    ("<p class='byline'>By<time>Monday</time>Ana Torres</p>", "ByAna Torres"),
    ("<div class='author-box'>Ana <span class='print'>Print</span>Torres<!--c--> Vidal</div>",
     "Ana Torres Vidal"),
    # rel='me' is a child element <rel> whose text, once pruned, is "me"
    ("<span class='x'><rel>m<time>x</time>e</rel>Ana Torres Vidal</span>",
     "Me Ana Torres Vidal"),
    # a byline inside a discarded sidebar is skipped; the |//author union still counts
    ("<div class='sidebar'><span class='author'>Sidebar Person</span></div>"
     "<p><author>Juan Pérez</author></p>", "Juan Pérez"),
    # the first rule set wins over an earlier element of the last one
    ("<div class='writer'>Someone Else</div><span class='author-name'>Ana Torres</span>",
     "Ana Torres"),
    # too short (2 characters) or too long (120 or more) and the search goes on
    ("<span class='author'>Al</span><div id='author-box'>" + "word " * 30 + "</div>"
     "<h4 class='byline'>Ana Torres</h4>", "Ana Torres"),
    ("<p>No byline here.</p><section class='comments'><a class='author'>Commenter</a>"
     "</section>", None),
])
def test_quirks_of_the_rules(body: str, expected: str | None) -> None:
    assert _same_as_trafilatura(_page(body)) == expected


def test_a_subtree_root_is_never_discarded() -> None:
    # trafilatura copies the given element as a new root; a root has no parent to leave
    sidebar = lxml_html.fragment_fromstring(
        "<div class='sidebar'><span class='author'>Ana Torres</span><time>x</time></div>")
    assert _same_as_trafilatura(sidebar) == "Ana Torres"


def test_tree_is_left_as_it_was() -> None:
    tree = _page("<p class='byline'>By<time>Monday</time>Ana Torres<figure>f</figure></p>")
    before = lxml_html.tostring(tree)
    assert find_author(tree) == "ByAna Torres"
    assert lxml_html.tostring(tree) == before


TAGS = ("div", "span", "a", "p", "section", "time", "figure", "author", "rel", "h3", "h4",
        "strong", "address", "link", "b", "li")
CLASSES = ("author", "byline", "Byline", "sidebar", "comments", "Comments x", "title", "date",
           "print-only", "quote", "meta-date", "author-name", "writer", "channel-name", "x", "",
           "username", "is-hidden", "article-share", "category")
IDS = ("author", "comments", "comment-list", "Author1", "zuozhe", "main", "")
WORDS = ("me", "Ana", "Torres", "Vidal", "By", " ", "\n", "Juan Pérez", "x", "ab", "")


def _random_markup(rng: random.Random, depth: int) -> Iterator[str]:
    for _ in range(rng.randint(0, 4 if depth < 4 else 0)):
        tag = rng.choice(TAGS)
        attributes = [f"class='{rng.choice(CLASSES)}'" if rng.random() < 0.5 else "",
                      f"id='{rng.choice(IDS)}'" if rng.random() < 0.2 else "",
                      "itemprop='author'" if rng.random() < 0.1 else "",
                      "rel='author'" if rng.random() < 0.05 else "",
                      "data-component='Figure'" if rng.random() < 0.05 else "",
                      "data-component='Byline'" if rng.random() < 0.05 else ""]
        if rng.random() < 0.05:
            yield "<!--c-->"
        yield f"<{tag} {' '.join(attributes)}>{rng.choice(WORDS)}"
        yield from _random_markup(rng, depth + 1)
        yield f"</{tag}>{rng.choice(WORDS)}"


def test_random_pages_built_from_the_rules_words() -> None:
    found = 0
    for seed in range(400):
        rng = random.Random(seed)
        tree = _page(rng.choice(WORDS) + "".join(_random_markup(rng, 0)))
        found += _same_as_trafilatura(tree) is not None
        body = tree.find("body")
        assert body is not None
        for child in [e for e in body if isinstance(e.tag, str)][:2]:
            _same_as_trafilatura(child)  # each first-level element as a root of its own
    assert found > 100  # the pages do exercise the search, not only its misses


def _mismatches(pages: Iterator[tuple[str, bytes]]) -> tuple[int, list[str]]:
    compared, mismatches = 0, []
    for name, html in pages:
        tree = load_html(html)
        if tree is None:
            continue
        compared += 1
        theirs, ours = extract_author(tree), find_author(tree)
        if ours != theirs:
            mismatches.append(f"{name}: trafilatura {theirs!r}, find_author {ours!r}")
    return compared, mismatches


def test_fixture_pages() -> None:
    compared, mismatches = _mismatches(pages("fixtures"))
    assert compared > 0
    assert mismatches == []


@pytest.mark.parametrize("kind", ["corpus", "wcxb"])
def test_every_shared_page(kind: str) -> None:
    if (folder := missing(kind)) is not None:
        pytest.skip(f"{folder} not present")
    compared, mismatches = _mismatches(pages(kind))
    assert compared > 0
    assert mismatches == []
