"""Reads of review cycles, and the board's figures: dashboard, local roll-up, change, trend and board pack.

Every figure is computed from the database with aggregate queries (counts by status and RAG, grouped by theme or
by local plan, folded into Figures) and, for the state at past moments, from the snapshot a closed review cycle
froze when it closed, or failing one (a date, a cycle closed before snapshots), one reading of the status history
replayed in Python (`reviews.history`); the number of queries does not depend on the number of actions or local
plans.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Count,
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
from django.urls import reverse
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
    open_q,
    overdue_q,
)
from themes.models import Plan, ReviewCycle, Theme

from .history import ActionHistory, State, load_histories
from .models import (
    ActionSnapshot,
    BoardDecision,
    BoardMinutes,
    FindingSource,
    PublicPage,
    PublicSummary,
    Recommendation,
    RecommendationLink,
)

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


FIGURE_NAMES = tuple(Figures.__dataclass_fields__)


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


def figure_counts(*, today: date) -> dict:
    """Counts for `.values(..., "status", "rag").annotate()` on actions annotated with `current_target` (see
    `Action.objects.with_current_target()`): the actions of each status and RAG (`n`), and of those the overdue, the
    due soon and the proposed ones. `fold_counts` turns the rows into Figures: a few counts per row cost the
    database no more than ten, and cost Django far less to compile."""
    return {
        "n": Count("id"),
        "n_overdue": Count("id", filter=overdue_q(today=today)),
        "n_due_soon": Count("id", filter=due_soon_q(today=today)),
        "n_proposed": Count("id", filter=completion_proposed_q()),
    }


def fold_counts(rows, *, key=None) -> dict:
    """Figures from rows of `figure_counts` (dicts with status, rag, n, n_overdue, n_due_soon and n_proposed), by
    `key(row)`, or all together under None."""
    totals: dict = {}
    for row in rows:
        status = row["status"]
        counts = totals.setdefault(key(row) if key else None, dict.fromkeys(FIGURE_NAMES, 0))
        counts["total"] += row["n"]
        counts[status] += row["n"]
        if is_open_status(status):
            counts[row["rag"]] += row["n"]
        counts["overdue"] += row["n_overdue"]
        counts["due_soon"] += row["n_due_soon"]
        counts["completion_proposed"] += row["n_proposed"]
    return {group: Figures(**counts) for group, counts in totals.items()}


def _through(condition: Q, relation: str, *, keep: str) -> Q:
    """The condition on actions, read through `relation` (each lookup prefixed), except lookups of `keep`."""
    result = Q()
    result.connector, result.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            result.children.append(_through(child, relation, keep=keep))
        else:
            lookup, value = child
            on_kept = lookup == keep or lookup.startswith(f"{keep}__")
            result.children.append((lookup if on_kept else f"{relation}__{lookup}", value))
    return result


def figures_of(*, actions: QuerySet[Action], today: date) -> Figures:
    """Headline figures of a set of actions: one aggregate query."""
    rows = actions.with_current_target().order_by().values("status", "rag").annotate(**figure_counts(today=today))
    return fold_counts(rows).get(None, Figures())


def figures_by(*, actions: QuerySet[Action], key: str, today: date) -> dict[int, Figures]:
    """The same figures grouped by a column (theme, plan...): one aggregate query."""
    rows = actions.with_current_target().order_by().values(key, "status", "rag").annotate(**figure_counts(today=today))
    return fold_counts(rows, key=lambda row: row[key])


def actions_needing_attention(*, actions: QuerySet[Action], today: date) -> QuerySet[Action]:
    """The actions that need the board's attention (see `needs_attention_on`), with their leads."""
    return (
        actions.needing_attention(today=today)
        .select_related("theme", "police_lead", "cps_lead")
        .order_by("theme__number", "reference_sort")
    )


@dataclass
class ThemeFigures:
    theme: Theme
    figures: Figures
    attention: list[Action] = field(default_factory=list)


@dataclass
class PlanFigures:
    figures: Figures
    themes: list[ThemeFigures]
    last_updated: datetime | None


