"""Stage 6: one write transaction that lands a cycle's articles, tags, stories and alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import duckdb

from extractors.records import ExtractedArticle
from flows.cycle import CycleContext, CycleCounts, FetchPlanItem
from flows.errors import RobotsRefused
from flows.pages import PageOutcome
from flows.transport import FetchResult
from warehouse import articles as arts
from warehouse import runs

MAX_PAGE_RETRY_AFTER_S = 86_400.0


def result_rows(
    ctx: CycleContext,
    items: Sequence[FetchPlanItem],
    results: Sequence[FetchResult],
    outcomes: Sequence[PageOutcome],
) -> list[dict]:
    """One articles update per fetched item: the extraction, or why there is none."""
    by_id = {o.article_id: o for o in outcomes}
    now = datetime.now(UTC)
    rows = []
    for item, result in zip(items, results, strict=True):
        base = {"article_id": item.article_id, "attempts": item.attempts + 1,
                "http_status": result.status, "final_url": result.final_url,
                "fetched_at": now, "run_id": ctx.run_id}
        outcome = by_id.get(item.article_id)
        if outcome is None:
            rows.append({**base, **_fetch_failure(result, now)})
        else:
            rows.append({**base, **_extraction(outcome)})
    return rows


def _fetch_failure(result: FetchResult, now: datetime) -> dict:
    error = result.error
    if error is None:
        return {"status": "failed", "reason": "empty response body", "retryable": True}
    if isinstance(error, RobotsRefused):
        # The publisher asked us not to: a decision, not a failure to retry.
        return {"status": "skipped", "reason": f"fetch {error.reason}", "retryable": False}
    return {"status": "failed", "reason": f"fetch {error.reason}",
            "retryable": bool(error.transient),
            "retry_not_before": retry_not_before(error.retry_after_s, now)}


def retry_not_before(retry_after_s: float | None, now: datetime) -> datetime | None:
    """When a page that answered with Retry-After may be asked again (None: next cycle).

    Honoured across cycles, not only within one batch; a wait longer than a day is taken as
    a day, so a misconfigured server cannot park a page for good.
    """
    if retry_after_s is None:
        return None
    return now + timedelta(seconds=min(retry_after_s, MAX_PAGE_RETRY_AFTER_S))


def _extraction(outcome: PageOutcome) -> dict:
    a: ExtractedArticle = outcome.article
    row = {
        "status": a.status, "reason": a.reason, "retryable": a.retryable,
        "extraction_method": a.method, "page_canonical_url": a.page_canonical_url,
        "title": a.title, "author": a.author, "description": a.description,
        "site_name": a.site_name, "text": a.text, "language": a.language,
        "declared_language": a.declared_language, "word_count": a.word_count,
        "content_hash": outcome.content_hash,
    }
    if a.published is not None:
        row["published_at"], row["published_source"] = a.published.value, a.published.source
        row["published_utc_offset"] = a.published.utc_offset_minutes
        row["published_day"] = a.published.day() if a.published.source != "feed" else None
    if a.updated is not None:
        row["updated_at"], row["updated_source"] = a.updated.value, a.updated.source
    return row


def apply_page_canonicals(
    con: duckdb.DuckDBPyConnection, rows: list[dict], current: dict[str, str]
) -> None:
    """Adopt a page's rel=canonical when it points within the same site; merge duplicates.

    Cross-site canonicals are kept in page_canonical_url but not adopted: a re-published wire
    story often points at the agency's page, and merging would erase the outlet's copy, which
    is exactly what story assignment must see.
    """
    adoptable = {
        r["article_id"]: r["page_canonical_url"] for r in rows
        if r.get("page_canonical_url") and r["status"] == "extracted"
        and r["page_canonical_url"] != current.get(r["article_id"])
        and _same_site(r["page_canonical_url"], current.get(r["article_id"], ""))
    }
    owners = arts.canonical_owners(con, list(adoptable.values()))
    claimed: dict[str, str] = {}
    for row in rows:
        target = adoptable.get(row["article_id"])
        if target is None:
            row["canonical_url"] = current.get(row["article_id"])
            continue
        owner = owners.get(target) or claimed.get(target)
        if owner and owner != row["article_id"]:
            row.update(status="skipped", reason=f"duplicate of {owner} (rel=canonical)",
                       canonical_url=current.get(row["article_id"]), text=None)
        else:
            row["canonical_url"] = target
            claimed[target] = row["article_id"]


def _same_site(a: str, b: str) -> bool:
    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return name.removeprefix("www.")

    return bool(host(a)) and host(a) == host(b)


def count_results(rows: Sequence[dict], counts: CycleCounts) -> None:
    counts.pages_fetched = sum(1 for r in rows if r.get("http_status") is not None)
    counts.articles_extracted = sum(r["status"] == "extracted" for r in rows)
    counts.articles_failed = sum(r["status"] == "failed" for r in rows)
    counts.articles_skipped += sum(r["status"] == "skipped" for r in rows)


def finish(con: duckdb.DuckDBPyConnection, ctx: CycleContext, counts: CycleCounts,
           status: str = "ok", error: str | None = None) -> None:
    runs.finish_run(con, ctx.run_id, datetime.now(UTC), status, counts.as_dict(),
                    counts.stage_seconds, error)
