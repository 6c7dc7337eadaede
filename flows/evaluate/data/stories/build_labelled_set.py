"""Build articles.jsonl, the labelled story set, from the hand-written stories_*.toml.

Originals, translations, credited rewrites and hard negatives are written by hand in the
TOML files. This script only makes the mechanical copies an outlet makes of wire copy:
- teaser: the opening sentence or two, as an RSS summary carries it (no credit);
- trimmed: the first ~60% of the paragraphs, re-credited in the outlet's style;
- relead: a new headline and a new first paragraph over the rest of the text;
- exact: the agency's text republished unchanged.
Copies are dealt to the outlets of the story's language in rotation, each outlet adding its
own credit style and furniture. Run: python flows/evaluate/data/stories/build_labelled_set.py
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
TAGS = {"ap": "AP", "reuters": "Reuters", "efe": "EFE", "afp": "AFP", "dw": "DW"}
NAMES = {"ap": "AP", "reuters": "Reuters", "efe": "EFE", "afp": "AFP", "dw": "DW",
         "milenio": "Milenio", "noticias_frontera": "Noticias de la Frontera"}
COPY_HOURS = {"teaser": 0.5, "exact": 1.0, "trimmed": 1.5, "relead": 3.0}
LATE_ORIGINAL_DELAY = timedelta(hours=30)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ\"“¿¡])")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.strip().split("\n\n") if p.strip()]


def dateline(story: dict, agency: str, language: str) -> str:
    dash = ").- " if language == "es" else ") — "
    return f"{story['place']} ({TAGS[agency]}{dash}"


def original_paragraphs(story: dict) -> list[str]:
    body = paragraphs(story["text"])
    if story.get("dateline", True) and story["agency"] in TAGS:
        body[0] = dateline(story, story["agency"], story["language"]) + body[0]
    return body


def credited_copy(story: dict, outlet: dict, body: list[str]) -> tuple[list[str], str]:
    """The copy's paragraphs with the outlet's credit added, and the agency it credits."""
    agency, lang, style = story["agency"], story["language"], outlet.get("credit")
    name = NAMES.get(agency, agency)
    body = list(body)
    if style == "agencies":
        if lang == "es":
            body.append("Con información de agencias.")
        else:
            body[0] = body[0].rstrip(".") + ", as reported by international news agencies."
        return body, "agencies"
    if style == "dateline" and agency in TAGS:
        place = story.get("place", "Monterrey")
        body[0] = dateline({"place": place}, agency, lang) + body[0]
    elif style == "byline" and agency in TAGS:
        body.insert(0, f"Por {TAGS[agency]}")
    elif style == "according":
        body[0] = body[0].rstrip(".") + f", according to a report by {name}."
    else:
        body.append(f"Con información de {name}." if lang == "es"
                    else f"With information from {name}.")
    return body, agency


def teaser(story: dict, origin: dict) -> str:
    """The first sentence(s) of the story itself (never the origin outlet's furniture)."""
    furniture = {*origin.get("header", []), *origin.get("footer", [])}
    first = next(p for p in paragraphs(story["text"]) if p not in furniture)
    sentences = _SENTENCE_END.split(first)
    text = sentences[0]
    if len(text.split()) < 20 and len(sentences) > 1:
        text += " " + sentences[1]
    return text


def furnished(outlet: dict, body: list[str]) -> str:
    return "\n".join([*outlet.get("header", []), *body, *outlet.get("footer", [])])


def make_copy(story: dict, edit: str, outlet: dict, origin: dict) -> dict:
    body = paragraphs(story["text"])
    title = story["title"]
    if edit == "teaser":
        return {"title": title, "text": teaser(story, origin), "credited": None}
    if edit == "exact":
        credited = story["agency"] if story.get("dateline", True) else None
        return {"title": title, "text": "\n".join(original_paragraphs(story)),
                "credited": credited}
    if edit == "trimmed":
        body = body[: max(2, math.ceil(len(body) * 0.6))]
    elif edit == "relead":
        title, body = story["relead_title"], [story["relead"], *body[1:]]
    body, credited = credited_copy(story, outlet, body)
    return {"title": title, "text": furnished(outlet, body), "credited": credited}


def build() -> list[dict]:
    outlets = {o["id"]: o for o in tomllib.loads((HERE / "outlets.toml").read_text())["outlet"]}
    copiers = {
        lang: sorted(o for o, v in outlets.items() if v.get("credit") and v["language"] == lang)
        for lang in ("es", "en")
    }
    rows: list[dict] = []
    for n, story in enumerate(load_stories()):
        rows += story_rows(n, story, outlets, copiers[story["language"]])
    return rows


def load_stories() -> list[dict]:
    stories: list[dict] = []
    for path in sorted(HERE.glob("stories_*.toml")):
        stories += tomllib.loads(path.read_text())["story"]
    return stories


def story_rows(n: int, story: dict, outlets: dict, copiers: list[str]) -> list[dict]:
    published = datetime.fromisoformat(story["published"].replace("Z", "+00:00"))
    base = {"story": story["id"], "hard_negative": story.get("hard_negative")}
    original_credit = story["agency"] if story.get("dateline", True) and story[
        "agency"] in TAGS else None
    discovered = published + (LATE_ORIGINAL_DELAY if story.get("late_original") else
                              timedelta(minutes=10))
    rows = [{**base, "article_id": f"{story['id']}-original-{story['agency']}",
             "outlet_id": story["agency"], "language": story["language"],
             "title": story["title"], "text": "\n".join(original_paragraphs(story)),
             "edit": "original", "credited": original_credit, "canonical": True,
             "published_at": published.isoformat(), "discovered_at": discovered.isoformat()}]
    for k, edit in enumerate(story.get("copies", [])):
        outlet_id = copiers[(n + k) % len(copiers)]
        if outlet_id == story["agency"]:
            outlet_id = copiers[(n + k + 1) % len(copiers)]
        when = published + timedelta(hours=COPY_HOURS[edit])
        rows.append({**base, **make_copy(story, edit, outlets[outlet_id],
                                         outlets[story["agency"]]),
                     "article_id": f"{story['id']}-{edit}-{outlet_id}", "outlet_id": outlet_id,
                     "language": story["language"], "edit": edit, "canonical": False,
                     "published_at": when.isoformat(),
                     "discovered_at": (when + timedelta(minutes=10)).isoformat()})
    for manual in story.get("manual", []):
        when = published + timedelta(hours=manual["hours"])
        rows.append({**base, "article_id": f"{story['id']}-{manual['kind']}-{manual['outlet']}",
                     "outlet_id": manual["outlet"], "language": manual["language"],
                     "title": manual["title"], "text": "\n".join(paragraphs(manual["text"])),
                     "edit": manual["kind"], "credited": manual.get("credited"),
                     "canonical": False, "published_at": when.isoformat(),
                     "discovered_at": (when + timedelta(minutes=10)).isoformat()})
    return rows


def main() -> None:
    rows = build()
    with (HERE / "articles.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles, {len({r['story'] for r in rows})} stories")


if __name__ == "__main__":
    main()
