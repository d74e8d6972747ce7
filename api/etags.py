"""An action's ETag names its version: a client sends it back in If-Match so that an update based on what it
read is refused (412) when someone else updated the action meanwhile."""

from __future__ import annotations

import re

ETAG = re.compile(r'^(?:W/)?"action-(\d{1,18})-v(\d{1,10})"$')


def action_etag(action) -> str:
    return f'"action-{action.pk}-v{action.version}"'


def version_from_if_match(header: str, *, action_id: int) -> int | None:
    """The version named by an If-Match header for this action, or None when it names none of its versions."""
    for candidate in header.split(","):
        match = ETAG.match(candidate.strip())
        if match and int(match.group(1)) == action_id:
            return int(match.group(2))
    return None
