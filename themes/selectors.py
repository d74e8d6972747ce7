"""Reads of plans and themes."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Plan, Theme


def plans_visible(*, user) -> QuerySet[Plan]:
    """The plans the person may read (see `PlanQuerySet.readable_by`), with their force, Area and national plan."""
    return Plan.objects.readable_by(user).select_related("police_force", "cps_area", "mirrors")


def plan_national_current() -> Plan | None:
    """The national plan in force: the most recent published one."""
    return plans_national_current().first()


def plans_national_current() -> QuerySet[Plan]:
    """The published national plans, the one in force (see `plan_national_current`) first."""
    return Plan.objects.published().filter(kind=Plan.Kind.NATIONAL).order_by("-period_start", "-id")


def local_plans_of(*, plan: Plan, user) -> QuerySet[Plan]:
    """The local plans mirroring `plan` that the person may read, by force."""
    return plan.local_plans.readable_by(user).select_related("police_force", "cps_area").order_by("police_force__name")


def plan_with_themes(plans: QuerySet[Plan]) -> tuple[Plan | None, list[Theme]]:
    """The first plan of `plans` and its themes in order: one query (two for a plan with no theme)."""
    themes = list(Theme.objects.filter(plan=plans.values("pk")[:1]).select_related("plan").order_by("number"))
    if themes:
        return themes[0].plan, themes
    return plans.first(), []
