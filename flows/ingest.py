"""The `ingest` Prefect flow: one task per stage (never per article), retries only if transient."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext, get_run_context

from extractors.entities import Links
from extractors.errors import is_transient
from flows import cycle, loading
from flows.alert_delivery import deliver_after_cycle
from flows.alerts.rules import AlertRule
from flows.configured_lists import agencies_for_outlets, load_outlets_for, load_rules_for
from flows.cycle_lock import cycle_lock
from flows.cycle_types import (
    CycleContext,
    CycleCounts,
    DiscoverCounts,
    FetchPlanItem,
    LoadCounts,
    writer,
)
from flows.entity_stage import require_backend, run_entity_stage, worker_tagger
from flows.heap import release_free_memory
from flows.pages import PageOutcome
from flows.poll import PollOutcome
from flows.procs import exit_with_parent
from flows.settings import Settings, load_settings
from flows.shard import Shard, parse_shard
from flows.task_options import StageOptions, quoted
from flows.transport import FetchResult, fetch_all_sync
from warehouse.feedstate import FeedState
from warehouse.publish import publish


def _is_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a stage only for errors whose class is transient (a busy warehouse)."""
    try:
        state.result()
    except Exception as exc:
        return is_transient(exc)
    return False


STAGE: StageOptions = {"cache_policy": NONE, "persist_result": False, "retries": 2,
         "retry_delay_seconds": 2, "retry_condition_fn": _is_transient}


@dataclass(frozen=True, slots=True)
class CycleSummary:
    run_id: str
    status: str
    counts: dict[str, int]
    stage_seconds: dict[str, float]
    db_path: str


@dataclass(slots=True)
class CycleProgress:
    """What the flow has been handed so far: each stage's counts (None until it returns)
    and the seconds per stage. Only the flow writes here; stages return frozen records."""

    discovered: DiscoverCounts | None = None
    loaded: LoadCounts | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def counts(self) -> CycleCounts:
        return CycleCounts.total(self.discovered, self.loaded)


