"""Reads for the board pack: the plan as it stood at the close of a review cycle or at the end of a day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from actions.models import Action, needs_attention_on
from themes.models import Plan, ReviewCycle

from .selectors import (
    ChangeReport,
    Figures,
    ThemeFigures,
    actions_as_of,
    actions_at_close,
    changes_since,
    cycle_cutoff,
    cycle_day,
    figures_from_states,
    is_frozen,
    last_closed_cycle,
    proposals_as_of,
)


def cycle_not_started(cycle: ReviewCycle, *, today: date) -> bool:
    """A review cycle whose update window has not opened yet (and which nobody closed early): there is nothing to
    show for it yet."""
    return cycle.state != ReviewCycle.State.CLOSED and cycle.opens_on > today


@dataclass
class BoardPack:
    figures: Figures
    themes: list[ThemeFigures]
    changes: ChangeReport
    attention_count: int = field(default=0)
    # Joint actions whose completion awaited the other side's confirmation then, each with its proposal.
    proposals: list = field(default_factory=list)
    # Read from the snapshot frozen when the cycle closed, not replayed from the status history.
    frozen: bool = False


def board_pack(*, plan: Plan, cycle: ReviewCycle | None, moment: datetime, day: date) -> BoardPack:
    """The plan's figures as they stood at `moment` (judged on `day`), each theme with its red, amber and overdue
    actions and their latest narrative then, and what changed since the previous closed cycle. A closed cycle's
    pack is its snapshot; a date, or a cycle closed before snapshots, is replayed from the status history."""
    frozen = cycle is not None and is_frozen(cycle)
    # A local copy that does not apply locally is left out of the figures (a snapshot keeps what applied then).
    applicable = plan.actions.filter(not_applicable=False)
    as_then = (
        actions_at_close(actions=plan.actions.all(), cycle=cycle)
        if frozen
        else actions_as_of(actions=applicable, moment=moment)
    )
    rows = list(as_then.select_related("theme", "police_lead", "cps_lead").order_by("theme__number", "reference_sort"))
    by_theme: dict[int, list[Action]] = defaultdict(list)
    for action in rows:
        by_theme[action.theme_id].append(action)
    themes = []
    for theme in plan.themes.order_by("number"):
        theme_rows = by_theme[theme.pk]
        attention = [
            action
            for action in theme_rows
            if needs_attention_on(status=action.status_then, rag=action.rag_then, target=action.target_then, day=day)
        ]
        themes.append(
            ThemeFigures(theme=theme, figures=figures_from_states(rows=theme_rows, day=day), attention=attention)
        )
    previous = last_closed_cycle(plan=plan, before=moment, exclude=cycle)
    return BoardPack(
        figures=figures_from_states(rows=rows, day=day),
        themes=themes,
        changes=changes_since(
            actions=applicable, since=previous, moment=moment, day=day, until_cycle=cycle if frozen else None
        ),
        attention_count=sum(len(item.attention) for item in themes),
        proposals=proposals_as_of(rows=rows),
        frozen=frozen,
    )


def pack_moment(cycle: ReviewCycle) -> tuple[datetime, date]:
    """The moment a cycle's pack shows and the day its overdue actions are judged on."""
    # The day it closed, or its board meeting: not the midnight after it, which is the next day.
    return cycle_cutoff(cycle), cycle_day(cycle)
