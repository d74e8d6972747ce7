"""Reads of one review cycle: who has updated in it, what is missing, what the board decided.

An open (or planned) cycle is read from the actions as they stand; a closed one from the snapshot frozen when it
closed, so a later edit or status update never changes what a closed cycle shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from actionplan.models import Organisation
from actions.models import Action, Side, StatusUpdate, is_open_status
from themes.models import ReviewCycle

from .models import ActionSnapshot, BoardDecision, BoardMinutes


@dataclass
class CycleRow:
    """One action that needs an update in the cycle, and whether it has one."""

    action: Action
    reference: str
    title: str
    theme_number: int
    side: str
    leads: str
    organisations: list[str]
    updated: bool
    last_update_at: datetime | None


@dataclass
class Tally:
    label: str
    updated: int = 0
    total: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.updated

    @property
    def percent(self) -> int:
        return round(100 * self.updated / self.total) if self.total else 0


@dataclass
class CycleProgress:
    frozen: bool
    rows: list[CycleRow]
    overall: Tally
    by_side: list[Tally] = field(default_factory=list)
    by_organisation: list[Tally] = field(default_factory=list)
    by_theme: list[Tally] = field(default_factory=list)

    @property
    def missing(self) -> list[CycleRow]:
        return [row for row in self.rows if not row.updated]


def _lead_names(action: Action) -> str:
    return ", ".join(str(lead) for lead in action.leads) or "No lead named"


def _live_rows(cycle: ReviewCycle, actions: QuerySet[Action]) -> list[CycleRow]:
    rows = (
        actions.open()
        .filter(not_applicable=False)
        .select_related("theme", "police_lead", "cps_lead")
        .prefetch_related(Prefetch("lead_organisations", queryset=Organisation.objects.order_by("name")))
        .annotate(updated=Exists(StatusUpdate.objects.filter(action=OuterRef("pk"), review_cycle=cycle)))
        .order_by("theme__number", "reference_sort")
    )
    return [
        CycleRow(
            action=action,
            reference=action.reference,
            title=action.title,
            theme_number=action.theme.number,
            side=action.side,
            leads=_lead_names(action),
            organisations=[org.display_name for org in action.lead_organisations.all()],
            updated=action.updated,
            last_update_at=action.last_update_at,
        )
        for action in rows
    ]


def _frozen_rows(cycle: ReviewCycle, actions: QuerySet[Action]) -> list[CycleRow]:
    snapshots = (
        ActionSnapshot.objects.filter(cycle=cycle, action__in=actions.values("pk"))
        .select_related("action")
        .prefetch_related(
            Prefetch("action__lead_organisations", queryset=Organisation.objects.order_by("name")),
        )
        .order_by("theme_number", "action__reference_sort")
    )
    return [
        CycleRow(
            action=snapshot.action,
            reference=snapshot.reference,
            title=snapshot.title,
            theme_number=snapshot.theme_number,
            side=snapshot.side,
            leads=snapshot.leads or "No lead named",
            organisations=[org.display_name for org in snapshot.action.lead_organisations.all()],
            updated=snapshot.updated_in_cycle,
            last_update_at=snapshot.last_update_at,
        )
        for snapshot in snapshots
        if (is_open_status(snapshot.status) or snapshot.updated_in_cycle) and not snapshot.not_applicable
    ]


def _tallies(rows: list[CycleRow], key) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for row in rows:
        for label in key(row):
            tally = tallies.setdefault(label, Tally(label=label))
            tally.total += 1
            tally.updated += row.updated
    return list(tallies.values())


def cycle_progress(*, cycle: ReviewCycle, actions: QuerySet[Action]) -> CycleProgress:
    """Which of `actions` (the plan's, or a lead's own) have a status update in the cycle: overall, by side, by
    lead organisation and by theme, and the rows themselves. For an open or planned cycle, the open actions as they
    stand (an action a revision closed is no longer among them); for a closed cycle, the actions open when it closed
    (or updated in it), from its snapshot. A local copy that does not apply locally (then, for a closed cycle) is
    left out."""
    frozen = cycle.state == ReviewCycle.State.CLOSED
    rows = _frozen_rows(cycle, actions) if frozen else _live_rows(cycle, actions)
    side_labels = dict(Side.choices)
    overall = Tally(label="All actions", updated=sum(row.updated for row in rows), total=len(rows))
    return CycleProgress(
        frozen=frozen,
        rows=rows,
        overall=overall,
        by_side=sorted(_tallies(rows, lambda row: [side_labels.get(row.side, row.side)]), key=lambda t: t.label),
        by_organisation=sorted(
            _tallies(rows, lambda row: row.organisations or ["No lead organisation"]), key=lambda t: t.label
        ),
        by_theme=sorted(_tallies(rows, lambda row: [f"Theme {row.theme_number}"]), key=lambda t: t.label),
    )


def actions_led_by(*, user, actions: QuerySet[Action]) -> QuerySet[Action]:
    """The actions a lead answers for: named as lead, or led by their organisation."""
    mine = Q(police_lead_id=user.pk) | Q(cps_lead_id=user.pk)
    if user.organisation_id is not None:
        mine |= Q(lead_organisations=user.organisation_id)
    return actions.filter(mine).distinct()


def cycle_decisions(*, cycle: ReviewCycle) -> QuerySet[BoardDecision]:
    return cycle.decisions.select_related("action", "decided_by").order_by("action__reference_sort", "decided_at")


def cycle_minutes(*, cycle: ReviewCycle) -> BoardMinutes | None:
    return BoardMinutes.objects.filter(cycle=cycle).select_related("updated_by").first()


def decisions_by_action(*, cycle: ReviewCycle) -> dict[int, list[BoardDecision]]:
    grouped: dict[int, list[BoardDecision]] = defaultdict(list)
    for decision in cycle_decisions(cycle=cycle):
        grouped[decision.action_id].append(decision)
    return grouped
