"""Resolves the content modules into the pages the demo serves, and checks their consistency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType

from flows.demo.content_copies import REPUBLICATIONS
from flows.demo.content_general import GENERAL_ARTICLES
from flows.demo.content_security import SECURITY_ARTICLES
from flows.demo.content_wire import AGENCY_TEXTS, WIRE_ARTICLES
from flows.demo.model import AgencyText, Article, DemoOutlet, Republication
from flows.demo.outlets_data import DEMO_OUTLETS, outlet_by_id

PHASES = (1, 2, 3)
FINAL_PHASE = PHASES[-1]
# When each phase "went live": feeds changed in a phase get this as their Last-Modified, so
# a conditional request made in an earlier phase sees the change.
PHASE_CLOCK: MappingProxyType[int, datetime] = MappingProxyType(
    {
        1: datetime(2026, 1, 15, 0, 0, tzinfo=UTC),
        2: datetime(2026, 1, 15, 14, 0, tzinfo=UTC),
        3: datetime(2026, 1, 16, 2, 0, tzinfo=UTC),
    }
)


@dataclass(frozen=True)
class Page:
    """One article page as served, with everything the manifest states about it."""

    key: str
    outlet: DemoOutlet
    story: str
    section: str
    path: str
    headline: str
    dek: str
    author: str | None
    published: datetime  # in the outlet's zone
    paragraphs: tuple[str, ...]
    phase: int
    topic: str | None
    credits: tuple[tuple[str, str], ...]
    role: str  # original | wire_original | copy | agency_copy | translation
    source_key: str | None
    language: str
    image_caption: str
    image_credit: str
    http_status: int
    revised_headline: tuple[int, str] | None

    def visible_at(self, phase: int) -> bool:
        return self.phase <= phase

    def headline_at(self, phase: int) -> str:
        if self.revised_headline and self.revised_headline[0] <= phase:
            return self.revised_headline[1]
        return self.headline

    def changed_at(self, phase: int) -> int:
        """The latest phase (up to `phase`) in which this page appeared or changed."""
        if self.revised_headline and self.revised_headline[0] <= phase:
            return max(self.phase, self.revised_headline[0])
        return self.phase

    @property
    def robots_disallowed(self) -> bool:
        return any(self.path.startswith(prefix) for prefix in self.outlet.robots_disallow)


def local_datetime(outlet: DemoOutlet, wall_clock: str) -> datetime:
    zone = timezone(timedelta(hours=outlet.utc_offset_hours))
    return datetime.strptime(wall_clock, "%Y-%m-%d %H:%M").replace(tzinfo=zone)


def _path(outlet: DemoOutlet, section: str, slug: str, published: datetime) -> str:
    return outlet.path_pattern.format(
        section=section,
        slug=slug,
        year=f"{published.year:04d}",
        month=f"{published.month:02d}",
        day=f"{published.day:02d}",
    )


def _article_role(article: Article, outlet: DemoOutlet) -> str:
    if article.translation_of:
        return "translation"
    return "wire_original" if outlet.kind == "wire" else "original"


def _page_from_article(article: Article) -> Page:
    outlet = outlet_by_id(article.outlet)
    published = local_datetime(outlet, article.local_time)
    return Page(
        key=article.key,
        outlet=outlet,
        story=article.story,
        section=article.section,
        path=article.path or _path(outlet, article.section, article.slug, published),
        headline=article.headline,
        dek=article.dek,
        author=article.author,
        published=published,
        paragraphs=article.paragraphs,
        phase=article.phase,
        topic=article.topic,
        credits=article.credits,
        role=_article_role(article, outlet),
        source_key=article.translation_of,
        language=outlet.language,
        image_caption=article.image_caption,
        image_credit=article.image_credit,
        http_status=article.http_status,
        revised_headline=article.revised_headline,
    )


def _page_from_republication(copy: Republication, sources: dict[str, Article | AgencyText]) -> Page:
    outlet = outlet_by_id(copy.outlet)
    source = sources[copy.source]
    kept = source.paragraphs[copy.keep_from : copy.keep_to]
    lead = (copy.lead,) if copy.lead else ()
    closing = (copy.closing_credit,) if copy.closing_credit else ()
    published = local_datetime(outlet, copy.local_time)
    return Page(
        key=copy.key,
        outlet=outlet,
        story=source.story,
        section=copy.section,
        path=_path(outlet, copy.section, copy.slug, published),
        headline=copy.headline,
        dek=copy.dek,
        author=copy.author,
        published=published,
        paragraphs=(*lead, *kept, *copy.extra, *closing),
        phase=copy.phase,
        topic=source.topic,
        credits=copy.credits,
        role="agency_copy" if isinstance(source, AgencyText) else "copy",
        source_key=copy.source,
        language=outlet.language,
        image_caption=copy.image_caption,
        image_credit=copy.image_credit,
        http_status=200,
        revised_headline=None,
    )


def build_pages() -> tuple[Page, ...]:
    """Every page of the demo (all phases), checked for consistency."""
    articles = (*WIRE_ARTICLES, *SECURITY_ARTICLES, *GENERAL_ARTICLES)
    sources: dict[str, Article | AgencyText] = {a.key: a for a in articles}
    sources.update({text.key: text for text in AGENCY_TEXTS})
    pages = [_page_from_article(article) for article in articles]
    pages.extend(_page_from_republication(copy, sources) for copy in REPUBLICATIONS)
    pages.sort(key=lambda page: (page.outlet.id, page.published))
    _check_consistency(pages)
    return tuple(pages)


def _check_consistency(pages: Iterable[Page]) -> None:
    """Content mistakes would silently corrupt the labelled set, so they fail loudly."""
    by_key: dict[str, Page] = {}
    paths: set[tuple[str, str]] = set()
    for page in pages:
        if page.key in by_key:
            raise ValueError(f"demo content: duplicate key {page.key}")
        by_key[page.key] = page
        if (page.outlet.id, page.path) in paths:
            raise ValueError(f"demo content: duplicate path {page.path} on {page.outlet.id}")
        paths.add((page.outlet.id, page.path))
        if page.phase not in PHASES:
            raise ValueError(f"demo content: {page.key} has phase {page.phase}")
        body = "\n".join(page.paragraphs)
        for agency, evidence in page.credits:
            if evidence not in body:
                raise ValueError(f"demo content: {page.key} lacks credit text for {agency}")
    for page in by_key.values():
        source = by_key.get(page.source_key or "")
        if source and (source.phase > page.phase or source.published >= page.published):
            raise ValueError(f"demo content: {page.key} appears before its source")


def outlets() -> tuple[DemoOutlet, ...]:
    return DEMO_OUTLETS