def plan_figures(*, histories: list[ActionHistory], themes: list[Theme], today: date) -> PlanFigures:
    """The headline figures of the (filtered) actions of a plan and each of its `themes` with its figures, counted
    from the actions' present values as `actions_histories` read them (the change and the trend replay the same
    reading), and the latest status update."""
    by_theme: dict[int, list] = defaultdict(list)
    for history in histories:
        by_theme[history.action.theme_id].append((history.present(), history.action.completion_proposed_at is not None))
    figures = {
        theme_id: count_states(
            ((state.status, state.rag, state.target, proposed) for state, proposed in states), day=today
        )
        for theme_id, states in by_theme.items()
    }
    updated = [history.action.last_update_at for history in histories if history.action.last_update_at is not None]
    return PlanFigures(
        figures=_sum_figures(list(figures.values())),
        themes=[ThemeFigures(theme=theme, figures=figures.get(theme.pk, Figures())) for theme in themes],
        last_updated=max(updated, default=None),
    )


def proposed_actions(*, actions: QuerySet[Action]) -> list[Action]:
    """The actions whose completion awaits the other side's confirmation, with their leads and who proposed it,
    oldest proposal first: one query."""
    people = ("police_lead", "cps_lead", "completion_proposed_by")
    return list(
        actions.completion_proposed()
        .select_related(*people)
        # Only what the list shows: every column read through three joins would cost more to compile than to fetch.
        .only(
            "plan",  # a plan's `actions` set it on each action
            "reference",
            "title",
            "completion_proposed_at",
            "completion_proposed_side",
            *(f"{person}__{name}" for person in people for name in ("first_name", "last_name", "username")),
        )
        .order_by("completion_proposed_at", "reference_sort")
    )


# -- Local plans rolled up ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LocalPlanRef:
    """What the board's tables show of a local plan: its force and Area, and where it is."""

    pk: int
    slug: str
    force: str
    area: str

    def get_absolute_url(self) -> str:
        return reverse("themes:plan", kwargs={"slug": self.slug})


@dataclass
class LocalPlanRow:
    """A local plan on the roll-up. `figures` and `cells` (by national theme) count its copies of national actions
    that apply locally; its own additions are counted apart, and the copies not applicable locally only counted."""

    plan: LocalPlanRef
    figures: Figures
    cells: list[Figures]
    additions: Figures = field(default_factory=lambda: Figures())
    not_applicable: int = 0


def local_plans_rollup(
    *,
    local_plans: QuerySet[Plan],
    local_actions: QuerySet[Action] | None,
    themes: list[Theme],
    today: date,
) -> list[LocalPlanRow]:
    """The local plans, each with its figures overall and (given `themes`) by national theme (via Theme.mirrors),
    counting `local_actions`, or every action of the local plans when None: two queries, the plans and the
    figures (overall only and every action: each figure a conditional count through the plans; otherwise one row
    per group of status and RAG). `figures` and `cells` count the copies of national
    actions that apply locally; a plan's own additions are counted apart, and the copies not applicable locally
    only counted."""
    if local_actions is None and not themes:
        return _local_plans_with_all_their_actions(local_plans=local_plans, today=today)
    if local_actions is None:
        local_actions = Action.objects.filter(plan__in=local_plans.values("pk"))
    keys = ("plan_id", "theme__mirrors_id") if themes else ("plan_id",)
    rows = (
        local_actions.with_current_target()
        .order_by()
        .annotate(is_addition=ExpressionWrapper(Q(mirrors__isnull=True), output_field=BooleanField()))
        .values(*keys, "is_addition", "not_applicable", "status", "rag")
        .annotate(**figure_counts(today=today))
    )
    cells: dict[int, dict[int | None, Figures]] = defaultdict(dict)
    additions: dict[int, list[Figures]] = defaultdict(list)
    not_applicable: Counter = Counter()
    folded = fold_counts(
        rows,
        key=lambda row: (row["plan_id"], row.get("theme__mirrors_id"), row["is_addition"], row["not_applicable"]),
    )
    for (plan_id, mirrored, is_addition, is_not_applicable), figures in folded.items():
        if is_not_applicable:
            not_applicable[plan_id] += figures.total
        elif is_addition:
            additions[plan_id].append(figures)
        else:
            cells[plan_id][mirrored] = figures
    result = []
    for pk, slug, force_short, force, area_short, area in local_plans.values_list(*LOCAL_PLAN_FIELDS):
        by_theme = cells.get(pk, {})
        result.append(
            LocalPlanRow(
                plan=LocalPlanRef(pk=pk, slug=slug, force=force_short or force, area=area_short or area),
                figures=_sum_figures(list(by_theme.values())),
                cells=[by_theme.get(theme.pk, Figures()) for theme in themes],
                additions=_sum_figures(additions.get(pk, [])),
                not_applicable=not_applicable[pk],
            )
        )
    return result


