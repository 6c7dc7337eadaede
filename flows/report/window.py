"""`--since`: a duration back from now (90m, 24h, 7d, 2w) or an ISO date or date-time (UTC)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from flows.errors import WirewatchError

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DEFAULT_SINCE = "24h"


class ReportWindowError(WirewatchError):
    """--since is neither a duration nor an ISO date."""


def parse_since(text: str, now: datetime) -> datetime:
    """The window's start: `now` minus a duration, or an ISO date/date-time (UTC if naive)."""
    raw = text.strip()
    duration = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([mhdw])", raw.lower())
    if duration:
        amount = float(duration.group(1))
        if amount <= 0:
            raise ReportWindowError(f"--since {text!r}: the duration must be more than zero")
        return now - timedelta(**{_UNITS[duration.group(2)]: amount})
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ReportWindowError(
            f"--since {text!r}: expected a duration such as 24h, 7d, 90m, 2w or an ISO date "
            f"such as 2026-01-15 or 2026-01-15T08:00") from exc
    if isinstance(moment, date) and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment >= now:
        raise ReportWindowError(f"--since {text!r} is not in the past")
    return moment


def bucket_for(span: timedelta) -> str:
    """Hours for stories that span two days or less, days beyond."""
    return "hour" if span <= timedelta(days=2) else "day"
