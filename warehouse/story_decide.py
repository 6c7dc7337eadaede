"""Deciding, article by article, which story a new article belongs to.

Order of evidence, strongest first: the same normalised text (exact), a verified
near-duplicate (containment of shingles after boilerplate removal), a translation (other
language, close in time, shared names/numbers, and lines aligned in order by a multilingual
sentence encoder with the figures in the same order), a credit (the article credits an agency
and paraphrases that agency's story: `credit_only`), and, weakest, the same event told
independently in the other language (`same_event`: encoder similarity without the line-by-line
alignment of a translation; it joins the story but names no source). A page's cross-site
rel=canonical (`canonical_link`) outranks them all: the publisher says where the text is from.

An article joins the story of its best source. When it also links by copy-level evidence to
a second story and is the plausible common source of both (a configured wire's own article,
the outlet the copies credit, or the page copies declare as their rel=canonical), the two are
one event and are merged (the older id survives); an outlet's round-up of two events in one
place is none of these, so those stories stay apart. The weak methods (translation,
same_event, credit_only) may only link to strong members of a story, so one weak link cannot
chain unrelated stories together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from warehouse import story_evidence as ev
from warehouse.story_evidence import Link
from warehouse.story_model import (
    CycleCandidates,
    CycleState,
    Decision,
    Member,
    Merge,
    NewArticle,
    remember_posting,
)

__all__ = ["CycleCandidates", "Decision", "Member", "Merge", "NewArticle", "decide_all"]

# Links that may merge two stories: copy-level evidence only. An article copied from both
# stories is their common source: the wire's own text that two partial copies were cut from,
# or the text two copies declare (rel=canonical). Event-level links (same_event, credit_only)
# never merge: a round-up of two events in one place would chain them.
MERGING_METHODS = frozenset({"exact", "near_duplicate", "translation", "canonical_link"})


def decide_all(
    articles: list[NewArticle],
    found: CycleCandidates,
    new_story_id: Callable[[str], str],
) -> tuple[list[Decision], list[Merge]]:
    """Decisions for a cycle's articles, taken in publication order, and the story merges
    they showed. Story ids in the decisions are those after every merge of the cycle."""
    state = CycleState()
    decisions = []
    for pos, article in enumerate(articles):
        links = _links(pos, article, found, state)
        decision = _choose(article, links, found, state, new_story_id)
        if decision.story_id == new_story_id(article.article_id):
            state.new_stories.append(decision.story_id)
        _merge_linked(article, decision, links, found, state)
        decisions.append(decision)
        _remember(article, decision, state)
    rooted = {m.absorbed: m for m in state.merges}
    final = [
        _with_story(reroot(d, rooted[d.story_id]) if d.story_id in rooted
                    and d.method == "original" else d, state.resolve(d.story_id))
        for d in decisions
    ]
    merges = [Merge(state.resolve(m.survivor), m.absorbed, m.link) for m in state.merges]
    return final, merges


COPY_METHODS = frozenset({"exact", "near_duplicate", "translation", "canonical_link",
                          "credit_only"})


def reroot(first: Decision, merge: Merge) -> Decision:
    """The row of the absorbed story's first article once its story is merged: a copy of the
    article that showed the merge when that link was a copy, else the same event."""
    link = merge.link
    evidence = f"its story {merge.absorbed} merged into {merge.survivor}: {link.evidence}"
    if link.method in COPY_METHODS and link.method != "canonical_link":
        return Decision(first.article_id, first.story_id, link.article_id, link.method,
                        link.similarity, first.agency, evidence)
    return Decision(first.article_id, first.story_id, None, "same_event", link.similarity,
                    first.agency, evidence)


def _with_story(decision: Decision, story_id: str) -> Decision:
    if decision.story_id == story_id:
        return decision
    return Decision(decision.article_id, story_id, decision.source_article_id, decision.method,
                    decision.similarity, decision.agency, decision.evidence, decision.source_url)


def _links(pos: int, article: NewArticle, found: CycleCandidates, state: CycleState
           ) -> list[Link]:
    """Links that could join the article to a story on its own, strongest first.

    Exact and near-duplicate links are always looked for (they are cheap and can show a
    merge). The encoder-based ones only when they can matter: when no copy was found, or,
    for translations, when the article is a wire's own (a common source whose translation
    links may merge stories); each costs sentence-encoder passes.
    """
    links = ev.exact(pos, article, found, state) + ev.near_duplicates(pos, article, found, state)
    if not links or article.outlet_is_wire:
        links += ev.translations(pos, article, found, state)
    if not links:
        links += ev.credit(pos, article, found, state)
    return sorted(links, key=lambda pair: _RANK[pair[0].method])


_RANK = {"exact": 0, "near_duplicate": 1, "translation": 2, "credit_only": 3, "same_event": 4}


def _choose(article: NewArticle, links: list[Link],
            found: CycleCandidates, state: CycleState,
            new_story_id: Callable[[str], str]) -> Decision:
    """The article's own row: declared provenance first, then its best link, else original."""
    best = links[0][0] if links else None
    declared = _declared(article, best, found, state, new_story_id)
    if declared is not None:
        return declared
    copies = _declared_by(article, found, state)
    if copies:
        story = state.resolve(copies[0].story_id)
        return Decision(article.article_id, story, None, "original", None, ev.agency_of(article),
                        f"declared as rel=canonical by {len(copies)} earlier copies")
    if best is not None:
        return _with_story(best, state.resolve(best.story_id))
    return _original(article, new_story_id)


