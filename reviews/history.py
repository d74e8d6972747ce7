"""The status history replayed in Python: where each action stood at any moment.

This is the value form of the as-of rules that `reviews.selectors` states for the database (`_state_at` and
`_target_at`, used by the board pack): the status or RAG at a moment is that of the last update on or before it,
failing that what the first later update changed from, failing that the action's present value; the target date
is the one the last revision on or before the moment set, failing that the one the first later revision replaced,
failing that the present target date. The dashboard's change and trend need a plan at several moments at once:
one query (the actions joined to their updates) gives every moment, where the database form costs a correlated
subquery per action, per moment and per column. Tests hold the two forms to the same answers.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from actions.models import Action


@dataclass(frozen=True, slots=True)
class Step:
    """One status update, as far as the as-of rules need it."""

    happened_at: datetime
    status_from: str
    status_to: str
    rag_from: str
    rag_to: str
    target_from: date | None
    target_to: date | None


@dataclass(frozen=True, slots=True)
class State:
    status: str
    rag: str
    target: date


class ActionHistory:
    """An action's present values and its updates in the order they were recorded."""

    __slots__ = ("action", "steps", "times", "revisions", "revision_times")

    def __init__(self, action: Action, steps: list[Step]):
        self.action = action
        self.steps = steps
        self.times = [step.happened_at for step in steps]
        self.revisions = [step for step in steps if step.target_to is not None]
        self.revision_times = [step.happened_at for step in self.revisions]

    def present(self) -> State:
        action = self.action
        return State(action.status, action.rag, action.revised_target_date or action.target_date)

    def at(self, moment: datetime | None) -> State:
        """Where the action stood at `moment` (its present values with no moment)."""
        present = self.present()
        if moment is None:
            return present
        # Steps on or before the moment come before `index`; they are ordered by (effective_at, id).
        index = bisect_right(self.times, moment)
        if index:
            status, rag = self.steps[index - 1].status_to, self.steps[index - 1].rag_to
        elif self.steps:
            first = self.steps[0]
            status, rag = first.status_from or present.status, first.rag_from or present.rag
        else:
            status, rag = present.status, present.rag
        revision = bisect_right(self.revision_times, moment)
        if revision:
            target = self.revisions[revision - 1].target_to
        elif self.revisions:
            target = self.revisions[0].target_from or present.target
        else:
            target = present.target
        return State(status, rag, target)


def load_histories(*, actions: QuerySet[Action], fields: tuple[str, ...]) -> list[ActionHistory]:
    """The actions (in the queryset's order; each with `fields`, which must hold the present status, RAG, target
    dates and creation time) with their status updates: one query, the actions joined to their updates."""
    step_fields = (
        "updates__effective_at",
        "updates__status_from",
        "updates__status_to",
        "updates__rag_from",
        "updates__rag_to",
        "updates__target_date_from",
        "updates__target_date_to",
    )
    # In the model's order, as `Model.from_db` takes them.
    wanted = set(fields)
    fields = tuple(field.attname for field in Action._meta.concrete_fields if field.attname in wanted)
    order = [*actions.query.order_by, "updates__effective_at", "updates__id"]
    rows = actions.order_by(*order).values_list(*fields, *step_fields)
    histories: list[ActionHistory] = []
    width = len(fields)
    current: Action | None = None
    steps: list[Step] = []
    key = fields.index("id")
    for row in rows:
        if current is None or current.pk != row[key]:
            if current is not None:
                histories.append(ActionHistory(current, steps))
            current, steps = Action.from_db(actions.db, fields, row[:width]), []
        if row[width] is not None:
            steps.append(Step(*row[width:]))
    if current is not None:
        histories.append(ActionHistory(current, steps))
    return histories
