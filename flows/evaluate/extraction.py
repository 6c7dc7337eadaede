"""`wirewatch evaluate extraction`: article extraction measured against labelled pages.

Two sources of labelled pages, both Spanish and English, with menus, cookie banners, share
bars, captions, related lists and inline teasers around the body:

* the bundled demo's article pages, rendered in-process exactly as its server sends them,
  with the gold facts from `flows.demo.expected_demo_facts` (body text, title, author, date);
* hand-written pages in `data_dir` (default flows/evaluate/data/extraction): `NAME.html`
  beside `NAME.json` (see docs/extraction-evaluation.md for the label format).

Every page goes through the real `extract_article`, and through trafilatura alone (same
decoding, its default settings, no teaser removal) as the baseline. Body text is scored as a
bag of normalised words (`extractors.hashing.normalise_text`), micro- and macro-averaged.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import trafilatura

from extractors.article import extract_article
from extractors.charset import declared_html_charset, decode_body
from extractors.hashing import normalise_text
from extractors.records import ExtractedArticle
from flows.demo import expected_demo_facts
from flows.demo.catalog import FINAL_PHASE, build_pages
from flows.demo.outlets_data import outlet_by_id
from flows.demo.responses import outlet_reply
from flows.evaluate import metrics
from flows.evaluate.errors import LabelledSetError

DEFAULT_DATA_DIR = Path(__file__).with_name("data") / "extraction"
DATE_TOLERANCE = timedelta(minutes=1)
# Extraction rejects dates more than a day after "now"; the labelled pages are all older.
EVALUATION_NOW = datetime(2026, 6, 1, tzinfo=UTC)
SYSTEMS = ("ours", "trafilatura")
LABEL_FIELDS = ("url", "title", "author", "published", "language", "text")


@dataclass(frozen=True, slots=True)
class LabelledPage:
    page_id: str  # "demo:<key>" or "file:<stem>"
    source: str  # demo | written
    url: str
    html: bytes
    charset: str | None  # what the HTTP Content-Type would say
    language: str
    title: str
    author: str | None
    published: datetime  # UTC
    text: str  # gold body: paragraphs separated by blank lines


@dataclass(frozen=True, slots=True)
class TokenCounts:
    """Bag-of-words overlap of one extracted body with its gold body."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return metrics.ratio(self.tp, self.tp + self.fp, empty=0.0)

    @property
    def recall(self) -> float:
        return metrics.ratio(self.tp, self.tp + self.fn, empty=0.0)

    @property
    def f1(self) -> float:
        return metrics.f1(self.precision, self.recall)


@dataclass(frozen=True, slots=True)
class BodyScore:
    pages: int
    micro: TokenCounts
    macro_precision: float
    macro_recall: float
    macro_f1: float


@dataclass(frozen=True, slots=True)
class PageResult:
    page_id: str
    source: str
    language: str
    ours: TokenCounts
    trafilatura: TokenCounts
    title_ok: bool
    author_ok: bool | None  # None: the page has no gold author
    date_ok: bool
    language_ok: bool
    problems: tuple[str, ...]  # metadata mismatches and extraction failures, for reading


@dataclass(frozen=True, slots=True)
class ExtractionReport:
    results: tuple[PageResult, ...]

    @property
    def pages(self) -> int:
        return len(self.results)

    def pages_by_language(self) -> dict[str, int]:
        return dict(sorted(Counter(r.language for r in self.results).items()))

    def pages_by_source(self) -> dict[str, int]:
        return dict(sorted(Counter(r.source for r in self.results).items()))

    def body(self, system: str = "ours", language: str | None = None,
             source: str | None = None) -> BodyScore:
        """Token scores of `system` ("ours" or "trafilatura"), optionally for one language
        (es, en) or one source of pages (demo, written)."""
        if system not in SYSTEMS:
            raise ValueError(f"system must be one of {SYSTEMS}, got {system!r}")
        chosen = [getattr(r, system) for r in self.results
                  if (language is None or r.language == language)
                  and (source is None or r.source == source)]
        return _body_score(chosen)

    @property
    def title_accuracy(self) -> float:
        return _share(r.title_ok for r in self.results)

    @property
    def author_accuracy(self) -> float:
        return _share(r.author_ok for r in self.results if r.author_ok is not None)

    @property
    def authored_pages(self) -> int:
        return sum(r.author_ok is not None for r in self.results)

    @property
    def date_accuracy(self) -> float:
        return _share(r.date_ok for r in self.results)

    @property
    def language_accuracy(self) -> float:
        return _share(r.language_ok for r in self.results)

    @property
    def f1_gain(self) -> float:
        """How much our extraction raises micro F1 over trafilatura alone."""
        return self.body("ours").micro.f1 - self.body("trafilatura").micro.f1


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def _body_score(counts: list[TokenCounts]) -> BodyScore:
    n = len(counts)
    micro = TokenCounts(sum(c.tp for c in counts), sum(c.fp for c in counts),
                        sum(c.fn for c in counts))
    return BodyScore(
        pages=n, micro=micro,
        macro_precision=sum(c.precision for c in counts) / n if n else 0.0,
        macro_recall=sum(c.recall for c in counts) / n if n else 0.0,
        macro_f1=sum(c.f1 for c in counts) / n if n else 0.0,
    )