LOCAL_PLAN_FIELDS = (
    "pk",
    "slug",
    "police_force__short_name",
    "police_force__name",
    "cps_area__short_name",
    "cps_area__name",
)


def _local_plans_with_all_their_actions(*, local_plans: QuerySet[Plan], today: date) -> list[LocalPlanRow]:
    """Each local plan with the figures of all its actions: two queries, the plans' names, and their figures counted
    from the plans through their actions (so that a plan with none still has its row), a row per plan and kind of
    action (copy or addition, applicable or not), each figure a conditional count, grouped by the plan's key alone.
    Its copies of national actions that apply locally give its figures; its own additions are counted apart, and
    the copies not applicable locally only counted."""
    rows = (
        local_plans.order_by()
        .alias(plan_target=Coalesce("actions__revised_target_date", "actions__target_date"))
        .annotate(plan_addition=ExpressionWrapper(Q(actions__mirrors__isnull=True), output_field=BooleanField()))
        .values("pk", "actions__not_applicable", "plan_addition")
        .annotate(**_figures_through_actions(today=today, target="plan_target"))
    )
    folded: dict[tuple[int, bool, bool], Figures] = {}
    for row in rows:
        key = (row["pk"], bool(row["plan_addition"]), bool(row["actions__not_applicable"]))
        folded[key] = Figures(**{name: row[f"n_{name}"] for name in FIGURE_NAMES})
    plans = {
        pk: LocalPlanRef(pk=pk, slug=slug, force=force_short or force, area=area_short or area)
        for pk, slug, force_short, force, area_short, area in local_plans.values_list(*LOCAL_PLAN_FIELDS)
    }
    result = []
    for pk, plan in plans.items():
        result.append(
            LocalPlanRow(
                plan=plan,
                figures=folded.get((pk, False, False), Figures()),
                cells=[],
                additions=folded.get((pk, True, False), Figures()),
                not_applicable=folded.get((pk, False, True), Figures()).total
                + folded.get((pk, True, True), Figures()).total,
            )
        )
    return result


def _figures_through_actions(*, today: date, target: str) -> dict:
    """Every figure of `Figures` as a conditional count of the `actions` of the rows (named `n_<figure>`), with
    `target` the actions' current target date: a few rows per plan rather than one per status and RAG."""

    def count(condition: Q | None = None) -> Count:
        return Count("actions__id", filter=_through(condition, "actions", keep=target) if condition else None)

    counts = {"n_total": count()}
    counts.update({f"n_{status}": count(Q(status=status)) for status in Status.values})
    counts.update({f"n_{rag}": count(open_q() & Q(rag=rag)) for rag in Rag.values})
    counts["n_overdue"] = count(overdue_q(today=today, target=target))
    counts["n_due_soon"] = count(due_soon_q(today=today, target=target))
    counts["n_completion_proposed"] = count(completion_proposed_q())
    return counts


def _sum_figures(items: list[Figures]) -> Figures:
    totals = [0] * len(FIGURE_NAMES)
    for item in items:
        for index, name in enumerate(FIGURE_NAMES):
            totals[index] += getattr(item, name)
    return Figures(*totals)


def national_actions_delivery(*, actions: QuerySet[Action], local_plans: QuerySet[Plan]) -> tuple[list[Action], int]:
    """National actions each annotated with `delivered_in` (the local plans whose copy is completed),
    `not_applicable_in` (those where it does not apply locally) and `applicable_in` (the local plans less those);
    and the number of local plans."""
    local_plan_count = local_plans.count()

    def count_of(**conditions):
        return Coalesce(
            Subquery(
                Action.objects.filter(mirrors=OuterRef("pk"), plan__in=local_plans.values("pk"), **conditions)
                .order_by()
                .values("mirrors")
                .annotate(n=Count("plan", distinct=True))
                .values("n")[:1]
            ),
            Value(0),
        )

    rows = list(
        actions.select_related("theme")
        .annotate(
            delivered_in=count_of(status=Status.COMPLETED, not_applicable=False),
            not_applicable_in=count_of(not_applicable=True),
        )
        .order_by("theme__number", "reference_sort")
    )
    for row in rows:
        row.applicable_in = local_plan_count - row.not_applicable_in
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


