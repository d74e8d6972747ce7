"""The review cycle moved from `reviews` to `themes` and the reminder from `actionplan` to `notifications`: the
migrations keep every row and every link. Rows are written with the models as they stood before the move, the
migrations run forward, and the same rows are read back through today's models."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("actionplan", "0002_reminder"),
    ("themes", "0001_initial"),
    ("actions", "0001_initial"),
    ("reviews", "0001_initial"),
]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    # One target at a time: the way back runs through two branches of the themes graph, which one plan for all
    # the targets at once would unapply in an order SQLite's table rebuilds do not follow.
    for target in targets:
        executor = MigrationExecutor(connection)
        executor.migrate([target])
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(targets).apps


def test_moving_review_cycles_and_reminders_loses_no_row_or_link():
    old = _migrate(BEFORE)
    Organisation = old.get_model("actionplan", "Organisation")
    User = old.get_model("actionplan", "User")
    Plan = old.get_model("themes", "Plan")
    Theme = old.get_model("themes", "Theme")
    Action = old.get_model("actions", "Action")
    StatusUpdate = old.get_model("actions", "StatusUpdate")
    OldCycle = old.get_model("reviews", "ReviewCycle")
    OldHistoricalCycle = old.get_model("reviews", "HistoricalReviewCycle")
    OldReminder = old.get_model("actionplan", "Reminder")

    force = Organisation.objects.create(name="Kent Police", kind="police")
    lead = User.objects.create(username="lead", email="lead@example.org", organisation=force, role="lead")
    plan = Plan.objects.create(
        kind="national", title="National plan", slug="national", period_start=date(2021, 3, 1),
        period_end=date(2024, 3, 31), status="published",
    )  # fmt: skip
    theme = Theme.objects.create(plan=plan, number=1, title="Supporting victims")
    action = Action.objects.create(
        plan=plan, theme=theme, reference="1.1", reference_sort="000001.000001", title="ISVA framework",
        side="police", police_lead=lead, start_date=date(2021, 3, 1), target_date=date(2022, 3, 31),
    )  # fmt: skip
    cycle = OldCycle.objects.create(
        plan=plan, name="Q1 2022-23", opens_on=date(2022, 4, 1), updates_due_on=date(2022, 4, 15),
        board_meeting_on=date(2022, 4, 29), state="closed", closed_at=timezone.now(),
    )  # fmt: skip
    OldHistoricalCycle.objects.create(
        id=cycle.pk, plan_id=plan.pk, name=cycle.name, opens_on=cycle.opens_on, updates_due_on=cycle.updates_due_on,
        board_meeting_on=cycle.board_meeting_on, state="planned", history_date=timezone.now(), history_type="+",
    )  # fmt: skip
    update = StatusUpdate.objects.create(
        action=action, author=lead, review_cycle=cycle, status_to="in_progress", rag_to="amber", version=2,
        narrative="Framework drafted.",
    )  # fmt: skip
    reminder_for_cycle = OldReminder.objects.create(
        recipient=lead, kind="update_due", review_cycle=cycle, occasion="2022-04-15-3", due_on=date(2022, 4, 12)
    )
    reminder_for_action = OldReminder.objects.create(
        recipient=lead, kind="overdue", action=action, occasion="2022-03-31+1", due_on=date(2022, 4, 1)
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from actions.models import StatusUpdate as NewStatusUpdate
    from notifications.models import Reminder
    from themes.models import ReviewCycle

    moved = ReviewCycle.objects.get(pk=cycle.pk)
    assert (moved.plan_id, moved.name, moved.state, moved.board_meeting_on) == (
        plan.pk,
        "Q1 2022-23",
        "closed",
        date(2022, 4, 29),
    )
    assert moved.closed_at is not None
    assert list(moved.history.values_list("state", flat=True)) == ["planned"]
    assert NewStatusUpdate.objects.get(pk=update.pk).review_cycle_id == cycle.pk
    assert list(moved.status_updates.values_list("pk", flat=True)) == [update.pk]
    assert Reminder.objects.get(pk=reminder_for_cycle.pk).review_cycle_id == cycle.pk
    assert Reminder.objects.get(pk=reminder_for_action.pk).action_id == action.pk
    assert set(moved.reminders.values_list("pk", flat=True)) == {reminder_for_cycle.pk}
