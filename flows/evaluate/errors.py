"""The one error the evaluations raise for a labelled set they cannot use."""

from __future__ import annotations

from extractors.errors import WirewatchError


class LabelledSetError(WirewatchError, ValueError):
    """A labelled set is missing or malformed; the message names the file and the entry.

    Terminal until the set is fixed. Still a ValueError, as each evaluation's own copy of
    this class was before there was one."""