def plan_closed_cycles(*, plan: Plan) -> list[ReviewCycle]:
    """Every closed review cycle of the plan (one query), for `latest_closed` and `trend_cycles`."""
    return list(plan.review_cycles.filter(state=ReviewCycle.State.CLOSED))


def latest_closed(cycles: list[ReviewCycle]) -> ReviewCycle | None:
    """Of closed cycles, the one `last_closed_cycle` names: the latest closed, else the latest board meeting."""
    if not cycles:
        return None
    closed = [cycle for cycle in cycles if cycle.closed_at is not None]
    pool = closed or cycles
    return max(
        pool,
        key=lambda cycle: (cycle.closed_at or datetime.min.replace(tzinfo=UTC), cycle.board_meeting_on, cycle.pk),
    )


def trend_cycles(cycles: list[ReviewCycle], *, limit: int = TREND_CYCLES) -> list[ReviewCycle]:
    """Of closed cycles, those `closed_cycles` gives: the last `limit` board meetings, oldest first."""
    return sorted(cycles, key=lambda cycle: (cycle.board_meeting_on, cycle.pk))[-limit:]


def _state_at(moment: datetime | None, column: str):
    """The action's status or RAG at `moment`: the last update on or before it; failing that, what the first
    later update changed from; failing that (no updates at all), the action's present value. With no moment,
    the present value. Updates count from when they happened (`effective_at`), not when they were recorded."""
    if moment is None:
        return F(column)
    updates = StatusUpdate.objects.filter(action=OuterRef("pk"))
    before = updates.filter(effective_at__lte=moment).order_by("-effective_at", "-id").values(f"{column}_to")[:1]
    after = updates.filter(effective_at__gt=moment).order_by("effective_at", "id").values(f"{column}_from")[:1]
    return Coalesce(Subquery(before), NullIf(Subquery(after), Value("")), F(column))


def _target_at(moment: datetime | None):
    """The action's target date at `moment`, replayed from the revisions its status updates record: the date the
    last revision on or before `moment` set; failing that, the date the first later revision replaced; failing
    that (never revised), the present target date. With no moment, the present target date."""
    present = current_target_expression()
    if moment is None:
        return present
    revisions = StatusUpdate.objects.filter(action=OuterRef("pk"), target_date_to__isnull=False)
    before = revisions.filter(effective_at__lte=moment).order_by("-effective_at", "-id").values("target_date_to")[:1]
    after = revisions.filter(effective_at__gt=moment).order_by("effective_at", "id").values("target_date_from")[:1]
    return Coalesce(Subquery(before), Subquery(after), present)


def is_frozen(cycle: ReviewCycle) -> bool:
    """A closed cycle whose snapshot was taken when it closed: its figures are read from the snapshot."""
    return cycle.state == ReviewCycle.State.CLOSED and cycle.snapshots.exists()


def _snapshot_column(cycle: ReviewCycle, column: str):
    return Subquery(ActionSnapshot.objects.filter(cycle=cycle, action=OuterRef("pk")).values(column)[:1])


def actions_at_close(*, actions: QuerySet[Action], cycle: ReviewCycle) -> QuerySet[Action]:
    """The actions of the cycle's snapshot, annotated as `actions_as_of` annotates them, from the snapshot; a local
    copy that did not apply locally when the cycle closed is left out, as it was from the figures then."""
    return actions.filter(snapshots__cycle=cycle, snapshots__not_applicable=False).annotate(
        status_then=_snapshot_column(cycle, "status"),
        rag_then=_snapshot_column(cycle, "rag"),
        target_then=_snapshot_column(cycle, "target_date"),
        narrative_then=_snapshot_column(cycle, "latest_narrative"),
        narrative_written_at=_snapshot_column(cycle, "narrative_at"),
        latest_kind_then=_snapshot_column(cycle, "proposal__kind"),
        latest_update_id_then=_snapshot_column(cycle, "proposal_id"),
    )


def snapshot_states(cycles: list[ReviewCycle | None]) -> dict[int, dict[int, State]]:
    """The closed cycles among `cycles` that have a snapshot, each with the state of every action in it (status,
    RAG and current target date when the cycle closed), by action: one query, none without a closed cycle. A cycle
    missing from the answer has no snapshot, and is replayed from the status history."""
    closed = {cycle.pk for cycle in cycles if cycle is not None and cycle.state == ReviewCycle.State.CLOSED}
    if not closed:
        return {}
    states: dict[int, dict[int, State]] = defaultdict(dict)
    rows = (
        # A local copy that did not apply locally then is left out of the cycle's figures.
        ActionSnapshot.objects.filter(cycle__in=closed, not_applicable=False)
        .order_by()
        .values_list("cycle_id", "action_id", "status", "rag", "target_date")
    )
    for cycle_id, action_id, status, rag, target in rows:
        states[cycle_id][action_id] = State(status, rag, target)
    return dict(states)


