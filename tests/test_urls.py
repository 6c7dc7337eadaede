"""canonicalize_url and url_host: one spelling per page, clear reasons for bad URLs."""

from __future__ import annotations

import pytest

from extractors.urls import InvalidURL, canonicalize_url, url_host


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTP://WWW.Example.COM/Path/Article.html", "http://www.example.com/Path/Article.html"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/%7euser/caf%c3%a9", "https://example.com/~user/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),  # escaped slash kept
        ("https://example.com/news/index.html", "https://example.com/news/index.html"),
        ("https://example.com/news/", "https://example.com/news/"),
        ("http://example.com/a", "http://example.com/a"),  # scheme kept as given
        ("https://münchen.de/straße", "https://xn--mnchen-3ya.de/stra%C3%9Fe"),
    ],
)
def test_canonical_forms(given, expected):
    assert canonicalize_url(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://e.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://e.com/a"),
        ("https://e.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&id=7", "https://e.com/a?id=7"),
        ("https://e.com/a?ocid=msn&cmpid=x&ito=y&smid=tw&igshid=z", "https://e.com/a"),
        ("https://e.com/a?__twitter_impression=true&page=2", "https://e.com/a?page=2"),
        ("https://www.dw.com/de/a-64976342?maca=de-rss-de-all-1119-xml-mrss",
         "https://www.dw.com/de/a-64976342"),
        ("https://www.nytimes.com/2019/12/31/a.html?emc=rss&partner=rss",
         "https://www.nytimes.com/2019/12/31/a.html"),
        ("https://heise.de/a-4205274.html?wt_mc=rss.ho.beitrag.rdf", "https://heise.de/a-4205274.html"),
        ("https://e.com/a?partner=acme", "https://e.com/a?partner=acme"),  # not a feed marker
        ("https://e.com/a?ref=rss&ref2=x", "https://e.com/a?ref2=x"),
        ("https://e.com/search?q=a+b&b=2&a=1", "https://e.com/search?a=1&b=2&q=a%20b"),
        ("https://e.com/a?tag=x&tag=a", "https://e.com/a?tag=x&tag=a"),  # repeated keys keep order
        ("https://e.com/a?x=%26y", "https://e.com/a?x=%26y"),
        ("https://e.com/a?amp", "https://e.com/a?amp"),
        ("https://e.com/a?UTM_SOURCE=x", "https://e.com/a"),
    ],
)
def test_tracking_parameters_removed_and_others_sorted(given, expected):
    assert canonicalize_url(given) == expected


def test_relative_url_resolved_against_base():
    assert (canonicalize_url("../b/c.html?utm_source=x", base="https://E.com/a/feed.xml")
            == "https://e.com/b/c.html")


def test_same_page_in_different_spellings_is_one_url():
    spellings = [
        "https://Example.com:443/nota/123?utm_source=fb&b=2&a=1#top",
        "https://example.com/nota/123?a=1&b=2",
        "https://example.com/nota/%31%32%33?b=2&a=1&fbclid=xyz",
    ]
    assert len({canonicalize_url(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("", "empty URL"),
        ("   ", "empty URL"),
        ("/relative/path", "relative URL without a base"),
        ("ftp://example.com/file", "unsupported scheme 'ftp'"),
        ("javascript:alert(1)", "unsupported scheme 'javascript'"),
        ("mailto:news@example.com", "unsupported scheme 'mailto'"),
        ("http://", "URL has no host"),
        ("http://example.com:99999/", "invalid port"),
        ("http://exa mple.com/", "invalid host"),
        ("http://[::1/", "unparsable URL"),
    ],
)
def test_invalid_urls_raise_with_reason(given, reason):
    with pytest.raises(InvalidURL, match=reason.replace("(", r"\(")):
        canonicalize_url(given)


def test_invalid_url_is_a_value_error():
    assert issubclass(InvalidURL, ValueError)


def test_url_host():
    assert url_host("https://WWW.München.de:8080/x") == "www.xn--mnchen-3ya.de"
    assert url_host("http://[::1]:8080/x") == "::1"  # bare, ready for ipaddress checks
    with pytest.raises(InvalidURL):
        url_host("not a url")
