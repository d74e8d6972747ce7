"""Reads for the API: the querysets behind each endpoint, with what their serializers show, in a fixed number of
queries whatever the page size."""

from __future__ import annotations

from django.db.models import QuerySet

from actions.models import Action, StatusUpdate
from themes.models import Plan, ReviewCycle, Theme

from .models import ApiToken


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The person's tokens, active first, the newest first."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def plans_for_api(*, user) -> QuerySet[Plan]:
    return (
        Plan.objects.readable_by(user).select_related("police_force", "cps_area", "mirrors").order_by("kind", "title")
    )


def themes_for_api(*, user) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(plan__in=Plan.objects.readable_by(user))
        .select_related("plan", "mirrors")
        .order_by("plan__kind", "plan__title", "plan_id", "number")
    )


def actions_for_api(*, user) -> QuerySet[Action]:
    """The actions the person may read with their plan, theme, leads (and their organisations) and lead
    organisations: three queries for a page of any size (the page, its lead organisations, and the count)."""
    return (
        Action.objects.readable_by(user)
        .select_related("plan", "theme", "police_lead__organisation", "cps_lead__organisation")
        .prefetch_related("lead_organisations")
        .order_by("plan_id", "reference_sort", "id")
    )


def status_updates_for_api(*, user) -> QuerySet[StatusUpdate]:
    return (
        StatusUpdate.objects.filter(action__plan__in=Plan.objects.readable_by(user))
        .select_related("action", "author__organisation")
        .order_by("-effective_at", "-id")
    )


def review_cycles_for_api(*, user) -> QuerySet[ReviewCycle]:
    return (
        ReviewCycle.objects.filter(plan__in=Plan.objects.readable_by(user))
        .select_related("plan", "closed_by__organisation")
        .order_by("plan__kind", "plan__title", "plan_id", "-opens_on", "-id")
    )
