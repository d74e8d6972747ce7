"""Rules about an action's content, shared by the admin and the services.

`validate_action` puts each one-row rule of the action's Meta.constraints on the question it is about, in words
that say what to do (the database holds the same rules), and checks the rules that need other rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from actionplan.models import Organisation, User

    from .models import Action

SIDE_WORDS = {"police": "police", "cps": "CPS"}


def lead_problem(*, person: User, side: str) -> str | None:
    """Why the person cannot be the action's police (or CPS) lead, or None. The admin's pickers offer only people
    who can (`actionplan.models.leads_on_side_q`); this is for anyone named another way, or no longer eligible."""
    if person.can_lead_on(side):
        return None
    name = person.get_full_name() or person.get_username()
    words = SIDE_WORDS[side]
    if not person.is_active:
        return f"{name} can no longer sign in: choose another {words} lead"
    if person.role != person.Role.LEAD:
        role = person.get_role_display().lower()
        described = "has no role" if person.role == person.Role.NONE else f"is {_article(role)} {role}"
        return (
            f"{name} {described}, not a lead: choose a person with the lead role, "
            f"or give {name} the lead role in Users first"
        )
    where = f"belongs to {person.organisation.name}" if person.organisation_id else "has no organisation"
    organisation = "a police organisation" if side == "police" else "a CPS organisation"
    return f"The {words} lead must belong to {organisation}: {name} {where}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def accountability_problem(
    *, side: str, police_lead: User | None, cps_lead: User | None, lead_organisations: Iterable[Organisation]
) -> str | None:
    """Why nobody would be accountable for the action, or None.

    An action needs a named lead, or a lead organisation on its side whose leads see it in My actions and may
    update it: police organisations for a police action, CPS organisations for a CPS action, either for a joint one.
    Lead organisations are a many-to-many, so the admin form checks this with the organisations it was given.
    """
    from .permissions import SIDES_THAT_MAY_UPDATE

    if police_lead is not None or cps_lead is not None:
        return None
    kinds = SIDES_THAT_MAY_UPDATE.get(side, set())
    if any(organisation.kind in kinds for organisation in lead_organisations):
        return None
    if side == "police":
        who = "Name a police lead, or choose a police organisation as a lead organisation"
    elif side == "cps":
        who = "Name a CPS lead, or choose a CPS organisation as a lead organisation"
    else:
        who = "Name a police lead or a CPS lead, or choose a police or CPS organisation as a lead organisation"
    return f"{who}, so that someone sees this action in My actions and can update it"


def validate_action(action: Action) -> None:
    """Raise ValidationError (by field) when the action breaks a rule; see the module's docstring."""
    from .models import Side, Status

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if action.theme_id and action.plan_id and action.theme.plan_id != action.plan_id:
        add("theme", f"Choose a theme of {action.plan.title}: {action.theme} belongs to {action.theme.plan.title}")
    if action.start_date and action.target_date and action.start_date > action.target_date:
        add("target_date", "The target date must be the same as or after the start date")
    if action.revised_target_date:
        if not action.revision_reason.strip():
            add("revision_reason", "Give the reason the target date was revised")
        if action.start_date and action.revised_target_date < action.start_date:
            add("revised_target_date", "The revised target date must be the same as or after the start date")
    if action.side == Side.POLICE and action.cps_lead_id:
        add("cps_lead", "A police action has no CPS lead: remove the CPS lead, or make the action joint")
    if action.side == Side.CPS and action.police_lead_id:
        add("police_lead", "A CPS action has no police lead: remove the police lead, or make the action joint")
    for field, side in (("police_lead", "police"), ("cps_lead", "cps")):
        if getattr(action, f"{field}_id") and field not in errors:
            problem = lead_problem(person=getattr(action, field), side=side)
            if problem:
                add(field, problem)
    if action.status == Status.CLOSED and not action.closure_reason:
        add("closure_reason", "Say whether the closed action was superseded or withdrawn")
    if action.status != Status.CLOSED and action.closure_reason:
        add("closure_reason", "Only a closed action has a closure reason: remove it, or set the status to closed")
    if action.status == Status.COMPLETED and not action.completed_on:
        add("completed_on", "Enter the date the action was completed")
    if action.status != Status.COMPLETED and action.completed_on:
        add("completed_on", "Only a completed action has a completion date: remove it, or set the status to completed")
    if action.mirrors_id:
        mirrored = action.mirrors
        if action.pk is not None and action.mirrors_id == action.pk:
            add("mirrors", "An action cannot mirror itself: choose an action of the national plan")
        elif action.plan_id and action.plan.mirrors_id is None:
            add("mirrors", "Leave this empty: an action of a national plan mirrors no other action")
        elif action.plan_id and mirrored.plan_id != action.plan.mirrors_id:
            add(
                "mirrors",
                f"Choose an action of {action.plan.mirrors.title}, the national plan this plan mirrors: "
                f"action {mirrored.reference} belongs to {mirrored.plan.title}",
            )
    if errors:
        raise ValidationError(errors)
