"""Reads of plans and themes."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Plan


def plans_visible(*, user) -> QuerySet[Plan]:
    """The plans the person may read (see `PlanQuerySet.readable_by`), with their force, Area and national plan."""
    return Plan.objects.readable_by(user).select_related("police_force", "cps_area", "mirrors")


def plan_national_current() -> Plan | None:
    """The national plan in force: the most recent published one."""
    return Plan.objects.published().filter(kind=Plan.Kind.NATIONAL).order_by("-period_start", "-id").first()


def local_plans_of(*, plan: Plan, user) -> QuerySet[Plan]:
    """The local plans mirroring `plan` that the person may read, by force."""
    return plan.local_plans.readable_by(user).select_related("police_force", "cps_area").order_by("police_force__name")
