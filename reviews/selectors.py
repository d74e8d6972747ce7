"""Reads of review cycles, and the board's figures: dashboard, local roll-up, change, trend and board pack.

Every figure is computed from the database on each request with aggregate queries (conditional counts grouped
by theme or by local plan); the number of queries does not depend on the number of actions or local plans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from actionplan.models import DataVersion, Organisation, User
from actions.models import (
    Action,
    Rag,
    Status,
    StatusUpdate,
    completion_proposed_q,
    current_target_expression,
    due_soon_q,
    is_due_soon_on,
    is_open_status,
    is_overdue_on,
    needs_attention_q,
    open_q,
    overdue_q,
)
from themes.models import Plan, ReviewCycle, Theme

from .models import ActionSnapshot

TREND_CYCLES = 8


def review_cycles_list(*, user) -> QuerySet[ReviewCycle]:
    """The review cycles of the plans the person may read, with their number of status updates."""
    return (
        ReviewCycle.objects.filter(plan__in=Plan.objects.readable_by(user))
        .select_related("plan")
        .annotate(update_count=Count("status_updates"))
        .order_by("plan__kind", "plan__title", "-opens_on")
    )


# -- Figures ------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Figures:
    """Counts of a set of actions. RAG counts are of open actions: confidence of delivery means nothing once
    an action is completed or closed. `completion_proposed` counts joint actions one side has marked completed
    and the other has yet to confirm: they are open (in progress) and counted as such too."""

    total: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    closed: int = 0
    overdue: int = 0
    due_soon: int = 0
    red: int = 0
    amber: int = 0
    green: int = 0
    completion_proposed: int = 0

    @property
    def open(self) -> int:
        return self.not_started + self.in_progress

    @property
    def deliverable(self) -> int:
        """Actions still meant to be delivered: closed ones (superseded or withdrawn) are left out."""
        return self.total - self.closed

    @property
    def percent_complete(self) -> int:
        return round(100 * self.completed / self.deliverable) if self.deliverable else 0

    @property
    def rag_total(self) -> int:
        return self.red + self.amber + self.green

    def status_segments(self) -> list[dict]:
        return _segments(
            [
                ("completed", "Completed", self.completed),
                ("in_progress", "In progress", self.in_progress),
                ("not_started", "Not started", self.not_started),
                ("closed", "Closed", self.closed),
            ],
            self.total,
        )

    def rag_segments(self) -> list[dict]:
        return _segments(
            [("green", "Green", self.green), ("amber", "Amber", self.amber), ("red", "Red", self.red)],
            self.rag_total,
        )


def _segments(parts: list[tuple[str, str, int]], whole: int) -> list[dict]:
    """Bar segments with widths in whole percent that add up to 100 (largest remainder), for CSS classes."""
    if not whole:
        return [{"key": key, "label": label, "count": count, "width": 0, "x": 0} for key, label, count in parts]
    exact = [100 * count / whole for _, _, count in parts]
    widths = [int(value) for value in exact]
    for index in sorted(range(len(parts)), key=lambda i: exact[i] - widths[i], reverse=True)[: 100 - sum(widths)]:
        widths[index] += 1
    segments, x = [], 0
    for (key, label, count), width in zip(parts, widths, strict=True):
        segments.append({"key": key, "label": label, "count": count, "width": width, "x": x})
        x += width
    return segments


def figure_aggregates(*, today: date) -> dict:
    """Conditional counts for `.aggregate()` or `.values(...).annotate()` on actions annotated with
    `current_target` (see `Action.objects.with_current_target()`)."""
    is_open = open_q()
    return {
        "total": Count("id"),
        "not_started": Count("id", filter=Q(status=Status.NOT_STARTED)),
        "in_progress": Count("id", filter=Q(status=Status.IN_PROGRESS)),
        "completed": Count("id", filter=Q(status=Status.COMPLETED)),
        "closed": Count("id", filter=Q(status=Status.CLOSED)),
        "overdue": Count("id", filter=overdue_q(today=today)),
        "due_soon": Count("id", filter=due_soon_q(today=today)),
        "red": Count("id", filter=is_open & Q(rag=Rag.RED)),
        "amber": Count("id", filter=is_open & Q(rag=Rag.AMBER)),
        "green": Count("id", filter=is_open & Q(rag=Rag.GREEN)),
        "completion_proposed": Count("id", filter=completion_proposed_q()),
    }


def figures_by(*, actions: QuerySet[Action], key: str, today: date) -> dict[int, Figures]:
    """The same figures grouped by a column (theme, plan...): one aggregate query."""
    names = list(figure_aggregates(today=today))
    rows = actions.with_current_target().order_by().values(key).annotate(**figure_aggregates(today=today))
    return {row[key]: Figures(**{name: row[name] for name in names}) for row in rows}


def actions_for_board_lists(*, actions: QuerySet[Action], today: date) -> QuerySet[Action]:
    """The actions the board's lists name, in one query: those needing attention (flagged `flag_attention`) and
    those whose completion awaits the other side's confirmation, with their leads and who proposed it."""
    attention = needs_attention_q(today=today)
    return (
        actions.with_current_target()
        .filter(attention | completion_proposed_q())
        .annotate(flag_attention=ExpressionWrapper(attention, output_field=BooleanField()))
        .select_related("theme", "police_lead", "cps_lead", "completion_proposed_by")
        .order_by("theme__number", "reference_sort")
    )


