"""Rules about an action's content that need more than one row, shared by the admin and the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from actionplan.text import prose_problem

if TYPE_CHECKING:
    from .models import Action


def validate_action(action: Action) -> None:
    """Raise ValidationError (by field) when the action breaks a rule that spans tables (the theme's plan, the
    leads' organisations, the mirrored action's plan). Rules of one row are the model's constraints, which
    `full_clean()` checks with their own messages."""

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for name, what in (("title", "The title"), ("description", "The description"), ("revision_reason", "The reason")):
        problem = prose_problem(getattr(action, name) or "", what=what)
        if problem:
            add(name, problem)
    if action.theme_id and action.plan_id and action.theme.plan_id != action.plan_id:
        add("theme", "Choose a theme of the same plan.")
    if action.police_lead_id and action.police_lead.side != "police":
        add("police_lead", "The police lead must belong to a police organisation.")
    if action.cps_lead_id and action.cps_lead.side != "cps":
        add("cps_lead", "The CPS lead must belong to a CPS organisation.")
    if action.mirrors_id:
        national = action.mirrors
        if action.mirrors_id != action.pk and action.plan_id and national.plan_id != action.plan.mirrors_id:
            add("mirrors", "A local action mirrors an action of the national plan its plan mirrors.")
    if errors:
        raise ValidationError(errors)
