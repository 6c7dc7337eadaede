"""What the ingest flow hands its stage tasks, typed so the checker sees real types.

`STAGE`'s options: a plain dict of them reads as `dict[str, object]`, which matches none of
`prefect.task`'s overloads; a TypedDict keeps each option's own type. `quoted`: Prefect's
`quote(x)` is typed as a wrapper, while the task receives `x` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict, TypeVar, cast

from prefect.cache_policies import CachePolicy
from prefect.utilities.annotations import quote

T = TypeVar("T")


class StageOptions(TypedDict):
    cache_policy: CachePolicy
    persist_result: bool
    retries: int
    retry_delay_seconds: int
    # (task, task_run, state) -> whether to retry
    retry_condition_fn: Callable[[Any, Any, Any], bool]


def quoted(value: T) -> T:
    """`quote(value)`, typed as the value: Prefect unwraps the quote before the task runs, and
    the quote spares it walking every object of a large list looking for futures."""
    return cast(T, quote(value))
