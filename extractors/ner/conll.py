"""CoNLL-2002/2003 files (`token [… columns …] TAG`, blank line between sentences) as documents.

Documents: English files are cut at `-DOCSTART-` lines. Spanish CoNLL-2002 has no document
markers; a new document starts at each EFE dateline sentence ("Madrid , 23 may ( EFE ) .",
also "Gavá ( Barcelona ) , 23 may ( EFE ) ." and "EFECOM pa-c París , 23 may ( EFE ) .")
and a document is cut after DOC_SENTENCES sentences without one, so text without datelines
becomes documents of DOC_SENTENCES sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extractors.errors import WirewatchError

DOC_SENTENCES = 20
_DATELINE = re.compile(r"^[^.]{0,80}?, \d+ \w+ \( EFE \)")
NER_TYPES = ("PER", "ORG", "LOC", "MISC")


class ConllError(WirewatchError, ValueError):
    """A CoNLL file is malformed (terminal until the file is fixed)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]  # IOB1 or IOB2 as read; see bio_spans


def read_conll(path: Path) -> list[list[Sentence]]:
    """Documents (lists of sentences) of a CoNLL file; raises ConllError with the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConllError(f"cannot read CoNLL file {path}: {error}") from error
    return _documents(_sentences(lines, path))


def _sentences(lines: Iterable[str], path: Path) -> Iterator[Sentence | None]:
    """Sentences in order; None marks a -DOCSTART- line."""
    tokens: list[str] = []
    tags: list[str] = []
    for number, raw in enumerate(lines, start=1):
        fields = raw.split()
        if fields and fields[0] == "-DOCSTART-":
            yield from _flush(tokens, tags)
            yield None
            continue
        if not fields:
            yield from _flush(tokens, tags)
            continue
        tag = fields[-1]
        if len(fields) < 2 or not _valid_tag(tag):
            raise ConllError(
                f"{path}:{number}: expected 'token … TAG' with an IOB tag, got {raw!r}"
            )
        tokens.append(fields[0])
        tags.append(tag)
    yield from _flush(tokens, tags)


def _flush(tokens: list[str], tags: list[str]) -> Iterator[Sentence]:
    if tokens:
        yield Sentence(tuple(tokens), tuple(tags))
        tokens.clear()
        tags.clear()


def _valid_tag(tag: str) -> bool:
    return tag == "O" or (tag[:2] in ("B-", "I-", "L-", "U-") and len(tag) > 2)


def _documents(items: Iterable[Sentence | None]) -> list[list[Sentence]]:
    documents: list[list[Sentence]] = []
    current: list[Sentence] = []
    has_docstart = False
    for item in items:
        if item is None:
            has_docstart = True
            if current:
                documents.append(current)
            current = []
            continue
        starts_new = not has_docstart and (
            _DATELINE.match(" ".join(item.tokens)) or len(current) >= DOC_SENTENCES
        )
        if starts_new and current:
            documents.append(current)
            current = []
        current.append(item)
    if current:
        documents.append(current)
    return documents


def bio_spans(tags: Iterable[str]) -> list[tuple[str, int, int]]:
    """(type, first token, end token) of each entity; reads IOB1, IOB2 and BILOU alike.

    B- and U- start an entity, as does an I- or L- tag whose type differs from the running
    one; L- and U- also end it.
    """
    spans: list[tuple[str, int, int]] = []
    current: tuple[str, int] | None = None
    index = -1
    for index, tag in enumerate(tags):
        prefix, kind = (tag[0], tag[2:]) if tag != "O" else ("O", None)
        continues = current is not None and prefix in "IL" and kind == current[0]
        if current is not None and not continues:
            spans.append((current[0], current[1], index))
            current = None
        if kind is not None and not continues:
            current = (kind, index)
        if current is not None and prefix in "LU":
            spans.append((current[0], current[1], index + 1))
            current = None
    if current is not None:
        spans.append((current[0], current[1], index + 1))
    return spans


def document_text(
    sentences: Iterable[Sentence],
) -> tuple[str, list[tuple[str, int, int]]]:
    """A CoNLL document as running text (one space between tokens, a line break between
    sentences) and its gold names as (type, start, end) character spans in that text."""
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    position = 0
    for sentence in sentences:
        starts = []
        for token in sentence.tokens:
            starts.append(position)
            position += len(token) + 1
        for kind, first, stop in bio_spans(sentence.tags):
            last = stop - 1
            spans.append((kind, starts[first], starts[last] + len(sentence.tokens[last])))
        parts.append(" ".join(sentence.tokens))
    return "\n".join(parts), spans
