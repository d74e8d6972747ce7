"""What an action's timeline shows besides its status updates: entries that higher apps contribute.

The action page lives here, below the apps that record more about an action (the board's decisions live in
`reviews`). Those apps register a source when they load (`AppConfig.ready`), so this app never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Action, StatusUpdate


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to an action, other than a status update, as the timeline shows it."""

    created_at: datetime
    title: str
    byline: str
    text: str = ""
    is_entry: bool = True


TimelineSource = Callable[["Action"], Iterable[TimelineEntry]]
_sources: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Add a source of timeline entries (usable as a decorator); registering the same source twice is a no-op."""
    if source not in _sources:
        _sources.append(source)
    return source


def timeline_with_entries(*, action: Action, updates: Iterable[StatusUpdate]) -> list:
    """The action's status updates and every registered source's entries, the latest to happen first (a status
    update brought in afterwards takes its place by the day it happened)."""
    items: list = list(updates)
    for source in _sources:
        items.extend(source(action))
    return sorted(items, key=lambda item: getattr(item, "effective_at", None) or item.created_at, reverse=True)