@dataclass
class ThemeFigures:
    theme: Theme
    figures: Figures
    attention: list[Action] = field(default_factory=list)
    proposed: list[Action] = field(default_factory=list)


def plan_figures(*, plan: Plan, actions: QuerySet[Action], today: date) -> tuple[Figures, list[ThemeFigures]]:
    """The headline figures of the (filtered) actions and each theme of the plan with its figures, its red, amber
    or overdue actions and its actions awaiting confirmation of their completion. The headline is the sum of the
    themes' figures (every action is in exactly one theme), so one aggregate query grouped by theme gives both,
    and one more query the actions of the lists."""
    by_theme = figures_by(actions=actions, key="theme_id", today=today)
    attention: dict[int, list[Action]] = defaultdict(list)
    proposed: dict[int, list[Action]] = defaultdict(list)
    for action in actions_for_board_lists(actions=actions, today=today):
        if action.flag_attention:
            attention[action.theme_id].append(action)
        if action.completion_is_proposed:
            proposed[action.theme_id].append(action)
    themes = [
        ThemeFigures(
            theme=theme,
            figures=by_theme.get(theme.pk, Figures()),
            attention=attention[theme.pk],
            proposed=proposed[theme.pk],
        )
        for theme in plan.themes.order_by("number")
    ]
    return _sum_figures(list(by_theme.values())), themes


def proposed_in(themes: list[ThemeFigures]) -> list[Action]:
    """The actions awaiting confirmation of their completion in these themes, oldest proposal first."""
    found = [action for item in themes for action in item.proposed]
    return sorted(found, key=lambda action: (action.completion_proposed_at, action.reference_sort))


# -- Local plans rolled up ----------------------------------------------------------------------------------------


@dataclass
class LocalPlanRow:
    plan: Plan
    figures: Figures
    cells: list[Figures]


def local_plans_rollup(
    *, local_plans: QuerySet[Plan], local_actions: QuerySet[Action], themes: list[Theme], today: date
) -> list[LocalPlanRow]:
    """The local plans, each with its figures overall and by national theme (via Theme.mirrors)."""
    names = list(figure_aggregates(today=today))
    rows = (
        local_actions.with_current_target()
        .order_by()
        .values("plan_id", "theme__mirrors_id")
        .annotate(**figure_aggregates(today=today))
    )
    cells: dict[int, dict[int | None, Figures]] = defaultdict(dict)
    for row in rows:
        cells[row["plan_id"]][row["theme__mirrors_id"]] = Figures(**{name: row[name] for name in names})
    result = []
    for local in local_plans:
        by_theme = cells.get(local.pk, {})
        result.append(
            LocalPlanRow(
                plan=local,
                figures=_sum_figures(list(by_theme.values())),
                cells=[by_theme.get(theme.pk, Figures()) for theme in themes],
            )
        )
    return result


FIGURE_NAMES = tuple(Figures.__dataclass_fields__)