def token_counts(extracted: str | None, gold: str) -> TokenCounts:
    """Multiset overlap of normalised words: a repeated word counts as often as it appears."""
    got = Counter(normalise_text(extracted or "").split())
    want = Counter(normalise_text(gold).split())
    tp = sum((got & want).values())
    return TokenCounts(tp=tp, fp=sum(got.values()) - tp, fn=sum(want.values()) - tp)


# --- labelled pages -------------------------------------------------------------------------


def demo_pages() -> list[LabelledPage]:
    """The demo's article pages that should extract, rendered as its server would send them."""
    every_page = build_pages()
    labelled = []
    for fact in expected_demo_facts(FINAL_PHASE).extractable:
        outlet = outlet_by_id(fact.outlet_id)
        base_url = f"https://{outlet.id}.example"
        siblings = [p for p in every_page if p.outlet.id == outlet.id]
        reply = outlet_reply(outlet, siblings, fact.path, (base_url, FINAL_PHASE))
        if reply.status != 200:
            raise LabelledSetError(f"demo page {fact.key} answered HTTP {reply.status}")
        labelled.append(LabelledPage(
            page_id=f"demo:{fact.key}", source="demo", url=base_url + fact.path, html=reply.body,
            charset=outlet.encoding, language=fact.language, title=fact.title,
            author=fact.author, published=fact.published_at, text=fact.text,
        ))
    return labelled


def written_pages(data_dir: Path) -> list[LabelledPage]:
    """Hand-labelled pages: every NAME.json in `data_dir` with its NAME.html."""
    pages = []
    for label_path in sorted(Path(data_dir).glob("*.json")):
        html_path = label_path.with_suffix(".html")
        if not html_path.is_file():
            raise LabelledSetError(f"{label_path.name}: no {html_path.name} beside it")
        pages.append(_written_page(label_path, html_path.read_bytes()))
    return pages


