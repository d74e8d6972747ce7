"""Writes to an action's content: creating an action and editing its reference, title, dates, side and leads.

Progress (status, delivery confidence, a revised date) changes only through `services.action_update_status`, which
keeps the timeline; the one exception is an action being created, which starts with the progress it is given.
The spreadsheet import and the API come here, so they obey the rules the admin obeys (`Action.full_clean`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplan.dates import DatePrecision

from .models import Action, Status

if TYPE_CHECKING:
    from actionplan.models import Organisation, User
    from themes.models import Plan, Theme

# The fields of an action's content that an import or an edit may change. Progress fields are not among them.
CONTENT_FIELDS = (
    "theme",
    "reference",
    "title",
    "description",
    "side",
    "police_lead",
    "cps_lead",
    "start_date",
    "start_date_precision",
    "target_date",
    "target_date_precision",
)


def suggest_reference(*, theme: Theme, taken: Iterable[str] = ()) -> str:
    """The next free reference in the theme: "2.7" when the theme's highest is "2.6" (or "2.6" is taken)."""
    used = set(theme.plan.actions.values_list("reference", flat=True)) | set(taken)
    pattern = re.compile(rf"^{theme.number}\.(\d+)$")
    numbers = [int(match.group(1)) for reference in used if (match := pattern.match(reference))]
    candidate = max(numbers, default=0) + 1
    while f"{theme.number}.{candidate}" in used:
        candidate += 1
    return f"{theme.number}.{candidate}"


@transaction.atomic
def action_create(
    *,
    plan: Plan,
    theme: Theme,
    reference: str,
    title: str,
    side: str,
    target_date: date,
    by: User,
    description: str = "",
    police_lead: User | None = None,
    cps_lead: User | None = None,
    lead_organisations: Iterable[Organisation] = (),
    start_date: date | None = None,
    start_date_precision: str = DatePrecision.DAY,
    target_date_precision: str = DatePrecision.DAY,
    status: str = Status.NOT_STARTED,
    rag: str = "green",
    closure_reason: str = "",
    completed_on: date | None = None,
    added_at: datetime | None = None,
    reason: str = "",
) -> Action:
    """Create an action with the progress it starts with, recorded in its history as made by `by`.

    `added_at` is when the action joined the plan, for an action brought in with its history (the board's "as at"
    figures count it from then); by default, now. A completed action without `completed_on` is completed on the
    day it joined. Raises ValidationError (by field) when a rule is broken; nothing is saved then.
    """
    action = Action(
        plan=plan,
        theme=theme,
        reference=reference.strip(),
        title=title.strip(),
        description=description.strip(),
        side=side,
        police_lead=police_lead,
        cps_lead=cps_lead,
        start_date=start_date,
        start_date_precision=start_date_precision,
        target_date=target_date,
        target_date_precision=target_date_precision,
        status=status,
        rag=rag,
        closure_reason=closure_reason if status == Status.CLOSED else "",
        completed_on=(completed_on or (timezone.localdate(added_at) if added_at else None))
        if status == Status.COMPLETED
        else None,
    )
    if status == Status.COMPLETED and action.completed_on is None:
        action.completed_on = timezone.localdate()
    action.full_clean(exclude=["reference_sort"])
    action._history_user = by
    action._change_reason = reason
    action.save()
    organisations = list(lead_organisations)
    if organisations:
        action.lead_organisations.set(organisations)
    if added_at is not None:
        # created_at is set on insert; an action brought in with its history joined the plan earlier.
        Action.objects.filter(pk=action.pk).update(created_at=added_at)
        action.created_at = added_at
    return action


@transaction.atomic
def action_update_content(
    *,
    action: Action,
    by: User,
    changes: dict,
    lead_organisations: Iterable[Organisation] | None = None,
    reason: str = "",
) -> Action:
    """Change content fields of the action (see CONTENT_FIELDS), recorded in its history as made by `by`.

    Saves only the content fields, so a status update saved meanwhile is never overwritten. Raises ValidationError
    (by field) when a rule is broken, and ValueError for a field that is not content.
    """
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not content fields: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(action, name, value)
    action.full_clean(exclude=["reference_sort"])
    action._history_user = by
    action._change_reason = reason
    if changes:
        action.save(update_fields=[*changes, "reference_sort"])
    if lead_organisations is not None:
        action.lead_organisations.set(list(lead_organisations))
    return action


@transaction.atomic
def action_set_starting_progress(
    *,
    action: Action,
    by: User,
    status: str,
    rag: str,
    closure_reason: str = "",
    completed_on: date | None = None,
    reason: str = "",
) -> Action:
    """Set where an action of a plan not yet published starts: its status and confidence, with no status update.

    A draft is being set up, not reported on, so its actions have no timeline yet; once the plan is published,
    progress changes only through `services.action_update_status`. Raises ValidationError for a published or
    archived plan's action, or one that already has status updates.
    """
    if action.plan.status != action.plan.Status.DRAFT or action.updates.exists():
        raise ValidationError(
            {"status": "Only an action of a draft plan, with no status updates, has its starting progress set"}
        )
    action.status = status
    action.rag = rag
    action.closure_reason = closure_reason if status == Status.CLOSED else ""
    action.completed_on = (completed_on or timezone.localdate()) if status == Status.COMPLETED else None
    action.full_clean(exclude=["reference_sort"])
    action._history_user = by
    action._change_reason = reason
    action.save(update_fields=["status", "rag", "closure_reason", "completed_on"])
    return action