def _sum_figures(items: list[Figures]) -> Figures:
    totals = [0] * len(FIGURE_NAMES)
    for item in items:
        for index, name in enumerate(FIGURE_NAMES):
            totals[index] += getattr(item, name)
    return Figures(*totals)


def national_actions_delivery(*, actions: QuerySet[Action], local_plans: QuerySet[Plan]) -> tuple[list[Action], int]:
    """National actions each annotated with `delivered_in`: the number of the local plans whose mirroring action is
    completed; and the number of local plans."""
    local_plan_count = local_plans.count()
    delivered = (
        Action.objects.filter(mirrors=OuterRef("pk"), status=Status.COMPLETED, plan__in=local_plans.values("pk"))
        .order_by()
        .values("mirrors")
        .annotate(n=Count("plan", distinct=True))
        .values("n")
    )
    rows = list(
        actions.select_related("theme")
        .annotate(delivered_in=Coalesce(Subquery(delivered[:1]), Value(0)))
        .order_by("theme__number", "reference_sort")
    )
    return rows, local_plan_count


# -- State as of a moment, change and trend -----------------------------------------------------------------------


def cycle_cutoff(cycle: ReviewCycle) -> datetime:
    """The moment a review cycle's figures are taken: when it closed, else the end of its board meeting day
    (never in the future)."""
    if cycle.closed_at is not None:
        moment = cycle.closed_at
    else:
        moment = timezone.make_aware(datetime.combine(cycle.board_meeting_on + timedelta(days=1), time.min))
    return min(moment, timezone.now())


def cycle_day(cycle: ReviewCycle) -> date:
    """The day a review cycle's figures are shown as of: the day it closed, else its board meeting."""
    return timezone.localtime(cycle.closed_at).date() if cycle.closed_at is not None else cycle.board_meeting_on


def end_of_day(day: date) -> datetime:
    return min(timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)), timezone.now())


def last_closed_cycle(
    *, plan: Plan, before: datetime | None = None, exclude: ReviewCycle | None = None
) -> ReviewCycle | None:
    """The plan's most recently closed review cycle (closed before `before`, other than `exclude`)."""
    cycles = plan.review_cycles.filter(state=ReviewCycle.State.CLOSED)
    if exclude is not None:
        cycles = cycles.exclude(pk=exclude.pk)
    if before is not None:
        cycles = cycles.filter(Q(closed_at__lt=before) | Q(closed_at__isnull=True, board_meeting_on__lt=before.date()))
    return cycles.order_by(F("closed_at").desc(nulls_last=True), "-board_meeting_on", "-pk").first()


def closed_cycles(*, plan: Plan, limit: int = TREND_CYCLES) -> list[ReviewCycle]:
    cycles = plan.review_cycles.filter(state=ReviewCycle.State.CLOSED).order_by("-board_meeting_on", "-pk")[:limit]
    return list(reversed(cycles))


def _state_at(moment: datetime | None, column: str):
    """The action's status or RAG at `moment`: the last update on or before it; failing that, what the first
    later update changed from; failing that (no updates at all), the action's present value. With no moment,
    the present value."""
    if moment is None:
        return F(column)
    updates = StatusUpdate.objects.filter(action=OuterRef("pk"))
    before = updates.filter(created_at__lte=moment).order_by("-created_at", "-id").values(f"{column}_to")[:1]
    after = updates.filter(created_at__gt=moment).order_by("created_at", "id").values(f"{column}_from")[:1]
    return Coalesce(Subquery(before), NullIf(Subquery(after), Value("")), F(column))


def _target_at(moment: datetime | None):
    """The action's target date at `moment`, replayed from the revisions its status updates record: the date the
    last revision on or before `moment` set; failing that, the date the first later revision replaced; failing
    that (never revised), the present target date. With no moment, the present target date."""
    present = current_target_expression()
    if moment is None:
        return present
    revisions = StatusUpdate.objects.filter(action=OuterRef("pk"), target_date_to__isnull=False)
    before = revisions.filter(created_at__lte=moment).order_by("-created_at", "-id").values("target_date_to")[:1]
    after = revisions.filter(created_at__gt=moment).order_by("created_at", "id").values("target_date_from")[:1]
    return Coalesce(Subquery(before), Subquery(after), present)


