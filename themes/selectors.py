"""Reads of plans and themes."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from actions.models import Action

from .models import Plan, Theme


def plans_visible() -> QuerySet[Plan]:
    """Plans people can read: published first, drafts and archives are for admins in the admin."""
    return Plan.objects.select_related("police_force", "cps_area", "mirrors")


def plan_national_current() -> Plan | None:
    """The national plan in force: the most recent published one."""
    return (
        Plan.objects.filter(kind=Plan.Kind.NATIONAL, status=Plan.Status.PUBLISHED)
        .order_by("-period_start", "-id")
        .first()
    )


def _actions_for_listing() -> QuerySet[Action]:
    return Action.objects.select_related("police_lead", "cps_lead").with_current_target().order_by("reference_sort")


def plan_themes_with_actions(*, plan: Plan) -> QuerySet[Theme]:
    """The plan's themes in order, each with its actions (and their leads) prefetched."""
    return plan.themes.order_by("number").prefetch_related(Prefetch("actions", queryset=_actions_for_listing()))


def theme_actions(*, theme: Theme) -> QuerySet[Action]:
    return _actions_for_listing().filter(theme=theme).prefetch_related("lead_organisations")


def local_plans_of(*, plan: Plan) -> QuerySet[Plan]:
    return plan.local_plans.select_related("police_force", "cps_area").order_by("police_force__name")
