"""The public progress page of a plan: switched on and off, and the public summaries of completed actions, approved
for publication. Every write goes through these services; each refusal says why and changes nothing."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, Status
from actions.permissions import can_manage_public_page
from actions.validation import clean_prose, prose_problem
from themes.models import Plan

from .models import PublicPage, PublicSummary

INTRODUCTION_MAX_LENGTH = 2000
SUMMARY_MAX_LENGTH = 1500
# A surname after a title or a rank names a person as surely as a full name does.
TITLES = r"(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|dc|ds|di|dci|dsi|dcs|pc|ps|insp|inspector|supt|superintendent)"


def names_of_people_in(text: str) -> list[str]:
    """The names of the service's people that a text contains: a full name ("Sarah Thornton", "Thornton, Sarah"),
    or a surname after a title or rank ("Ms Thornton", "DCI Thornton"); matched whole words, any case."""
    found = []
    for first, last in get_user_model().objects.exclude(last_name="").values_list("first_name", "last_name"):
        first, last = first.strip(), last.strip()
        if not last:
            continue
        patterns = [rf"\b{TITLES}\.?\s+{re.escape(last)}\b"]
        if first:
            patterns += [
                rf"\b{re.escape(first)}\s+{re.escape(last)}\b",
                rf"\b{re.escape(last)},\s*{re.escape(first)}\b",
            ]
        if any(re.search(pattern, text, flags=re.IGNORECASE) for pattern in patterns):
            name = f"{first} {last}".strip()
            if name not in found:
                found.append(name)
    return found


def _public_text_problem(text: str, *, what: str, max_length: int, required: bool) -> str | None:
    problem = prose_problem(text, what=what, max_length=max_length, required=required)
    if problem:
        return problem
    names = names_of_people_in(text)
    if names:
        return (
            f"The {what} names {', '.join(names)}, who use{'s' if len(names) == 1 else ''} this service: "
            "the public page names no one, so take the name out"
        )
    return None


def public_page_save(
    *, plan: Plan, by, enabled: bool, introduction: str = "", show_names: bool, show_rag: bool, show_dates: bool
) -> PublicPage:
    """Switch a plan's public progress page on or off and choose what it shows beyond the counts and the public
    summaries: the leads' names, delivery confidence, completion dates (all off unless ticked). Only a published
    plan's page can be switched on."""
    if not can_manage_public_page(by, plan):
        raise PermissionDenied("Only an admin may change the public progress page")
    introduction = clean_prose(introduction)
    errors: dict[str, list[str]] = {}
    problem = _public_text_problem(
        introduction, what="introduction", max_length=INTRODUCTION_MAX_LENGTH, required=False
    )
    if problem:
        errors["introduction"] = [problem]
    if enabled and plan.status != Plan.Status.PUBLISHED:
        errors["enabled"] = [f"The plan is {plan.get_status_display().lower()}: only a published plan's page is public"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        page = PublicPage.objects.select_for_update().filter(plan=plan).first() or PublicPage(plan=plan)
        page.enabled, page.introduction = enabled, introduction
        page.show_names, page.show_rag, page.show_dates = show_names, show_rag, show_dates
        page.updated_by = by
        page._history_user = by
        page.full_clean()
        page.save()
    return page


def public_summary_approve(*, action: Action, by, text: str) -> PublicSummary:
    """Write (or rewrite) the public summary of a completed action and approve it for publication. Refused for an
    action not completed, and for a summary that names one of the service's people."""
    if not can_manage_public_page(by, action.plan):
        raise PermissionDenied("Only an admin may approve a public summary")
    text = clean_prose(text)
    if action.status != Status.COMPLETED:
        raise ValidationError(
            f"Action {action.reference} is {action.get_status_display().lower()}: "
            "only a completed action has a public summary"
        )
    problem = _public_text_problem(text, what="public summary", max_length=SUMMARY_MAX_LENGTH, required=True)
    if problem:
        raise ValidationError({"text": [problem]})
    with transaction.atomic():
        summary = PublicSummary.objects.select_for_update().filter(action=action).first()
        summary = summary or PublicSummary(action=action)
        summary.text, summary.approved_by, summary.approved_at = text, by, timezone.now()
        summary._history_user = by
        summary.full_clean()
        summary.save()
    return summary


def public_summary_withdraw(*, action: Action, by) -> None:
    """Take a public summary off the page (its text stays in the summaries' history)."""
    if not can_manage_public_page(by, action.plan):
        raise PermissionDenied("Only an admin may withdraw a public summary")
    summary = PublicSummary.objects.filter(action=action).first()
    if summary is None:
        raise ValidationError(f"Action {action.reference} has no public summary to withdraw")
    summary._history_user = by
    summary.delete()