def existing_at(*, actions: QuerySet[Action], moment: datetime | None) -> QuerySet[Action]:
    """The actions that existed at `moment` (all of them with no moment): one created later was not there."""
    return actions if moment is None else actions.filter(created_at__lte=moment)


def _narrative_at(moment: datetime, column: str = "narrative"):
    """A column (the narrative, or when it happened) of the latest update with a narrative at `moment`."""
    latest = (
        StatusUpdate.objects.filter(action=OuterRef("pk"), effective_at__lte=moment)
        .exclude(narrative="")
        .order_by("-effective_at", "-id")
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
        narrative_written_at=_narrative_at(moment, "effective_at"),
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
    *,
    actions: QuerySet[Action],
    since: ReviewCycle | None,
    moment: datetime | None,
    day: date,
    histories: list[ActionHistory] | None = None,
    snapshots: dict[int, dict[int, State]] | None = None,
    until_cycle: ReviewCycle | None = None,
) -> ChangeReport:
    """What moved between the cycle `since` and `moment` (None: the present values), each side as the board pack
    shows it: status or RAG changes, completions, actions overdue at `moment` that were not overdue at the cycle
    (with the target dates as they stood at each), and actions added after the cycle. Actions created after
    `moment` are left out. A closed cycle with a snapshot is read from it: `since`, and `until_cycle` (the closed
    cycle whose close `moment` is, if any). Two queries, or none given the actions' `histories` (see
    `actions_histories`) and the cycles' `snapshots` (see `snapshot_states`)."""
    if since is None:
        return ChangeReport(since=None, changed=[], completed=[], newly_overdue=[])
    then = cycle_cutoff(since)
    then_day = min(cycle_day(since), day)
    if histories is None:
        histories = actions_histories(actions=actions)
    if snapshots is None:
        snapshots = snapshot_states([since, until_cycle])
    # A closed cycle's side is its snapshot, when it has one: what stood then, whatever was back-filled or edited
    # since. A cycle without one (closed before snapshots were taken) and a date are replayed.
    frozen_then = snapshots.get(since.pk)
    frozen_now = snapshots.get(until_cycle.pk) if until_cycle is not None else None
    changed, completed, newly_overdue, added = [], [], [], []
    for history in histories:
        action = history.action
        if frozen_now is not None:
            now = frozen_now.get(action.pk)
            if now is None:  # not in the plan when that cycle closed
                continue
        else:
            if moment is not None and action.created_at > moment:
                continue
            now = history.at(moment)
        action.status_then, action.rag_then, action.target_then = now.status, now.rag, now.target
        if frozen_then is not None:
            was = frozen_then.get(action.pk)
            existed = was is not None
        else:
            was = history.at(then)
            existed = action.created_at <= then
        if not existed:
            added.append(action)
        status_changed = existed and was.status != now.status
        rag_changed = existed and was.rag != now.rag
        if status_changed or rag_changed:
            changed.append(
                Change(
                    action=action,
                    status_then=was.status,
                    rag_then=was.rag,
                    status_changed=status_changed,
                    rag_changed=rag_changed,
                )
            )
        if now.status == Status.COMPLETED and (not existed or was.status != Status.COMPLETED):
            completed.append(action)
        overdue_now = is_overdue_on(status=now.status, target=now.target, day=day)
        overdue_was = existed and is_overdue_on(status=was.status, target=was.target, day=then_day)
        if overdue_now and not overdue_was:
            newly_overdue.append(action)
    return ChangeReport(since=since, changed=changed, completed=completed, newly_overdue=newly_overdue, added=added)


def actions_histories(*, actions: QuerySet[Action]) -> list[ActionHistory]:
    """The actions the dashboard counts and the change and trend replay (see `reviews.history`), with what the
    change lists of them, in its order, and their status updates: one query."""
    return load_histories(actions=actions.order_by("theme__number", "reference_sort"), fields=REPLAYED_FIELDS)


