"""The board's decisions on each action's timeline (registered with `actions.timeline` when the app loads)."""

from __future__ import annotations

from actions.models import Action
from actions.timeline import TimelineEntry, register_timeline_source

from .models import BoardDecision


@register_timeline_source
def board_decisions(action: Action) -> list[TimelineEntry]:
    decisions = BoardDecision.objects.filter(action=action).select_related("cycle", "decided_by")
    return [
        TimelineEntry(
            created_at=decision.decided_at,
            title=f"Board decision: {decision.get_kind_display().lower()}",
            byline=f"{decision.cycle.name} board meeting, recorded by {decision.decided_by}",
            text=decision.comment,
        )
        for decision in decisions
    ]
