"""One ingest cycle as plain functions, one per stage. flows.ingest wraps them in Prefect tasks.

The writer connection is opened only inside `plan`, `discover` and `load`, each a short
transaction; network I/O and extraction happen with no connection open.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from extractors.agencies import AgencyCatalogue
from extractors.records import FeedItem
from extractors.tagging import TaggerConfig
from flows import discover as disc
from flows.cycle_types import CycleContext, DiscoverCounts, FetchPlanItem, writer
from flows.outlets import Outlet
from flows.pages import PageJob, PageOutcome, page_stream
from flows.poll import PollOutcome, classify, poll_records
from flows.schedule import IntervalPolicy
from flows.settings import Settings
from flows.shard import sql_condition
from flows.transport import FetchRequest, FetchResult
from warehouse import articles as arts
from warehouse import feedstate, runs
from warehouse.feedstate import FeedState
from warehouse.rows import NewFeedRow, OutletRow, PendingRow


@dataclass(frozen=True, slots=True)
class Discovered:
    """What the discover stage hands on: the pages to fetch, and what it counted."""

    items: list[FetchPlanItem]
    counts: DiscoverCounts


def interval_policy(settings: Settings) -> IntervalPolicy:
    return IntervalPolicy(
        default_s=settings.default_interval_minutes * 60,
        min_s=settings.min_interval_minutes * 60,
        max_s=settings.max_interval_minutes * 60,
        max_backoff_s=settings.max_backoff_minutes * 60,
    )


# -- stage 1: plan -------------------------------------------------------------------------


def plan(ctx: CycleContext, outlets: Sequence[Outlet], *, force: bool = False) -> list[FeedState]:
    """Sync the configured outlets into the warehouse, open the run, return the due feeds.

    Every shard syncs the whole list (all workers share one configuration), then takes only
    its own outlets' feeds.
    """
    now = ctx.started_at
    default_s = int(ctx.settings.default_interval_minutes * 60)
    outlet_rows = [
        OutletRow(outlet_id=o.id, name=o.name, homepage=o.homepage, language=o.language,
                  country=o.country, kind=o.kind, updated_at=now)
        for o in outlets
    ]
    feed_rows = [
        NewFeedRow(feed_url=url, outlet_id=o.id,
                   interval_seconds=int((o.interval_minutes or 0) * 60) or default_s)
        for o in outlets if o.enabled for url in o.feeds
    ]
    mine = [r.feed_url for r in feed_rows if ctx.shard is None
            or ctx.shard.holds(r.outlet_id)]
    with writer(ctx.settings) as con:
        feedstate.sync_outlets(con, outlet_rows, feed_rows)
        runs.close_interrupted_runs(con, now, ctx.shard_label)
        runs.start_run(con, ctx.run_id, now, ctx.flow_run_id, ctx.shard_label)
        states = feedstate.feed_states(con, mine)
    return feedstate.due(states, now, force=force)


# -- stage 2: poll (network) ---------------------------------------------------------------


def poll(ctx: CycleContext, due: Sequence[FeedState], fetch_all) -> list[PollOutcome]:
    from flows.poll import poll_requests

    results: list[FetchResult] = fetch_all(ctx.settings.fetch, poll_requests(due))
    now = datetime.now(UTC)
    return [classify(state, result, now) for state, result in zip(due, results, strict=True)]


# -- stage 3: discover (short write) -------------------------------------------------------


def discover(ctx: CycleContext, outcomes: Sequence[PollOutcome]) -> Discovered:
    """Record polls and feed state, write new items as pending, and plan what to fetch.

    Poll records and pending rows commit together: a crash after this point loses nothing,
    because the next cycle retries pending rows even though the feed body is unchanged.
    """
    now = datetime.now(UTC)
    candidates: list[disc.Candidate] = []
    for outcome in outcomes:
        if outcome.parsed is not None and outcome.status in {"ok", "partial"}:
            candidates.extend(disc.candidates_from(outcome.parsed.items, outcome.state.outlet_id))
    policy, rng = interval_policy(ctx.settings), random.Random()
    with writer(ctx.settings) as con:
        known = arts.find_known(con, disc.lookup_rows(candidates))
        discovery = disc.plan_discovery(candidates, known, run_id=ctx.run_id, now=now)
        arts.insert_pending(con, discovery.pending + discovery.skipped)
        arts.update_titles(con, discovery.retitled)
        records = [
            poll_records(o, discovery.new_per_feed.get(o.state.feed_url, 0),
                         run_id=ctx.run_id, now=now, policy=policy, rng=rng)
            for o in outcomes
        ]
        feedstate.record_polls(con, [p for p, _ in records], [u for _, u in records])
        retries = arts.retry_candidates(con, ctx.settings.max_fetch_attempts, now,
                                        outlet_condition=sql_condition(ctx.shard))
    return Discovered(_fetch_plan(discovery, retries), _count_polls(outcomes, discovery))


def _count_polls(outcomes: Sequence[PollOutcome], discovery: disc.Discovery) -> DiscoverCounts:
    return DiscoverCounts(
        feeds_polled=len(outcomes),
        feeds_not_modified=sum(o.status in {"not_modified", "unchanged"} for o in outcomes),
        feeds_failed=sum(o.status in {"failed", "partial"} for o in outcomes),
        items_seen=discovery.items_seen,
        items_new=len(discovery.pending),
        items_retitled=len(discovery.retitled),
        articles_skipped=len(discovery.skipped),
    )


def _fetch_plan(
    discovery: disc.Discovery, retries: Sequence[arts.RetryCandidate]
) -> list[FetchPlanItem]:
    plan_items: dict[str, FetchPlanItem] = {}
    for row in discovery.pending:
        plan_items[row.article_id] = FetchPlanItem(
            row.article_id, row.url, 0, _feed_item_from_row(row), row.outlet_id)
    for r in retries:
        plan_items.setdefault(r.article_id, FetchPlanItem(
            r.article_id, r.url, r.attempts,
            FeedItem(feed_url=r.feed_url or "", url=r.url, title=r.feed_title,
                     summary=r.feed_summary, published=r.published_at), r.outlet_id))
    return list(plan_items.values())


def _feed_item_from_row(row: PendingRow) -> FeedItem:
    return FeedItem(feed_url=row.feed_url or "", url=row.url, guid=row.guid,
                    title=row.feed_title, summary=row.feed_summary,
                    author=row.author, published=row.published_at)


# -- stages 4 and 5: fetch (network) and extract (CPU, all cores), overlapped ---------------

# Pages per extraction worker that may be fetched and not yet extracted: four chunks of
# four keep each worker supplied while the rest of the batch waits to be fetched.
PAGES_AHEAD_PER_WORKER = 16


def fetch_and_extract(
    ctx: CycleContext,
    items: Sequence[FetchPlanItem],
    fetch_all,
    tagger: TaggerConfig,
    on_fetched: Callable[[], None] | None = None,
    agencies: AgencyCatalogue | None = None,
    outlet_names: Mapping[str, str] | None = None,
) -> tuple[list[FetchResult], list[PageOutcome]]:
    """Fetch the items' pages and extract each one as soon as it arrives.

    Fetching waits on the network and extraction on the CPU, so each page goes to the
    extraction workers the moment its body is in, rather than after the last page. Returns
    the fetch results without their bodies (the load needs only statuses and URLs) and the
    page outcomes in item order. `on_fetched` is called when the last page has arrived;
    `agencies` is what credits may name (the built-in list plus configured wire outlets);
    `outlet_names` (outlet id -> configured name) is taken off headlines.
    """
    requests = [FetchRequest(url=i.url, kind="page") for i in items]
    # A result carries the very request object it answers: that identifies its item.
    position = {id(request): n for n, request in enumerate(requests)}
    now = datetime.now(UTC)
    names = outlet_names or {}
    workers = ctx.settings.extract_workers or os.cpu_count() or 1
    gate = ExtractionGate(PAGES_AHEAD_PER_WORKER * workers)
    with page_stream(tagger, len(items), ctx.settings.extract_workers, agencies,
                     on_chunk_done=gate.leave) as stream:

        def hand_over(result: FetchResult) -> None:
            n = position[id(result.request)]
            job = page_job(items[n], result, now, names.get(items[n].outlet_id or ""))
            if job is None:
                gate.leave(1)  # nothing to extract: the page's place goes to the next one
            else:
                stream.add(job)

        # Each body goes to the stream in hand_over and nowhere else: the results come back
        # without theirs, so a page's bytes are freed once it is extracted. The gate holds
        # fetching back while the workers are behind (only with workers: in this process
        # nothing is extracted before the last page has arrived).
        results = fetch_all(ctx.settings.fetch, requests, hand_over, keep_bodies=False,
                            admit=gate.enter if stream.parallel else None)
        if on_fetched is not None:
            on_fetched()
        outcomes = stream.results()
    order = {item.article_id: n for n, item in enumerate(items)}
    outcomes.sort(key=lambda o: order[o.article_id])
    return results, outcomes


def page_job(item: FetchPlanItem, result: FetchResult, now: datetime,
             outlet_name: str | None = None) -> PageJob | None:
    """What extraction needs from one fetch; None when there is no body to extract."""
    if not (result.ok and result.body):
        return None
    return PageJob(item.article_id, result.final_url or item.url, result.body,
                   result.charset, item.feed_item, now, outlet_name)



class ExtractionGate:
    """At most `limit` pages between the start of their fetch and the end of their
    extraction: the rest wait before they are fetched, not as bodies in memory.

    Pages arrive from a fast network far sooner than two workers extract them; without the
    gate, every page not yet extracted is a body held in the cycle process (about 480 MB at
    5,000 farm pages: docs/benchmarks.md, "Memory"). `enter` is awaited by the fetcher in
    its event loop; `leave` may be called from any thread (the pool's, when a chunk is done).
    """

    def __init__(self, limit: int) -> None:
        self._limit = max(1, limit)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._free: asyncio.Semaphore | None = None

    async def enter(self) -> None:
        if self._free is None:  # made in the fetcher's own loop
            self._loop, self._free = asyncio.get_running_loop(), asyncio.Semaphore(self._limit)
        await self._free.acquire()

    def leave(self, count: int) -> None:
        loop, free = self._loop, self._free
        if loop is None or free is None:
            return  # nothing was admitted through the gate
        try:
            loop.call_soon_threadsafe(_release, free, count)
        except RuntimeError:
            return  # the fetch has ended and its loop is closed: nobody waits any more


def _release(free: asyncio.Semaphore, count: int) -> None:
    for _ in range(count):
        free.release()