# What the figures and the replay read of an action (its theme, present state, creation and latest update) and what
# the change lists.
REPLAYED_FIELDS = (
    "id",
    "plan_id",
    "theme_id",
    "last_update_at",
    "reference",
    "reference_sort",
    "title",
    "status",
    "rag",
    "target_date",
    "revised_target_date",
    "created_at",
    "completion_proposed_at",
)


@dataclass
class TrendPoint:
    label: str
    day: date
    figures: Figures


def trend_across_cycles(
    *,
    plan: Plan,
    actions: QuerySet[Action],
    today: date,
    until: datetime | None = None,
    cycles: list[ReviewCycle] | None = None,
    histories: list[ActionHistory] | None = None,
    snapshots: dict[int, dict[int, State]] | None = None,
) -> list[TrendPoint]:
    """Completion and RAG at the close of each of the last closed cycles (`cycles`, oldest first, else the plan's),
    then now (or `until`), rebuilt from the status history with the target dates as they stood and only the
    actions that existed then, as the board pack for each cycle shows them; a cycle with a snapshot is counted from
    it. Three queries, or none given the cycles, the actions' `histories` and the cycles' `snapshots`."""
    moment_now = until or timezone.now()
    if cycles is None:
        cycles = closed_cycles(plan=plan)
    cycles = [cycle for cycle in cycles if cycle_cutoff(cycle) <= moment_now]
    if histories is None:
        histories = actions_histories(actions=actions)
    if snapshots is None:
        snapshots = snapshot_states(cycles)
    result = []
    for cycle in cycles:
        moment, day = cycle_cutoff(cycle), min(cycle_day(cycle), today)
        frozen = snapshots.get(cycle.pk)
        if frozen is not None:
            # A closed cycle with a snapshot is counted from it, never replayed.
            states = (frozen[history.action.pk] for history in histories if history.action.pk in frozen)
        else:
            states = (history.at(moment) for history in histories if history.action.created_at <= moment)
        figures = count_states(((state.status, state.rag, state.target) for state in states), day=day)
        result.append(TrendPoint(label=cycle.name, day=day, figures=figures))
    # The last point is the present: the actions' own values, as in the headline figures (or the pack's moment).
    day = timezone.localtime(moment_now).date()
    if until is None:
        states = (history.present() for history in histories)
    else:
        states = (history.at(until) for history in histories if history.action.created_at <= until)
    figures = count_states(((state.status, state.rag, state.target) for state in states), day=day)
    result.append(TrendPoint(label="Now" if until is None else "This pack", day=day, figures=figures))
    return result


# -- Pages --------------------------------------------------------------------------------------------------------


def plan_last_updated(*, actions: QuerySet[Action]) -> datetime | None:
    return actions.order_by().aggregate(latest=Max("last_update_at"))["latest"]


def actions_for_export(*, actions: QuerySet[Action]) -> QuerySet[Action]:
    """The rows of an export: leads, organisations (one prefetch query), the latest narrative with the time it was
    written, and the latest evidence link."""
    updates = StatusUpdate.objects.filter(action=OuterRef("pk")).order_by("-effective_at", "-id")
    with_narrative = updates.exclude(narrative="")
    return (
        actions.with_current_target()
        .select_related("plan", "theme", "police_lead", "cps_lead", "completion_proposed_by")
        .prefetch_related("lead_organisations")
        .annotate(
            latest_narrative=Subquery(with_narrative.values("narrative")[:1]),
            latest_narrative_at=Subquery(with_narrative.values("effective_at")[:1]),
            latest_evidence_url=Subquery(updates.exclude(evidence_url="").values("evidence_url")[:1]),
        )
        .order_by("plan__kind", "plan__title", "reference_sort")
    )


# -- Cache key of the board's figures ---------------------------------------------------------------------------


def board_tables() -> list[str]:
    """The tables the board's figures (and the public progress page) are read from: a write to any of them can
    change a figure.

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
        # The board pack shows a cycle's decisions and minutes.
        BoardDecision,
        BoardMinutes,
        FindingSource,
        Recommendation,
        RecommendationLink,
        # The public progress page is cached under the same data version.
        PublicPage,
        PublicSummary,
    )
    return [model._meta.db_table for model in models]


def board_data_version() -> str:
    """The data version, which moves in the writing transaction on every write to `board_tables()` (whatever
    made it: a service, the admin, `QuerySet.update()`, raw SQL, a restore). One query."""
    return str(DataVersion.current())
