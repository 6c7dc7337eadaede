"""Stage 6: one write transaction that lands a cycle's articles, tags, stories and alerts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import duckdb

from extractors.records import ExtractedArticle
from flows.alerts.rules import AlertRule
from flows.cycle_types import (
    CycleContext,
    CycleCounts,
    DiscoverCounts,
    FetchPlanItem,
    LoadCounts,
    writer,
)
from flows.errors import RobotsRefused
from flows.pages import PageOutcome
from flows.transport import FetchResult
from warehouse import articles as arts
from warehouse import runs
from warehouse.outbox import enqueue_alerts
from warehouse.rows import ResultRow
from warehouse.stories import assign_stories
from warehouse.story_merge import retire_merged_duplicates
from warehouse.tags import store_tags

MAX_PAGE_RETRY_AFTER_S = 86_400.0


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What the load landed and counted; the flow adds `counts` to the other stages'."""

    counts: LoadCounts
    stories_new: int
    alerts_enqueued: int


def load(ctx: CycleContext, items: Sequence[FetchPlanItem], results: Sequence[FetchResult],
         outcomes: Sequence[PageOutcome], rules: Sequence[AlertRule],
         discovered: DiscoverCounts, stage_seconds: Mapping[str, float]) -> LoadReport:
    """The cycle's one load transaction; re-running it with the same inputs changes nothing.

    The `runs` record is completed in the same transaction, with the counts taken after the
    load decided (`discovered` and `stage_seconds`: what the earlier stages left).
    """
    rows = result_rows(ctx, items, results, outcomes)
    with writer(ctx.settings) as con:
        current = arts.current_canonicals(con, [r.article_id for r in rows])
        rows = apply_page_canonicals(con, rows, current)
        arts.save_results(con, rows)
        counts = count_results(rows)
        landed = {r.article_id for r in rows if r.status == "extracted"}
        kept = [o for o in outcomes if o.article_id in landed]
        store_tags(con, {o.article_id: o.tags for o in kept if o.tags is not None},
                   extra_entities_path=ctx.settings.extra_entities_path)
        stats = assign_stories(
            con, sorted(landed), now=datetime.now(UTC),
            fingerprints={o.article_id: o.fingerprint for o in kept if o.fingerprint},
            credits={o.article_id: o.credits for o in kept},
        )
        retire_merged_duplicates(con, stats.merged_into)
        enqueued = enqueue_alerts(con, rules, now=datetime.now(UTC))
        finish(con, ctx, CycleCounts.total(discovered, counts), stage_seconds)
    return LoadReport(counts, getattr(stats, "new_stories", 0), enqueued)


def result_rows(
    ctx: CycleContext,
    items: Sequence[FetchPlanItem],
    results: Sequence[FetchResult],
    outcomes: Sequence[PageOutcome],
) -> list[ResultRow]:
    """One articles update per fetched item: the extraction, or why there is none."""
    by_id = {o.article_id: o for o in outcomes}
    now = datetime.now(UTC)
    rows = []
    for item, result in zip(items, results, strict=True):
        # What every row says; with no page and no error, the body was empty (retried).
        fetched = ResultRow(
            article_id=item.article_id, status="failed", reason="empty response body",
            retryable=True, attempts=item.attempts + 1, http_status=result.status,
            final_url=result.final_url, fetched_at=now, run_id=ctx.run_id)
        outcome = by_id.get(item.article_id)
        if outcome is None:
            rows.append(_fetch_failure(fetched, result, now))
        else:
            rows.append(_extraction(fetched, outcome))
    return rows


def _fetch_failure(fetched: ResultRow, result: FetchResult, now: datetime) -> ResultRow:
    error = result.error
    if error is None:
        return fetched
    if isinstance(error, RobotsRefused):
        # The publisher asked us not to: a decision, not a failure to retry.
        return replace(fetched, status="skipped", reason=f"fetch {error.reason}",
                       retryable=False)
    return replace(fetched, reason=f"fetch {error.reason}", retryable=bool(error.transient),
                   retry_not_before=retry_not_before(error.retry_after_s, now))


