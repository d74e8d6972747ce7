"""Rules about an action's content that need more than one row, shared by the admin and the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .models import Action


def validate_action(action: Action) -> None:
    """Raise ValidationError (by field) when the action breaks a rule the database cannot express alone."""
    from actionplan.dates import DatePrecision, is_period_end

    from .models import DONE_STATUSES, Rag, Side, Status

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if action.theme_id and action.plan_id and action.theme.plan_id != action.plan_id:
        add("theme", "Choose a theme of the same plan.")
    if action.start_date and action.target_date and action.start_date > action.target_date:
        add("target_date", "The target date must be the same as or after the start date.")
    for name in ("start_date", "target_date", "revised_target_date"):
        day, precision = getattr(action, name), getattr(action, f"{name}_precision")
        if precision not in DatePrecision.values:
            add(name, "Give the date as a day, a month or a quarter.")
        elif day is not None and not is_period_end(day, precision):
            add(name, "A month or a quarter is stored as its last day.")
    if action.rag == "" and action.status not in DONE_STATUSES:
        add("rag", "Give the delivery confidence of an action that is not completed or closed.")
    elif action.rag and action.rag not in Rag.values:
        add("rag", "Choose green, amber or red.")
    if action.revised_target_date:
        if not action.revision_reason.strip():
            add("revision_reason", "Give the reason the target date was revised.")
        if action.start_date and action.revised_target_date < action.start_date:
            add("revised_target_date", "The revised target date must be the same as or after the start date.")
    if action.side == Side.POLICE and action.cps_lead_id:
        add("cps_lead", "A police action has no CPS lead.")
    if action.side == Side.CPS and action.police_lead_id:
        add("police_lead", "A CPS action has no police lead.")
    if action.police_lead_id and action.police_lead.side != "police":
        add("police_lead", "The police lead must belong to a police organisation.")
    if action.cps_lead_id and action.cps_lead.side != "cps":
        add("cps_lead", "The CPS lead must belong to a CPS organisation.")
    if action.status == Status.CLOSED and not action.closure_reason:
        add("closure_reason", "Say whether the closed action was superseded or withdrawn.")
    if action.status != Status.CLOSED and action.closure_reason:
        add("closure_reason", "Only a closed action has a closure reason.")
    if action.mirrors_id:
        national = action.mirrors
        if action.mirrors_id == action.pk:
            add("mirrors", "An action cannot mirror itself.")
        elif action.plan_id and national.plan_id != action.plan.mirrors_id:
            add("mirrors", "A local action mirrors an action of the national plan its plan mirrors.")
    if errors:
        raise ValidationError(errors)
