"""Reads of review cycles."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import ReviewCycle


def review_cycles_list() -> QuerySet[ReviewCycle]:
    return (
        ReviewCycle.objects.select_related("plan")
        .annotate(update_count=Count("status_updates"))
        .order_by("plan__kind", "plan__title", "-opens_on")
    )
