"""Reads of inspection recommendations: their state from the actions that answer them, the list with its filters,
the action page's section, and the summary the dashboard and board pack show (now, or as at a moment)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from actions.models import Action, Status

from .models import FindingSource, Recommendation, RecommendationLink, recommendation_state
from .selectors import actions_as_of

State = Recommendation.State


@dataclass(frozen=True)
class Progress:
    planned: int
    completed: int
    state: str

    @property
    def label(self) -> str:
        if self.state == State.IN_PROGRESS:
            return f"In progress ({self.completed} of {self.planned} completed)"
        return State(self.state).label


def progress_of(recommendation: Recommendation) -> Progress:
    """The progress of a recommendation annotated by `with_progress()`: no query."""
    return Progress(planned=recommendation.planned, completed=recommendation.completed, state=recommendation.state)


def recommendation_progress(*, recommendation: Recommendation) -> Progress:
    """The progress of one recommendation, counted from the actions linked to it now."""
    counts = recommendation.links.aggregate(
        planned=Count("pk", filter=~Q(action__status=Status.CLOSED)),
        completed=Count("pk", filter=Q(action__status=Status.COMPLETED)),
    )
    return Progress(
        planned=counts["planned"],
        completed=counts["completed"],
        state=recommendation.state_of(planned=counts["planned"], completed=counts["completed"]),
    )


def _linked_actions() -> Prefetch:
    return Prefetch(
        "links",
        queryset=RecommendationLink.objects.select_related("action", "action__plan").order_by(
            "action__plan__kind", "action__plan__title", "action__reference_sort"
        ),
    )


def recommendations_listed(
    *, source: FindingSource | None = None, states: list[str] | None = None, addressee: str | None = None
) -> QuerySet[Recommendation]:
    """Recommendations with their source, progress and linked actions, by source and number, filtered."""
    rows = Recommendation.objects.with_progress().select_related("source").prefetch_related(_linked_actions())
    if source is not None:
        rows = rows.filter(source=source)
    if states:
        rows = rows.filter(state__in=states)
    if addressee:
        rows = rows.filter(addressee=addressee)
    return rows.order_by("source__published_on", "source__title", "number_sort")


def recommendation_detail(*, pk) -> Recommendation | None:
    return (
        Recommendation.objects.with_progress()
        .select_related("source", "closed_by")
        .prefetch_related(_linked_actions())
        .filter(pk=pk)
        .first()
    )


def recommendations_for_action(*, action: Action) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(links__action=action)
        .with_progress()
        .select_related("source")
        .order_by("source__published_on", "source__title", "number_sort")
    )


def recommendations_linkable(*, action: Action) -> QuerySet[Recommendation]:
    """The recommendations not yet linked to the action, for the action page's choice."""
    return (
        Recommendation.objects.exclude(links__action=action)
        .select_related("source")
        .order_by("source__published_on", "source__title", "number_sort")
    )


def sources_listed() -> QuerySet[FindingSource]:
    return FindingSource.objects.annotate(recommendation_count=Count("recommendations")).order_by(
        "published_on", "title"
    )


# -- The summary on the dashboard and in the board pack -----------------------------------------------------------


@dataclass
class SourceSummary:
    source: FindingSource
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, state: str) -> int:
        return self.counts[state]


@dataclass
class RecommendationSummary:
    sources: list[SourceSummary]
    open_items: list[tuple[Recommendation, Progress]]
    totals: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.totals.values())


STATE_ORDER = [State.NOT_PLANNED, State.IN_PROGRESS, State.ADDRESSED, State.CLOSED]
SUMMARY_FIELDS = (
    "source",
    "number",
    "number_sort",
    "text",
    "closed_at",
    "source__title",
    "source__short_title",
    "source__published_on",
)


def recommendation_summary(*, moment: datetime | None = None) -> RecommendationSummary:
    """Each source's recommendations by state, and those not yet closed with their progress: now (one query), or
    as they stood at `moment` (three queries: recommendations and links recorded by then, the linked actions'
    statuses then from their history, and closures made by then). Never a query per recommendation."""
    if moment is None:
        rows = [
            (recommendation, progress_of(recommendation))
            for recommendation in Recommendation.objects.with_progress()
            .select_related("source")
            # What the summary shows: every column would be grouped by, and cost more to compile than to fetch.
            .only(*SUMMARY_FIELDS)
            .order_by("source__published_on", "source__title", "number_sort")
        ]
        return _summarise(rows)
    recommendations = (
        Recommendation.objects.filter(created_at__lte=moment)
        .select_related("source")
        .order_by("source__published_on", "source__title", "number_sort")
    )
    pairs = list(
        RecommendationLink.objects.filter(created_at__lte=moment).values_list("recommendation_id", "action_id")
    )
    statuses = dict(
        actions_as_of(actions=Action.objects.filter(pk__in={a for _, a in pairs}), moment=moment).values_list(
            "pk", "status_then"
        )
    )
    planned: Counter = Counter()
    completed: Counter = Counter()
    for recommendation_id, action_id in pairs:
        status = statuses.get(action_id)
        if status is None or status == Status.CLOSED:
            continue
        planned[recommendation_id] += 1
        completed[recommendation_id] += status == Status.COMPLETED
    rows = []
    for recommendation in recommendations:
        closed = recommendation.closed_at is not None and recommendation.closed_at <= moment
        counts = {"planned": planned[recommendation.pk], "completed": completed[recommendation.pk]}
        state = recommendation_state(closed=closed, **counts)
        rows.append((recommendation, Progress(state=state, **counts)))
    return _summarise(rows)


def _summarise(rows: list[tuple[Recommendation, Progress]]) -> RecommendationSummary:
    by_source: dict[int, SourceSummary] = {}
    summary = RecommendationSummary(sources=[], open_items=[])
    for recommendation, progress in rows:
        if recommendation.source_id not in by_source:
            by_source[recommendation.source_id] = SourceSummary(source=recommendation.source)
            summary.sources.append(by_source[recommendation.source_id])
        by_source[recommendation.source_id].counts[progress.state] += 1
        summary.totals[progress.state] += 1
        if progress.state != State.CLOSED:
            summary.open_items.append((recommendation, progress))
    return summary
