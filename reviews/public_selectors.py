"""Reads of the public progress page: only what is written for the public, and what the admin chose to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from actions.models import Action, Status
from themes.models import Plan

from .models import PublicPage
from .selectors import Figures, figures_by


@dataclass
class PublicAction:
    reference: str
    title: str
    summary: str
    completed_on: date | None = None
    leads: list[str] = field(default_factory=list)


@dataclass
class PublicTheme:
    number: int
    title: str
    purpose: str
    figures: Figures
    completed: list[PublicAction]


def public_page_of(*, slug: str) -> PublicPage | None:
    """The plan's public page if it is switched on and the plan is published; otherwise None (the page is not
    there)."""
    return (
        PublicPage.objects.select_related("plan")
        .filter(plan__slug=slug, enabled=True, plan__status=Plan.Status.PUBLISHED)
        .first()
    )


def public_page_content(*, page: PublicPage, today: date) -> list[PublicTheme]:
    """Each theme with its counts by status (and by delivery confidence when chosen), and its completed actions
    with their approved public summaries; the leads' names and the completion dates only when chosen. The
    internal narratives, target dates and everything else stay out. Actions not applicable locally are left out."""
    plan = page.plan
    actions = plan.actions.filter(not_applicable=False)
    by_theme = figures_by(actions=actions, key="theme_id", today=today)
    completed: QuerySet[Action] = (
        actions.filter(status=Status.COMPLETED)
        .select_related(
            "public_summary", "police_lead", "cps_lead", "police_lead__organisation", "cps_lead__organisation"
        )
        .order_by("reference_sort")
    )
    listed: dict[int, list[PublicAction]] = {}
    for action in completed:
        summary = getattr(action, "public_summary", None)
        leads = []
        if page.show_names:
            leads = [
                f"{lead.get_full_name()}, {lead.organisation.display_name}" if lead.organisation_id else str(lead)
                for lead in action.leads
            ]
        listed.setdefault(action.theme_id, []).append(
            PublicAction(
                reference=action.reference,
                title=action.title,
                summary=summary.text if summary else "",
                completed_on=action.completed_on if page.show_dates else None,
                leads=leads,
            )
        )
    return [
        PublicTheme(
            number=theme.number,
            title=theme.title,
            purpose=theme.purpose,
            figures=by_theme.get(theme.pk, Figures()),
            completed=listed.get(theme.pk, []),
        )
        for theme in plan.themes.order_by("number")
    ]


def public_summaries_to_write(*, plan: Plan) -> QuerySet[Action]:
    """The plan's completed actions with their public summary (if any), for the admin's page."""
    return (
        plan.actions.filter(status=Status.COMPLETED, not_applicable=False)
        .select_related("public_summary", "public_summary__approved_by")
        .order_by("reference_sort")
    )
