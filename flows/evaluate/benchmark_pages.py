"""`wirewatch evaluate extraction --pages DIR`: extraction scored on a public benchmark's pages.

The folder is in WCXB's layout: `html/NNNN.html.gz` (the page as served, gzip) beside
`ground-truth/NNNN.json` (`url`, and under `ground_truth`: `main_content`, `title`, `author`,
`publish_date`, `with`, `without`). Every page goes through the pipeline's own page
processing (`extract_article` with no feed item); its text counts only when the pipeline
would keep the page (status "extracted").

Scoring is the benchmark's: words are `\\w+` runs of the lower-cased text, counted as a bag;
precision, recall and F1 per page, averaged over pages; an empty extraction of a page with
content scores 0. `with` snippets found and `without` snippets avoided are shares of all
snippets (a snippet is found when its `\\w+` words occur in that order, joined by
single spaces, in the extracted text's). Title and author are right when
their word sequences equal the truth's; the date when its day equals `publish_date`, the
day being the publisher's own where the page stated an offset with the time (the benchmark
labels the day the page shows; the instant, stored in UTC, is the same either way).
"dateless ok" is the share of pages without a `publish_date` that state no date at all
(flows/evaluate/dateless.py) on which no date is given.

With `baseline=True` the same pages also go through bare `trafilatura.extract(html, url=url,
include_comments=False)` and `trafilatura.extract_metadata`, in the same process, so that
quality and CPU per page can be compared within one run.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from extractors.article import extract_article
from extractors.errors import WirewatchError
from flows.evaluate.dateless import date_evidence

WORD = re.compile(r"\w+")
SYSTEM_OURS = "wirewatch"
SYSTEM_BARE = "trafilatura"


class BenchmarkSetError(WirewatchError, ValueError):
    """The pages folder is missing or not in the expected layout."""


@dataclass(frozen=True, slots=True)
class BenchmarkPage:
    file_id: str
    url: str
    html: bytes
    text: str
    title: str | None
    author: str | None
    published: str | None  # "YYYY-MM-DD", or "YYYY-MM" / "YYYY" where the truth is partial
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageOutput:
    """What one system gave for one page; `text` None where the page would not be kept."""

    file_id: str
    text: str | None
    title: str | None
    author: str | None
    published: datetime | None  # aware, in the zone the page stated (UTC when none)
    cpu_s: float
    metadata_cpu_s: float = 0.0
    published_day: date | None = None  # the publisher's day; default: `published`'s own

    def day(self) -> date | None:
        if self.published_day is not None:
            return self.published_day
        return self.published.date() if self.published else None

    def as_json(self) -> dict[str, str | None]:
        return {"file_id": self.file_id, "text": self.text, "title": self.title,
                "author": self.author,
                "published": self.published.isoformat() if self.published else None}


@dataclass(frozen=True, slots=True)
class PageScore:
    precision: float
    recall: float
    f1: float
    with_found: int
    with_total: int
    without_avoided: int
    without_total: int
    title_ok: bool | None  # None: no truth given
    author_ok: bool | None
    date_ok: bool | None
    stated_no_date: bool
    gave_date: bool
    dateless: bool = False  # the page states no date at all (flows/evaluate/dateless.py)


@dataclass(frozen=True, slots=True)
class SystemSummary:
    """Means over pages for one system."""

    pages: int
    f1: float
    precision: float
    recall: float
    with_found: float
    without_avoided: float
    title_accuracy: float | None
    author_accuracy: float | None
    date_accuracy: float | None
    dated_pages: int
    no_date_given_when_none_stated: float | None
    undated_pages: int
    no_date_given_on_dateless: float | None
    dateless_pages: int
    kept_pages: int
    cpu_ms_per_page: float
    metadata_cpu_ms_per_page: float

    def as_json(self) -> dict[str, float | int | None]:
        return {name: getattr(self, name) for name in self.__slots__}


# --- loading ----------------------------------------------------------------------------------


def benchmark_file_ids(folder: Path) -> list[str]:
    """The file ids with both a page and a ground truth, in order."""
    html_dir, truth_dir = Path(folder) / "html", Path(folder) / "ground-truth"
    if not html_dir.is_dir() or not truth_dir.is_dir():
        raise BenchmarkSetError(f"{folder}: expected html/ and ground-truth/ folders inside")
    ids = sorted(p.name.removesuffix(".html.gz") for p in html_dir.glob("*.html.gz"))
    present = [i for i in ids if (truth_dir / f"{i}.json").is_file()]
    if not present:
        raise BenchmarkSetError(f"{folder}: no html/NNNN.html.gz with a ground-truth/NNNN.json")
    return present


def load_benchmark_page(folder: Path, file_id: str) -> BenchmarkPage:
    folder = Path(folder)
    truth_path = folder / "ground-truth" / f"{file_id}.json"
    try:
        html = gzip.decompress((folder / "html" / f"{file_id}.html.gz").read_bytes())
        label = json.loads(truth_path.read_text("utf-8"))
        truth = label["ground_truth"]
        return BenchmarkPage(
            file_id=file_id, url=label.get("url") or "", html=html,
            text=truth.get("main_content") or "",
            title=truth.get("title") or None, author=truth.get("author") or None,
            published=_day(truth.get("publish_date")),
            with_snippets=tuple(truth.get("with") or ()),
            without_snippets=tuple(truth.get("without") or ()),
        )
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise BenchmarkSetError(f"page {file_id}: unreadable ({exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise BenchmarkSetError(f"{truth_path.name}: not a ground-truth file ({exc!r})") from exc


ISO_DAY = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _day(value: str | None) -> str | None:
    """The truth's date to the day (or the month or year it gives); None when not stated."""
    if not value:
        return None
    match = ISO_DAY.match(value.strip())
    if not match:
        raise BenchmarkSetError(f"publish_date {value!r} is not an ISO date")
    return match.group(0)