def is_frozen(cycle: ReviewCycle) -> bool:
    """A closed cycle whose snapshot was taken when it closed: its figures are read from the snapshot."""
    return cycle.state == ReviewCycle.State.CLOSED and cycle.snapshots.exists()


def _snapshot_column(cycle: ReviewCycle, column: str):
    return Subquery(ActionSnapshot.objects.filter(cycle=cycle, action=OuterRef("pk")).values(column)[:1])


def actions_at_close(*, actions: QuerySet[Action], cycle: ReviewCycle) -> QuerySet[Action]:
    """The actions of the cycle's snapshot, annotated as `actions_as_of` annotates them, from the snapshot."""
    return actions.filter(snapshots__cycle=cycle).annotate(
        status_then=_snapshot_column(cycle, "status"),
        rag_then=_snapshot_column(cycle, "rag"),
        target_then=_snapshot_column(cycle, "target_date"),
        narrative_then=_snapshot_column(cycle, "latest_narrative"),
        narrative_written_at=_snapshot_column(cycle, "narrative_at"),
        latest_kind_then=_snapshot_column(cycle, "proposal__kind"),
        latest_update_id_then=_snapshot_column(cycle, "proposal_id"),
    )


def existing_at(*, actions: QuerySet[Action], moment: datetime | None) -> QuerySet[Action]:
    """The actions that existed at `moment` (all of them with no moment): one created later was not there."""
    return actions if moment is None else actions.filter(created_at__lte=moment)


def _narrative_at(moment: datetime, column: str = "narrative"):
    """A column (the narrative, or when it was written) of the latest update with a narrative at `moment`."""
    latest = (
        StatusUpdate.objects.filter(action=OuterRef("pk"), created_at__lte=moment)
        .exclude(narrative="")
        .order_by("-created_at", "-id")
        .values(column)[:1]
    )
    return Subquery(latest)


def _latest_update_at(moment: datetime, column: str):
    """A column of the action's latest status update at `moment` (None when it had none yet)."""
    latest = (
        StatusUpdate.objects.filter(action=OuterRef("pk"), created_at__lte=moment)
        .order_by("-created_at", "-id")
        .values(column)[:1]
    )
    return Subquery(latest)


def actions_as_of(*, actions: QuerySet[Action], moment: datetime) -> QuerySet[Action]:
    """The actions that existed at `moment`, annotated with `status_then`, `rag_then`, `target_then` (the target
    date as it stood), `narrative_then` and `narrative_written_at` at `moment`, and `latest_kind_then` and
    `latest_update_id_then`, the kind and id of the latest status update then (one query).

    A joint action's completion was awaiting confirmation at `moment` when its latest update then was the
    proposal: nothing but a confirmation or a decline follows a proposal (see `proposed_then`)."""
    return existing_at(actions=actions, moment=moment).annotate(
        status_then=_state_at(moment, "status"),
        rag_then=_state_at(moment, "rag"),
        target_then=_target_at(moment),
        narrative_then=_narrative_at(moment),
        narrative_written_at=_narrative_at(moment, "created_at"),
        latest_kind_then=_latest_update_at(moment, "kind"),
        latest_update_id_then=_latest_update_at(moment, "id"),
    )


def proposed_then(action: Action) -> bool:
    """Whether the completion of an action from `actions_as_of` was awaiting confirmation at its moment."""
    return getattr(action, "latest_kind_then", None) == StatusUpdate.Kind.COMPLETION_PROPOSED


def proposals_as_of(*, rows: list[Action]) -> list[tuple[Action, StatusUpdate]]:
    """The actions (rows from `actions_as_of`) whose completion was awaiting confirmation then, each with its
    proposal (author and time) and in the order proposed: one query."""
    proposed = [action for action in rows if proposed_then(action)]
    if not proposed:
        return []
    proposals = StatusUpdate.objects.select_related("author", "author__organisation").in_bulk(
        [action.latest_update_id_then for action in proposed]
    )
    pairs = [(action, proposals[action.latest_update_id_then]) for action in proposed]
    return sorted(pairs, key=lambda pair: (pair[1].created_at, pair[0].reference_sort))