def _written_page(label_path: Path, html: bytes) -> LabelledPage:
    try:
        label = json.loads(label_path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelledSetError(f"{label_path.name}: not valid JSON ({exc})") from exc
    missing = [name for name in LABEL_FIELDS if name not in label]
    if missing:
        raise LabelledSetError(f"{label_path.name}: missing {', '.join(missing)}")
    try:
        published = datetime.fromisoformat(label["published"])
    except (TypeError, ValueError) as exc:
        raise LabelledSetError(f"{label_path.name}: published is not an ISO 8601 time") from exc
    if published.tzinfo is None:
        raise LabelledSetError(f"{label_path.name}: published has no UTC offset")
    text = label["text"]
    if not isinstance(text, list) or not all(isinstance(p, str) and p for p in text):
        raise LabelledSetError(f"{label_path.name}: text must be a list of paragraphs")
    return LabelledPage(
        page_id=f"file:{label_path.stem}", source="written", url=label["url"], html=html,
        charset=label.get("charset"), language=label["language"], title=label["title"],
        author=label["author"], published=published.astimezone(UTC), text="\n\n".join(text),
    )


def load_labelled(data_dir: Path | None = None, *, include_demo: bool = True
                  ) -> list[LabelledPage]:
    if data_dir is not None and not Path(data_dir).is_dir():
        raise LabelledSetError(f"labelled pages folder {data_dir} does not exist")
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    pages = demo_pages() if include_demo else []
    return pages + written_pages(folder)


# --- scoring --------------------------------------------------------------------------------


def trafilatura_alone(page: LabelledPage) -> str | None:
    """The baseline: trafilatura with its default settings on the same decoded text."""
    decoded = decode_body(page.html, [page.charset, declared_html_charset(page.html)]).text
    return trafilatura.extract(decoded, url=page.url, include_comments=False)


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and normalise_text(a) == normalise_text(b)


def score_page(page: LabelledPage) -> PageResult:
    article = extract_article(page.html, page.url, charset=page.charset, now=EVALUATION_NOW)
    published = article.published.value if article.published else None
    date_ok = published is not None and abs(published - page.published) <= DATE_TOLERANCE
    author_ok = None if page.author is None else _same(article.author, page.author)
    result = PageResult(
        page_id=page.page_id, source=page.source, language=page.language,
        ours=token_counts(article.text, page.text),
        trafilatura=token_counts(trafilatura_alone(page), page.text),
        title_ok=_same(article.title, page.title), author_ok=author_ok, date_ok=date_ok,
        language_ok=article.language == page.language, problems=(),
    )
    return _with_problems(result, page, article)


def _with_problems(result: PageResult, page: LabelledPage,
                   article: ExtractedArticle) -> PageResult:
    problems = []
    if article.status != "extracted":
        problems.append(f"status {article.status}: {article.reason}")
    if not result.title_ok:
        problems.append(f"title {article.title!r}, expected {page.title!r}")
    if result.author_ok is False:
        problems.append(f"author {article.author!r}, expected {page.author!r}")
    if not result.date_ok:
        got = (f"{article.published.value.isoformat()} ({article.published.source})"
               if article.published else "none")
        problems.append(f"published {got}, expected {page.published.isoformat()}")
    if not result.language_ok:
        problems.append(f"language {article.language!r}, expected {page.language!r}")
    return replace(result, problems=tuple(problems))


def evaluate(data_dir: Path | None = None, *, include_demo: bool = True) -> ExtractionReport:
    """Extract every labelled page (demo pages and those in `data_dir`) and score it."""
    pages = load_labelled(data_dir, include_demo=include_demo)
    if not pages:
        raise LabelledSetError("no labelled pages to evaluate")
    return ExtractionReport(results=tuple(score_page(page) for page in pages))


# --- report ---------------------------------------------------------------------------------


def _body_rows(report: ExtractionReport) -> list[tuple[str, ...]]:
    groups: list[tuple[str, dict[str, str]]] = [("all", {})]
    groups += [(language, {"language": language}) for language in report.pages_by_language()]
    groups += [(f"{source} pages", {"source": source}) for source in report.pages_by_source()]
    rows: list[tuple[str, ...]] = []
    for name, selection in groups:
        for system in SYSTEMS:
            score = report.body(system, **selection)
            rows.append((name, system, str(score.pages),
                         f"{score.micro.precision:.3f}", f"{score.micro.recall:.3f}",
                         f"{score.micro.f1:.3f}", f"{score.macro_f1:.3f}"))
    return rows


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
              for row in rows]
    return [line.rstrip() for line in lines]


def format_report(report: ExtractionReport) -> str:
    """Plain-text tables: body scores (ours vs trafilatura alone), then metadata accuracy."""
    by_language = ", ".join(f"{lang} {n}" for lang, n in report.pages_by_language().items())
    out = [f"labelled pages: {report.pages} ({by_language})", ""]
    out += _table(("pages", "system", "count", "precision", "recall", "micro F1",
                   "macro F1"), _body_rows(report))
    out += ["", f"teaser removal and clean-up raise micro F1 by {report.f1_gain:+.3f} "
            "over trafilatura alone", ""]
    total = report.pages
    correct = {
        "title": (sum(r.title_ok for r in report.results), total),
        "author": (sum(bool(r.author_ok) for r in report.results), report.authored_pages),
        "published (within 1 min, UTC)": (sum(r.date_ok for r in report.results), total),
        "language": (sum(r.language_ok for r in report.results), total),
    }
    out += _table(("field", "accuracy", "correct"), [
        (name, f"{hit / n:.3f}" if n else "n/a", f"{hit}/{n}")
        for name, (hit, n) in correct.items()])
    worst = sorted(report.results, key=lambda r: r.ours.f1)[:5]
    out += ["", "lowest body F1 (ours / trafilatura alone):"]
    out += [f"  {r.page_id}: {r.ours.f1:.3f} / {r.trafilatura.f1:.3f}" for r in worst]
    out += [f"{r.page_id}: {problem}" for r in report.results for problem in r.problems]
    return "\n".join(out)


if __name__ == "__main__":
    print(format_report(evaluate()))
