"""The bundled demo: sample outlets served on 127.0.0.1 and the facts of what they publish.

with DemoSite(phase=3) as site:
    config_text = site.outlets_toml()
    facts = expected_demo_facts(site.phase)
"""

from flows.demo.manifest import (
    DEMO_AGENCY_ALIASES,
    DemoFacts,
    FeedFact,
    OutletFact,
    PageFact,
    expected_demo_facts,
)
from flows.demo.server import DemoSite

__all__ = [
    "DEMO_AGENCY_ALIASES",
    "DemoFacts",
    "DemoSite",
    "FeedFact",
    "OutletFact",
    "PageFact",
    "expected_demo_facts",
]