def count_states(states, *, day: date) -> Figures:
    """Figures of actions given as (status, RAG, target date) as they stood on `day`, optionally with a fourth
    item: whether the action's completion was awaiting confirmation then."""
    counts = dict.fromkeys(Figures.__dataclass_fields__, 0)
    for status, rag, target, *proposed in states:
        counts["total"] += 1
        counts[status] += 1
        if is_open_status(status):
            counts[rag] += 1
            counts["overdue"] += is_overdue_on(status=status, target=target, day=day)
            counts["due_soon"] += is_due_soon_on(status=status, target=target, day=day)
            counts["completion_proposed"] += bool(proposed and proposed[0])
    return Figures(**counts)


def figures_from_states(*, rows: list[Action], day: date) -> Figures:
    """Figures of actions as they stood on `day` (rows from `actions_as_of`), with their target dates then."""
    return count_states(((a.status_then, a.rag_then, a.target_then, proposed_then(a)) for a in rows), day=day)


@dataclass
class Change:
    action: Action
    status_then: str
    rag_then: str
    status_changed: bool
    rag_changed: bool


@dataclass
class ChangeReport:
    since: ReviewCycle | None
    changed: list[Change]
    completed: list[Action]
    newly_overdue: list[Action]
    added: list[Action] = field(default_factory=list)


def changes_since(
    *, actions: QuerySet[Action], since: ReviewCycle | None, moment: datetime | None, day: date
) -> ChangeReport:
    """What moved between the cycle `since` and `moment` (None: the present values), each side as the board pack
    shows it: status or RAG changes, completions, actions overdue at `moment` that were not overdue at the cycle
    (with the target dates as they stood at each), and actions added after the cycle. Actions created after
    `moment` are left out. One query."""
    if since is None:
        return ChangeReport(since=None, changed=[], completed=[], newly_overdue=[])
    then = cycle_cutoff(since)
    then_day = min(cycle_day(since), day)
    if is_frozen(since):
        # A closed cycle's side is its snapshot: what stood then, whatever was back-filled or edited since.
        was = {
            "status_was": _snapshot_column(since, "status"),
            "rag_was": _snapshot_column(since, "rag"),
            "target_was": _snapshot_column(since, "target_date"),
            "existed_then": Exists(ActionSnapshot.objects.filter(cycle=since, action=OuterRef("pk"))),
        }
    else:
        was = {
            "status_was": _state_at(then, "status"),
            "rag_was": _state_at(then, "rag"),
            "target_was": _target_at(then),
            "existed_then": ExpressionWrapper(Q(created_at__lte=then), output_field=BooleanField()),
        }
    rows = list(
        existing_at(actions=actions, moment=moment)
        .select_related("theme", "police_lead", "cps_lead")
        .annotate(
            **was,
            status_now=_state_at(moment, "status"),
            rag_now=_state_at(moment, "rag"),
            target_now=_target_at(moment),
        )
        .order_by("theme__number", "reference_sort")
    )
    changed, completed, newly_overdue, added = [], [], [], []
    for action in rows:
        action.status_then, action.rag_then, action.target_then = action.status_now, action.rag_now, action.target_now
        existed = action.existed_then
        if not existed:
            added.append(action)
        status_changed = existed and action.status_was != action.status_now
        rag_changed = existed and action.rag_was != action.rag_now
        if status_changed or rag_changed:
            changed.append(
                Change(
                    action=action,
                    status_then=action.status_was,
                    rag_then=action.rag_was,
                    status_changed=status_changed,
                    rag_changed=rag_changed,
                )
            )
        if action.status_now == Status.COMPLETED and (not existed or action.status_was != Status.COMPLETED):
            completed.append(action)
        overdue_now = is_overdue_on(status=action.status_now, target=action.target_now, day=day)
        overdue_was = existed and is_overdue_on(status=action.status_was, target=action.target_was, day=then_day)
        if overdue_now and not overdue_was:
            newly_overdue.append(action)
    return ChangeReport(since=since, changed=changed, completed=completed, newly_overdue=newly_overdue, added=added)


