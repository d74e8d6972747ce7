"""Reads of reminders."""

from __future__ import annotations

from django.db.models import QuerySet

from actionplan.models import User

from .models import Reminder


def reminders_for_recipient(*, user: User) -> QuerySet[Reminder]:
    """The reminders recorded for a person, newest first, with what they are about."""
    return user.reminders.select_related("action", "action__plan", "review_cycle", "review_cycle__plan").order_by(
        "-due_on", "kind", "-id"
    )