def retry_not_before(retry_after_s: float | None, now: datetime) -> datetime | None:
    """When a page that answered with Retry-After may be asked again (None: next cycle).

    Honoured across cycles, not only within one batch; a wait longer than a day is taken as
    a day, so a misconfigured server cannot park a page for good.
    """
    if retry_after_s is None:
        return None
    return now + timedelta(seconds=min(retry_after_s, MAX_PAGE_RETRY_AFTER_S))


def _extraction(fetched: ResultRow, outcome: PageOutcome) -> ResultRow:
    a: ExtractedArticle = outcome.article
    return replace(
        fetched, status=a.status, reason=a.reason, retryable=a.retryable,
        extraction_method=a.method, page_canonical_url=a.page_canonical_url,
        title=a.title, author=a.author, description=a.description,
        site_name=a.site_name, text=a.text, language=a.language,
        declared_language=a.declared_language, word_count=a.word_count,
        content_hash=outcome.content_hash,
        published_at=a.published.value if a.published else None,
        published_source=a.published.source if a.published else None,
        published_utc_offset=a.published.utc_offset_minutes if a.published else None,
        # The publisher's own calendar day; a feed's date states none (UTC already).
        published_day=(a.published.day() if a.published and a.published.source != "feed"
                       else None),
        updated_at=a.updated.value if a.updated else None,
        updated_source=a.updated.source if a.updated else None,
    )


def apply_page_canonicals(
    con: duckdb.DuckDBPyConnection, rows: Sequence[ResultRow], current: Mapping[str, str]
) -> list[ResultRow]:
    """The rows with their canonical URL: a page's rel=canonical is adopted when it points
    within the same site, and a page whose canonical another article owns is a duplicate.

    Cross-site canonicals are kept in page_canonical_url but not adopted: a re-published wire
    story often points at the agency's page, and merging would erase the outlet's copy, which
    is exactly what story assignment must see.
    """
    adoptable = {
        r.article_id: r.page_canonical_url for r in rows
        if r.page_canonical_url and r.status == "extracted"
        and r.page_canonical_url != current.get(r.article_id)
        and _same_site(r.page_canonical_url, current.get(r.article_id, ""))
    }
    owners = arts.canonical_owners(con, list(adoptable.values()))
    claimed: dict[str, str] = {}
    decided = []
    for row in rows:
        target = adoptable.get(row.article_id)
        if target is None:
            decided.append(replace(row, canonical_url=current.get(row.article_id)))
            continue
        owner = owners.get(target) or claimed.get(target)
        if owner and owner != row.article_id:
            decided.append(replace(row, status="skipped",
                                   reason=f"duplicate of {owner} (rel=canonical)",
                                   canonical_url=current.get(row.article_id), text=None))
        else:
            decided.append(replace(row, canonical_url=target))
            claimed[target] = row.article_id
    return decided


def _same_site(a: str, b: str) -> bool:
    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return name.removeprefix("www.")

    return bool(host(a)) and host(a) == host(b)


def count_results(rows: Sequence[ResultRow]) -> LoadCounts:
    """What the load landed, counted after the canonical merges decided."""
    return LoadCounts(
        pages_fetched=sum(1 for r in rows if r.http_status is not None),
        articles_extracted=sum(r.status == "extracted" for r in rows),
        articles_failed=sum(r.status == "failed" for r in rows),
        articles_skipped=sum(r.status == "skipped" for r in rows),
    )


def finish(con: duckdb.DuckDBPyConnection, ctx: CycleContext, counts: CycleCounts,
           stage_seconds: Mapping[str, float], status: str = "ok",
           error: str | None = None) -> None:
    """Complete this cycle's `runs` record."""
    runs.finish_run(con, ctx.run_id, datetime.now(UTC), status, counts.as_dict(),
                    stage_seconds, error)