@contextmanager
def _timed(progress: CycleProgress, stage: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds = progress.stage_seconds
    seconds[stage] = seconds.get(stage, 0.0) + (time.perf_counter() - started)


@task(name="plan", **STAGE)
def plan_task(ctx: CycleContext, force: bool) -> list[FeedState]:
    return cycle.plan(ctx, load_outlets_for(ctx.settings), force=force)


@task(name="poll-feeds", **STAGE)
def poll_task(ctx: CycleContext, due: list[FeedState]) -> list[PollOutcome]:
    return cycle.poll(ctx, due, fetch_all_sync)


@task(name="discover", **STAGE)
def discover_task(ctx: CycleContext, outcomes: list[PollOutcome]) -> cycle.Discovered:
    return cycle.discover(ctx, outcomes)


@task(name="fetch-and-extract", **STAGE)
def fetch_extract_task(
    ctx: CycleContext, items: list[FetchPlanItem], on_fetched: Callable[[], None] | None = None,
) -> tuple[list[FetchResult], list[PageOutcome]]:
    """Stages 4 and 5 in one task: each page is extracted while the others are fetched."""
    s = ctx.settings
    # The NER model runs in the entities stage after the load (flows/entity_stage.py).
    require_backend(s)
    if not items:  # a warm cycle: no pages, so no second read of a 10,000-outlet file
        if on_fetched is not None:
            on_fetched()
        return [], []
    outlets = load_outlets_for(s)
    return cycle.fetch_and_extract(ctx, items, fetch_all_sync, worker_tagger(s), on_fetched,
                                   agencies_for_outlets(outlets), {o.id: o.name for o in outlets})


@task(name="load", **STAGE)
def load_task(ctx: CycleContext, items: list[FetchPlanItem], results: list[FetchResult],
              outcomes: list[PageOutcome], rules: list[AlertRule],
              discovered: DiscoverCounts, stage_seconds: dict[str, float]) -> loading.LoadReport:
    return loading.load(ctx, items, results, outcomes, rules, discovered, stage_seconds)


@task(name="deliver-alerts", **STAGE)
def deliver_task(settings: Settings, rules: list[AlertRule]) -> dict[str, int]:
    stats = deliver_after_cycle(settings, rules, datetime.now(UTC))
    return {"alerts_delivered": stats.delivered, "alerts_failed": stats.failed,
            "alert_events_emitted": stats.events_emitted}


@task(name="tag-entities", **STAGE)
def entities_task(settings: Settings, shard: Shard | None,
                  links: dict[str, Links] | None = None) -> dict[str, int]:
    return run_entity_stage(settings, shard, links)


def extraction_links(outcomes: Sequence[PageOutcome]) -> dict[str, Links]:
    """What the extraction workers' linker found per article, for the entities stage."""
    return {o.article_id: o.tags.links for o in outcomes
            if o.tags is not None and o.tags.links is not None}


@task(name="publish-analyst-copy", **STAGE)
def publish_task(settings: Settings) -> None:
    if settings.publish_analyst_copy:
        publish(settings.warehouse_target, settings.resolved_analyst_db_path,
                wait_s=settings.lock_timeout_s, search_days=settings.search_index_days)


@task(name="write-brief", cache_policy=NONE, persist_result=False)
def brief_task(settings: Settings) -> None:
    write_brief_quietly(settings)


def brief_due(settings: Settings) -> bool:
    from flows.report import brief_is_stale

    return brief_is_stale(settings)


def write_brief_quietly(settings: Settings) -> None:
    """The HTML brief beside the analyst copy; a failure is logged, never fails the cycle."""
    from flows.report import write_brief_after_cycle

    try:
        written = write_brief_after_cycle(settings)
    except Exception as exc:  # the cycle's data is safe; only the brief is stale
        _log(logging.WARNING, "brief not written: %s: %s", type(exc).__name__, exc)
        return
    if written is not None:
        _log(logging.INFO, "brief written to %s (%d bytes)", written.path, written.bytes)


def _log(level: int, message: str, *args: object) -> None:
    try:
        get_run_logger().log(level, message, *args)
    except Exception:  # outside a flow run there is no run logger
        logging.getLogger(__name__).log(level, message, *args)


@flow(name="ingest", log_prints=False)
def ingest(config_path: str | None = None, overrides: dict[str, Any] | None = None,
           force: bool = False, shard: str = "all") -> CycleSummary:
    """Poll due feeds, fetch and extract new articles, and land them with stories and alerts.

    `shard` "k/n" polls only the outlets of shard k of n (flows/shard.py): one deployment
    per shard, and the workers share the outlets.
    """
    exit_with_parent()  # a run started by `wirewatch serve` ends with it (flows.procs)
    settings = load_settings(Path(config_path) if config_path else None, overrides=overrides)
    return run_cycle(settings, force=force, shard=parse_shard(shard))


def run_cycle(settings: Settings, *, force: bool = False,
              on_stage: Callable[[str], None] | None = None,
              shard: Shard | None = None) -> CycleSummary:
    ctx = CycleContext.new(settings, _flow_run_id(), shard)
    progress = CycleProgress()
    rules = load_rules_for(settings)
    notify = on_stage or (lambda _stage: None)
    with cycle_lock(_shard_lock_path(settings.db_path, shard),
                    wait_s=settings.lock_timeout_s):
        try:
            extra, delivered = _stages(ctx, progress, rules, force, notify)
        except Exception as exc:
            _record_failure(ctx, progress, exc)
            raise
    summary = CycleSummary(ctx.run_id, "ok", {**progress.counts.as_dict(), **extra, **delivered},
                           dict(progress.stage_seconds), str(settings.db_path))
    _publish_summary(summary)
    return summary


def _shard_lock_path(db_path: Path, shard: Shard | None) -> Path:
    """One cycle at a time per shard: shards of one machine run side by side."""
    if shard is None:
        return db_path
    return db_path.with_name(f"{db_path.name}.shard-{shard.index}-of-{shard.count}")


def _stages(ctx: CycleContext, progress: CycleProgress, rules: list[AlertRule],
            force: bool, notify: Callable[[str], None]) -> tuple[dict[str, int], dict[str, int]]:
    settings = ctx.settings
    with _timed(progress, "plan"):
        notify("plan")
        due = plan_task(ctx, force)
    with _timed(progress, "poll"):
        notify("poll")
        outcomes = poll_task(ctx, quoted(due))
    with _timed(progress, "discover"):
        notify("discover")
        discovered = discover_task(ctx, quoted(outcomes))
        progress.discovered = discovered.counts
    items = discovered.items
    results, page_outcomes = _fetch_and_extract(ctx, progress, items, notify)
    release_free_memory()  # the pages' bodies, freed as they were extracted
    with _timed(progress, "load"):
        notify("load")
        # quoted(): Prefect would otherwise walk every object of these lists on each
        # task call (tags, fingerprints: ~5 s per 2,000 articles, three times over).
        loaded = load_task(ctx, quoted(items), quoted(results), quoted(page_outcomes), rules,
                           discovered.counts, dict(progress.stage_seconds))
        progress.loaded = loaded.counts
    # Landed: the outcomes (about 55 KB per page) are not needed by the later stages, and
    # the entity stage's workers run beside this process (docs/benchmarks.md, "Memory"),
    # except what the linker found, which spares the entities stage linking the same texts.
    links = extraction_links(page_outcomes)
    del results, page_outcomes
    release_free_memory()
    extra = {"stories_new": loaded.stories_new, "alerts_enqueued": loaded.alerts_enqueued}
    with _timed(progress, "deliver"):
        notify("deliver")
        delivered = deliver_task(settings, rules)
    with _timed(progress, "entities"):
        notify("entities")
        extra = {**extra, **entities_task(settings, ctx.shard, quoted(links))}
    with _timed(progress, "publish"):
        notify("publish")
        published = _worth_publishing(settings, progress.counts, {**extra, **delivered})
        if published:
            publish_task(settings)
        # A cycle that changed nothing leaves the brief alone unless its window has moved
        # on by the refresh interval: a warm cycle stays cheap, the brief never gets stale.
        if published or brief_due(settings):
            brief_task(settings)
    return extra, delivered


def _fetch_and_extract(
    ctx: CycleContext, progress: CycleProgress, items: list[FetchPlanItem],
    notify: Callable[[str], None],
) -> tuple[list[FetchResult], list[PageOutcome]]:
    """The overlapped fetch and extract; "fetch" is timed until the last page arrived and
    "extract" for the extraction still running after that."""
    started = time.perf_counter()
    fetched_at: list[float] = []

    def fetched() -> None:
        fetched_at.append(time.perf_counter())
        notify("extract")

    notify("fetch")
    # The results come back without bodies: the load needs statuses and URLs, and holding
    # the pages' bytes (about 0.5 GB per 5,000 pages) through the load would only cost memory.
    results, outcomes = fetch_extract_task(ctx, quoted(items), quoted(fetched))
    finished = time.perf_counter()
    split = fetched_at[-1] if fetched_at else finished
    progress.stage_seconds["fetch"] = split - started
    progress.stage_seconds["extract"] = finished - split
    return results, outcomes


def _record_failure(ctx: CycleContext, progress: CycleProgress, exc: Exception) -> None:
    """Best effort: mark this cycle's run failed with the error, so `runs` says why.

    The counts are those of the stages that finished (a failed load landed nothing).
    Skipped for transient errors about the warehouse itself (it is busy: writing would only
    wait again); if the write fails too (a full disk), the next cycle marks the row
    interrupted instead.
    """
    if is_transient(exc):
        return
    try:
        with writer(ctx.settings.replace(lock_timeout_s=2.0)) as con:
            loading.finish(con, ctx, progress.counts, progress.stage_seconds, status="failed",
                           error=f"{type(exc).__name__}: {exc}"[:500])
    except Exception:  # the original error is what the caller must see
        return


def _worth_publishing(settings: Settings, counts: CycleCounts,
                      extra: dict[str, int]) -> bool:
    """Copy the warehouse for analysts only when something they read changed.

    A cycle over unchanged feeds changes only `runs` and `feed_polls`; copying the whole
    file for that would be most of a warm cycle's time. Those two tables in the copy then
    lag until the next cycle that lands something.
    """
    if not settings.resolved_analyst_db_path.exists():
        return True
    landed = (counts.items_new + counts.items_retitled + counts.articles_extracted
              + counts.articles_failed + counts.articles_skipped)
    changed = sum(extra.get(k, 0) for k in ("alerts_enqueued", "alerts_delivered",
                                            "alerts_failed", "entities_tagged"))
    return bool(landed or changed)


def _flow_run_id() -> str | None:
    try:
        context = get_run_context()
    except Exception:
        return None
    if not isinstance(context, FlowRunContext) or context.flow_run is None:
        return None  # called from inside a task, or a flow run without its record
    return str(context.flow_run.id)


def _publish_summary(summary: CycleSummary) -> None:
    lines = ["| measure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in summary.counts.items()]
    lines += [f"| seconds: {k} | {v:.2f} |" for k, v in summary.stage_seconds.items()]
    try:
        create_markdown_artifact(key="ingest-summary", markdown="\n".join(lines),
                                 description=f"wirewatch run {summary.run_id}")
        get_run_logger().info("run %s: %s", summary.run_id, summary.counts)
    except Exception:
        return
