"""Topic evidence is the same in every process: no order taken from Python's salted hashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# "narcotics" is matched by two terms of the taxonomy at once ("narcotics" and "narco*"):
# the order those two labels were counted in used to follow the process's string hash.
TEXT = ("Federal agents seized narcotics at the border crossing on Tuesday. The narcotics "
        "were hidden in a truck bound for Texas, officials in Mexico said. " * 3)
PROGRAM = (
    "import json, sys\n"
    "from extractors.tagging import tag_article\n"
    "tags = tag_article(sys.argv[1], 'Narcotics seized at the border', 'en')\n"
    "print(json.dumps([[t.topic, list(t.evidence)] for t in tags.topics]))\n"
)


def _evidence_with_seed(seed: str) -> list[list[object]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", PROGRAM, TEXT], env=env, check=True,
                          capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)


def test_topic_evidence_order_does_not_depend_on_the_hash_seed() -> None:
    runs = [_evidence_with_seed(seed) for seed in ("1", "2", "3", "4")]
    labels = [label for _, evidence in runs[0] for label in evidence]
    assert any("narco" in label for label in labels), runs[0]  # the tie is exercised
    assert all(run == runs[0] for run in runs[1:])
