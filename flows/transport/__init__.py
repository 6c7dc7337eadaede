"""HTTP fetching for wirewatch: one seam for all network I/O (see docs/fetching.md)."""

from flows.transport.addresses import Resolver, system_resolver
from flows.transport.client import Fetcher, fetch_all_sync
from flows.transport.pinning import ConnectAttempt
from flows.transport.policy import FetchPolicy, FetchRequest, FetchResult

__all__ = [
    "ConnectAttempt",
    "FetchPolicy",
    "FetchRequest",
    "FetchResult",
    "Fetcher",
    "Resolver",
    "fetch_all_sync",
    "system_resolver",
]