def _declared(article: NewArticle, best: Decision | None, found: CycleCandidates,
              state: CycleState, new_story_id: Callable[[str], str]) -> Decision | None:
    """A cross-site rel=canonical: the copy's provenance, whether or not its source is here."""
    url = article.declared_source
    if url is None:
        return None
    agency = article.declared_agency or ev.agency_of(article)
    source_id = state.by_url.get(url) or found.by_url.get(url)
    source = ev.member(source_id, found, state) if source_id else None
    if source is not None:
        story, evidence = state.resolve(source.story_id), f"rel=canonical to {url}"
    elif best is not None:
        story = state.resolve(best.story_id)
        evidence = f"rel=canonical to {url} (not fetched yet); {best.method}: {best.evidence}"
    else:
        story = new_story_id(article.article_id)
        evidence = f"rel=canonical to {url} (not fetched yet)"
    return Decision(article.article_id, story, source.article_id if source else None,
                    "canonical_link", best.similarity if best else None, agency, evidence, url)


def _declared_by(article: NewArticle, found: CycleCandidates, state: CycleState
                 ) -> list[Member]:
    """Earlier copies whose rel=canonical names this article's URL."""
    url = article.canonical_url
    if url is None:
        return []
    ids = list(found.waiting.get(url, ())) + list(state.waiting.get(url, ()))
    members = [ev.member(i, found, state) for i in dict.fromkeys(ids)]
    return [m for m in members if m is not None]


def _merge_linked(article: NewArticle, decision: Decision,
                  links: list[Link], found: CycleCandidates,
                  state: CycleState) -> None:
    """Merge every other story this article is shown to be the common source of."""
    own = state.resolve(decision.story_id)
    anchor = next((m for d, m in links if state.resolve(d.story_id) == own), None)
    candidates = [(d, m, False) for d, m in links if d.method in MERGING_METHODS]
    # Copies declaring this article as their source are the publisher's word.
    candidates += [(_declared_link(article, m), m, True)
                   for m in _declared_by(article, found, state)]
    for link, member, declared in candidates:
        other = state.resolve(member.story_id)
        if other == own:
            continue
        if not declared and not _common_source(article, anchor, member):
            continue
        own = _merge(own, other, link, found, state)


def _declared_link(article: NewArticle, copy: Member) -> Decision:
    return Decision(article.article_id, copy.story_id, copy.article_id, "canonical_link",
                    None, None, f"{copy.article_id} declares rel=canonical to this article",
                    copy.canonical_url)


def _common_source(article: NewArticle, anchor: Member | None, other: Member) -> bool:
    """Must-not-merge rule: two stories are merged through an article only if it is their
    plausible common source, the wire's own copy or the outlet both sides credit. A round-up
    of two events in one place (same place, different event) is neither, and stays a copy of
    one story only."""
    if article.outlet_is_wire:
        return True
    credited = {other.credited_agency, anchor.credited_agency if anchor else None}
    return article.outlet_id in credited


def _merge(a: str, b: str, link: Decision, found: CycleCandidates, state: CycleState) -> str:
    """Merge stories a and b; the older survives. Returns the survivor."""
    def age(story: str) -> tuple[bool, datetime, int, str]:
        seen = found.story_first_seen.get(story)
        created = state.new_stories.index(story) if story in state.new_stories else -1
        return (seen is None, seen or datetime.min, created, story)

    survivor, absorbed = sorted((a, b), key=age)
    state.merged_into[absorbed] = survivor
    state.merges.append(Merge(survivor, absorbed, link))
    return survivor


def _original(article: NewArticle, new_story_id: Callable[[str], str]) -> Decision:
    agency = article.primary.agency_id if article.primary else None
    return Decision(article.article_id, new_story_id(article.article_id), None, "original",
                    None, agency, "no earlier copy found")


def _remember(article: NewArticle, decision: Decision, state: CycleState) -> None:
    state.members[article.article_id] = Member(
        article.article_id, decision.story_id, decision.method, article.outlet_id,
        article.language, article.seen_at, ev.agency_of(article), article.shingles,
        article.lead, article.fingerprint.cues, article.canonical_url,
    )
    if article.canonical_url:
        state.by_url.setdefault(article.canonical_url, article.article_id)
    if decision.method == "canonical_link" and decision.source_article_id is None:
        state.waiting[decision.source_url or ""].append(article.article_id)
    if article.fingerprint.word_count:
        state.by_hash.setdefault(article.fingerprint.text_hash, article.article_id)
    for key in article.keys:
        remember_posting(state.by_key, key, article.article_id)
    for cue in article.fingerprint.cues:
        remember_posting(state.by_cue, cue, article.article_id)