@dataclass
class TrendPoint:
    label: str
    day: date
    figures: Figures


def trend_across_cycles(
    *, plan: Plan, actions: QuerySet[Action], today: date, until: datetime | None = None
) -> list[TrendPoint]:
    """Completion and RAG at the close of each of the last closed cycles, then now (or `until`): one query for
    the cycles and one for the actions' states at each point, reconstructed from the status history with the
    target dates as they stood and only the actions that existed then, as the board pack for each cycle shows
    them."""
    moment_now = until or timezone.now()
    cycles = [cycle for cycle in closed_cycles(plan=plan) if cycle_cutoff(cycle) <= moment_now]
    points = [(cycle.name, cycle_cutoff(cycle)) for cycle in cycles] + [
        ("Now" if until is None else "This pack", moment_now)
    ]
    days = [min(cycle_day(cycle), today) for cycle in cycles] + [timezone.localtime(moment_now).date()]
    annotations = {}
    for index, (_label, moment) in enumerate(points):
        # The last point is the present: the actions' own values, as in the headline figures.
        present = until is None and index == len(points) - 1
        annotations[f"s{index}"] = _state_at(None if present else moment, "status")
        annotations[f"r{index}"] = _state_at(None if present else moment, "rag")
        annotations[f"t{index}"] = _target_at(None if present else moment)
    # One row per action with its creation and its state at each point; counted here rather than by an aggregate
    # over the subqueries, which costs Django more to compile than the database to run.
    rows = list(actions.order_by().annotate(**annotations).values_list("created_at", *annotations))
    # A closed cycle with a snapshot is counted from it (one query for all of them), never replayed.
    frozen: dict[int, list[tuple[str, str, date]]] = defaultdict(list)
    for cycle_id, *state in (
        ActionSnapshot.objects.filter(cycle__in=cycles, action__in=actions.values("pk"))
        .order_by()
        .values_list("cycle_id", "status", "rag", "target_date")
    ):
        frozen[cycle_id].append(tuple(state))
    result = []
    for index, (label, moment) in enumerate(points):
        day = days[index]
        present = until is None and index == len(points) - 1
        if index < len(cycles) and cycles[index].pk in frozen:
            states = iter(frozen[cycles[index].pk])
        else:
            states = (
                (row[1 + 3 * index], row[2 + 3 * index], row[3 + 3 * index])
                for row in rows
                if present or row[0] <= moment
            )
        result.append(TrendPoint(label=label, day=day, figures=count_states(states, day=day)))
    return result


# -- Pages --------------------------------------------------------------------------------------------------------


def plan_last_updated(*, actions: QuerySet[Action]) -> datetime | None:
    return actions.order_by().aggregate(latest=Max("last_update_at"))["latest"]


def actions_for_export(*, actions: QuerySet[Action]) -> QuerySet[Action]:
    """The rows of an export: leads, organisations (one prefetch query) and the latest narrative."""
    latest = (
        StatusUpdate.objects.filter(action=OuterRef("pk"))
        .exclude(narrative="")
        .order_by("-created_at", "-id")
        .values("narrative")[:1]
    )
    return (
        actions.with_current_target()
        .select_related("plan", "theme", "police_lead", "cps_lead")
        .prefetch_related("lead_organisations")
        .annotate(latest_narrative=Subquery(latest))
        .order_by("plan__kind", "plan__title", "reference_sort")
    )


# -- Cache key of the board's figures ---------------------------------------------------------------------------


def board_tables() -> list[str]:
    """The tables the board's figures are read from: a write to any of them can change a figure.

    Each of them moves the data version on every write (see actionplan/data_version.py); a table the board
    starts reading belongs here and counts its writes with `CountWrites` in a migration of its app.
    """
    models = (
        Action,
        Action.lead_organisations.through,
        StatusUpdate,
        Plan,
        Theme,
        ReviewCycle,
        User,
        Organisation,
        ActionSnapshot,
    )
    return [model._meta.db_table for model in models]


def board_data_version() -> str:
    """The data version, which moves in the writing transaction on every write to `board_tables()` (whatever
    made it: a service, the admin, `QuerySet.update()`, raw SQL, a restore). One query."""
    return str(DataVersion.current())
