"""HTML for the demo's article pages and outlet front pages, through per-outlet templates."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from html import escape
from importlib import resources
from string import Template
from urllib.parse import quote

from flows.demo.catalog import Page
from flows.demo.dates import visible_date
from flows.demo.model import DemoOutlet

SHARE_BUTTONS = ("Facebook", "X", "WhatsApp", "Email")
RELATED_LINKS = 4


@dataclass(frozen=True)
class PageContext:
    """What an article page links to: its own absolute base URL and its siblings."""

    base_url: str  # the outlet's origin, no trailing slash
    phase: int
    siblings: Sequence[Page]  # the outlet's pages visible in this phase, newest first


@cache
def template(name: str) -> Template:
    text = resources.files("flows.demo.templates").joinpath(f"{name}.html").read_text("utf-8")
    return Template(text)


def _nav(outlet: DemoOutlet, base_url: str) -> str:
    items = []
    for label in outlet.nav:
        slug = quote(label.lower().replace(" ", "-"))
        items.append(f'<li><a href="{base_url}/{escape(slug)}">{escape(label)}</a></li>')
    return "".join(items)


def _share(page: Page, url: str) -> str:
    return "".join(
        f'<a class="share-{name.lower()}" href="#share?u={escape(url)}">{name}</a>'
        for name in SHARE_BUTTONS
    )


def _figure(page: Page) -> str:
    if not page.image_caption:
        return ""
    credit = (
        f'<span class="credito">{escape(page.image_credit)}</span>' if page.image_credit else ""
    )
    return (
        f'<figure><img src="/img/{page.key}.jpg" alt="{escape(page.image_caption)}">'
        f"<figcaption>{escape(page.image_caption)} {credit}</figcaption></figure>"
    )


def _teaser_targets(page: Page, context: PageContext) -> list[Page]:
    """Other readable pages of the outlet, the ones inline teasers and related lists point to."""
    return [
        other
        for other in context.siblings
        if other.key != page.key and other.http_status == 200 and not other.robots_disallowed
    ]


def _body(page: Page, context: PageContext) -> str:
    """Paragraphs with the outlet's inline teasers and call to action mixed in, as CMSs do."""
    targets = _teaser_targets(page, context)
    labels = page.outlet.teaser_labels
    blocks = [f"<p>{escape(paragraph)}</p>" for paragraph in page.paragraphs]
    if len(blocks) >= 4:
        blocks.insert(len(blocks) - 1, f'<p class="cta">{escape(page.outlet.call_to_action)}</p>')
    for position, (label, target) in enumerate(zip(labels, targets, strict=False)):
        index = 2 + position * 3
        if index >= len(blocks):
            break
        title = escape(target.headline_at(context.phase))
        link = f'<a href="{context.base_url}{target.path}">{title}</a>'
        if (len(page.key) + position) % 2:
            link = title  # pasted as plain text by an editor: no link for extractors to notice
        blocks.insert(index, f'<p class="teaser"><strong>{escape(label)}</strong> {link}</p>')
    return "\n".join(blocks)


def _related(page: Page, context: PageContext) -> str:
    return "".join(
        f'<li><a href="{context.base_url}{other.path}">{escape(other.headline_at(context.phase))}'
        "</a></li>"
        for other in _teaser_targets(page, context)[:RELATED_LINKS]
    )


def _head_meta(page: Page, url: str, phase: int) -> str:
    outlet = page.outlet
    title = page.headline_at(phase)
    common = (
        f'<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{escape(title)}">'
        f'<meta property="og:site_name" content="{escape(outlet.name)}">'
        f'<meta property="og:url" content="{escape(url)}">'
        f'<meta property="og:description" content="{escape(page.dek)}">'
    )
    if outlet.metadata == "meta":
        author = f'<meta name="author" content="{escape(page.author)}">' if page.author else ""
        return (
            common
            + f'<meta property="article:published_time" content="{page.published.isoformat()}">'
            + author
        )
    if outlet.metadata == "jsonld":
        return common + _json_ld(page, url, title)
    return common


def _json_ld(page: Page, url: str, title: str) -> str:
    document: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": page.dek,
        "datePublished": page.published.isoformat(),
        "dateModified": page.published.isoformat(),
        "inLanguage": page.language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "publisher": {"@type": "Organization", "name": page.outlet.name},
    }
    if page.author:
        document["author"] = [{"@type": "Person", "name": page.author}]
    # "</" must not appear inside a script element.
    payload = json.dumps(document, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{payload}</script>'


def render_article(page: Page, context: PageContext) -> str:
    """The article page as the outlet's CMS would print it."""
    url = context.base_url + page.path
    outlet = page.outlet
    return template(outlet.id).substitute(
        lang=page.language,
        charset=outlet.encoding,
        title=escape(page.headline_at(context.phase)),
        description=escape(page.dek),
        canonical=escape(url),
        head_meta=_head_meta(page, url, context.phase),
        home=f"{context.base_url}/",
        nav=_nav(outlet, context.base_url),
        section=escape(page.section),
        headline=escape(page.headline_at(context.phase)),
        dek=escape(page.dek),
        author=escape(page.author or outlet.name),
        date_text=escape(visible_date(page.published, outlet.date_style, outlet.tz_label)),
        date_iso=page.published.isoformat(),
        share=_share(page, url),
        figure=_figure(page),
        body=_body(page, context),
        related=_related(page, context),
        year=page.published.astimezone(UTC).year,
    )


def render_front_page(outlet: DemoOutlet, context: PageContext) -> str:
    """The outlet's home page: a plain list of its visible stories."""
    items = "".join(
        f'<li><a href="{context.base_url}{page.path}">{escape(page.headline_at(context.phase))}'
        f"</a> <span>{escape(page.dek)}</span></li>"
        for page in context.siblings
        if page.http_status == 200
    )
    return template("index").substitute(
        lang=outlet.language,
        charset=outlet.encoding,
        site_name=escape(outlet.name),
        nav=_nav(outlet, context.base_url),
        items=items,
        year=2026,
        demo_notice="Sample outlet for the wirewatch demo; stories are illustrative.",
    )


def render_not_found(outlet: DemoOutlet, base_url: str) -> str:
    message = "La página que buscas no existe." if outlet.language == "es" else "Page not found."
    return template("notfound").substitute(
        lang=outlet.language,
        charset=outlet.encoding,
        site_name=escape(outlet.name),
        message=message,
        home=f"{base_url}/",
    )