# --- systems ----------------------------------------------------------------------------------


def run_pipeline(page: BenchmarkPage, now: datetime) -> PageOutput:
    """The pipeline's page processing with no feed item, CPU-timed."""
    started = time.process_time()
    # A page without a recorded address gets one that names it and leads nowhere.
    article = extract_article(page.html, page.url or f"https://page.invalid/{page.file_id}",
                              now=now)
    cpu = time.process_time() - started
    kept = article.status == "extracted"
    return PageOutput(
        file_id=page.file_id, text=article.text if kept else None, title=article.title,
        author=article.author,
        published=article.published.local() if article.published else None,
        published_day=article.published.day() if article.published else None,
        cpu_s=cpu)


def run_bare(page: BenchmarkPage) -> PageOutput:
    """Bare trafilatura with its default settings, as a new user would call it."""
    import trafilatura

    started = time.process_time()
    text = trafilatura.extract(page.html, url=page.url or None, include_comments=False)
    middle = time.process_time()
    metadata = trafilatura.extract_metadata(page.html, default_url=page.url or None)
    ended = time.process_time()
    published = None
    if metadata is not None and metadata.date:
        published = datetime.fromisoformat(metadata.date[:10]).replace(tzinfo=UTC)
    return PageOutput(
        file_id=page.file_id, text=text or None,
        title=metadata.title if metadata else None, author=metadata.author if metadata else None,
        published=published, cpu_s=middle - started, metadata_cpu_s=ended - middle)


