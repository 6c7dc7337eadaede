"""Statistical named-entity recognition for Spanish and English, trained in this repository.

Public interface: `find_mentions(text, language) -> list[NerMention]` (see model.py).
Training: `python -m extractors.ner.train --lang es|en` (see train.py).
"""

from extractors.ner.crf import NerModelMissing
from extractors.ner.model import NerMention, find_mentions, has_model

__all__ = ["NerMention", "NerModelMissing", "find_mentions", "has_model"]
