"""Reads of actions and their status updates."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Action, StatusUpdate


def action_detail_queryset() -> QuerySet[Action]:
    return Action.objects.select_related(
        "plan",
        "plan__police_force",
        "plan__cps_area",
        "theme",
        "police_lead",
        "cps_lead",
        "police_lead__organisation",
        "cps_lead__organisation",
        "mirrors",
        "mirrors__plan",
    ).prefetch_related("lead_organisations")


def action_timeline(*, action: Action) -> QuerySet[StatusUpdate]:
    """The action's status updates, newest first, with their authors."""
    return action.updates.select_related("author", "author__organisation", "review_cycle").order_by(
        "-created_at", "-id"
    )