# --- scoring ----------------------------------------------------------------------------------


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def word_scores(extracted: str | None, truth: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of the bags of words; empty extraction of real content is 0."""
    got, want = Counter(words(extracted)), Counter(words(truth))
    if not want:
        return (1.0, 1.0, 1.0) if not got else (0.0, 1.0, 0.0)
    if not got:
        return 0.0, 0.0, 0.0
    overlap = sum((got & want).values())
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def _loose(text: str) -> str:
    """The text's words joined by single spaces: punctuation and spacing do not matter."""
    return " ".join(words(text))


def _same_words(got: str | None, truth: str | None) -> bool | None:
    if truth is None:
        return None
    return got is not None and words(got) == words(truth)


def score_page(page: BenchmarkPage, output: PageOutput, *, dateless: bool = False
               ) -> PageScore:
    precision, recall, f1 = word_scores(output.text, page.text)
    loose = _loose(output.text or "")
    got_day = output.day()
    return PageScore(
        precision=precision, recall=recall, f1=f1,
        with_found=sum(_loose(s) in loose for s in page.with_snippets),
        with_total=len(page.with_snippets),
        without_avoided=sum(_loose(s) not in loose for s in page.without_snippets),
        without_total=len(page.without_snippets),
        title_ok=_same_words(output.title, page.title),
        author_ok=_same_words(output.author, page.author),
        date_ok=None if page.published is None else (
            got_day is not None and got_day.isoformat().startswith(page.published)),
        stated_no_date=page.published is None, gave_date=got_day is not None,
        dateless=dateless,
    )


def summarise(pairs: Sequence[tuple[PageOutput, PageScore]]) -> SystemSummary:
    scores = [s for _, s in pairs]
    n = len(scores) or 1
    undated = [s for s in scores if s.stated_no_date]
    dateless = [s for s in scores if s.dateless]
    return SystemSummary(
        pages=len(scores), f1=sum(s.f1 for s in scores) / n,
        precision=sum(s.precision for s in scores) / n,
        recall=sum(s.recall for s in scores) / n,
        with_found=_rate(sum(s.with_found for s in scores), sum(s.with_total for s in scores)),
        without_avoided=_rate(sum(s.without_avoided for s in scores),
                              sum(s.without_total for s in scores)),
        title_accuracy=_share(s.title_ok for s in scores),
        author_accuracy=_share(s.author_ok for s in scores),
        date_accuracy=_share(s.date_ok for s in scores),
        dated_pages=sum(s.date_ok is not None for s in scores),
        no_date_given_when_none_stated=_share(not s.gave_date for s in undated),
        undated_pages=len(undated),
        no_date_given_on_dateless=_share(not s.gave_date for s in dateless),
        dateless_pages=len(dateless),
        kept_pages=sum(o.text is not None for o, _ in pairs),
        cpu_ms_per_page=1000 * sum(o.cpu_s for o, _ in pairs) / n,
        metadata_cpu_ms_per_page=1000 * sum(o.metadata_cpu_s for o, _ in pairs) / n,
    )


def _rate(hit: int, total: int) -> float:
    return hit / total if total else 1.0


def _share(flags: Iterable[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return sum(known) / len(known) if known else None


# --- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchmarkRun:
    folder: str
    summaries: dict[str, SystemSummary]
    outputs: tuple[PageOutput, ...]  # the pipeline's, one per page, in file order

    def as_json(self) -> dict:
        return {"pages_dir": self.folder,
                "systems": {name: s.as_json() for name, s in self.summaries.items()}}


def evaluate_pages(folder: Path, *, baseline: bool = False,
                   file_ids: Sequence[str] | None = None,
                   progress: Callable[[int, int], None] | None = None) -> BenchmarkRun:
    """Score the pipeline (and bare trafilatura when `baseline`) on the folder's pages."""
    if not Path(folder).is_dir():
        raise BenchmarkSetError(f"pages folder {folder} does not exist")
    ids = list(file_ids) if file_ids is not None else benchmark_file_ids(Path(folder))
    now = datetime.now(UTC)
    ours: list[tuple[PageOutput, PageScore]] = []
    bare: list[tuple[PageOutput, PageScore]] = []
    for done, file_id in enumerate(ids, 1):
        page = load_benchmark_page(Path(folder), file_id)
        output = run_pipeline(page, now)
        dateless = page.published is None and date_evidence(page.html, page.url) is None
        ours.append((output, score_page(page, output, dateless=dateless)))
        if baseline:
            reference = run_bare(page)
            bare.append((reference, score_page(page, reference, dateless=dateless)))
        if progress:
            progress(done, len(ids))
    summaries = {SYSTEM_OURS: summarise(ours)}
    if baseline:
        summaries[SYSTEM_BARE] = summarise(bare)
    return BenchmarkRun(folder=str(folder), summaries=summaries,
                        outputs=tuple(o for o, _ in ours))


def write_outputs(run: BenchmarkRun, path: Path) -> None:
    with Path(path).open("w", encoding="utf-8") as out:
        for output in run.outputs:
            out.write(json.dumps(output.as_json(), ensure_ascii=False) + "\n")


def format_run(run: BenchmarkRun) -> str:
    header = ("system", "pages", "F1", "P", "R", "with", "without", "title", "author", "date",
              "no-date ok", "dateless ok", "kept", "CPU ms/page")
    rows = [header]
    for name, s in run.summaries.items():
        cpu = f"{s.cpu_ms_per_page:.1f}"
        if s.metadata_cpu_ms_per_page:
            cpu += f" (+{s.metadata_cpu_ms_per_page:.1f} metadata)"
        rows.append((name, str(s.pages), f"{s.f1:.3f}", f"{s.precision:.3f}",
                     f"{s.recall:.3f}", f"{s.with_found:.3f}", f"{s.without_avoided:.3f}",
                     _fmt(s.title_accuracy), _fmt(s.author_accuracy),
                     f"{_fmt(s.date_accuracy)} of {s.dated_pages}",
                     f"{_fmt(s.no_date_given_when_none_stated)} of {s.undated_pages}",
                     f"{_fmt(s.no_date_given_on_dateless)} of {s.dateless_pages}",
                     str(s.kept_pages), cpu))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return f"pages: {run.folder}\n" + "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
