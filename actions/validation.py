"""Rules about an action's content that need more than one row, shared by the admin and the services. The rules
of one row are the model's constraints, which carry their own messages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from actionplan import text as prose_rules
from actionplan.dates import DatePrecision, is_period_end

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
    """Raise ValidationError (by field) when the action breaks a rule that spans tables (the theme's plan, the
    leads' organisations, the mirrored action's plan). Rules of one row are the model's constraints, which
    `full_clean()` checks with their own messages."""

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for name, what in (("title", "The title"), ("description", "The description"), ("revision_reason", "The reason")):
        problem = prose_rules.prose_problem(getattr(action, name) or "", what=what)
        if problem:
            add(name, problem)
    if action.theme_id and action.plan_id and action.theme.plan_id != action.plan_id:
        add("theme", f"Choose a theme of {action.plan.title}: {action.theme} belongs to {action.theme.plan.title}")
    for field, side in (("police_lead", "police"), ("cps_lead", "cps")):
        if getattr(action, f"{field}_id"):
            problem = lead_problem(person=getattr(action, field), side=side)
            if problem:
                add(field, problem)
    if action.mirrors_id and action.mirrors_id != action.pk:
        mirrored = action.mirrors
        if action.plan_id and action.plan.mirrors_id is None:
            add("mirrors", "Leave this empty: an action of a national plan mirrors no other action")
        elif action.plan_id and mirrored.plan_id != action.plan.mirrors_id:
            add(
                "mirrors",
                f"Choose an action of {action.plan.mirrors.title}, the national plan this plan mirrors: "
                f"action {mirrored.reference} belongs to {mirrored.plan.title}",
            )
    for name in ("start_date", "target_date", "revised_target_date"):
        day, precision = getattr(action, name), getattr(action, f"{name}_precision")
        # An unknown precision is the constraint's to refuse (action_date_precisions_valid).
        if day is not None and precision in DatePrecision.values and not is_period_end(day, precision):
            add(name, "A month or a quarter is stored as its last day")
    if errors:
        raise ValidationError(errors)


# Markup is refused rather than stored: text is always shown escaped, but a tag in plan text is never meant.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def prose_problem(text: str, *, what: str, max_length: int, required: bool = False) -> str | None:
    """Why a piece of prose (a title, a reason, a summary) cannot be stored, or None. `what` names it in the
    message: "The reason must be 2,000 characters or fewer"."""
    if not text:
        return f"Enter the {what}" if required else None
    if len(text) > max_length:
        return f"The {what} must be {max_length:,} characters or fewer"
    # Control and direction-changing characters: the one rule of actionplan.text, as for every narrative.
    problem = prose_rules.prose_problem(text, what=f"The {what}")
    if problem:
        return problem
    if MARKUP.search(text):
        return f"The {what} must not contain HTML or other markup: remove the < > tags"
    return None


def clean_prose(text: str | None) -> str:
    """Line breaks as one character (CR LF and CR become LF), spaces trimmed at both ends."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# django-simple-history keeps a change's reason in 100 characters.
HISTORY_REASON_MAX_LENGTH = 100


def history_reason(text: str) -> str:
    """A reason for a change, as the history keeps it: on one line, shortened with an ellipsis to fit."""
    text = " ".join(text.split())
    if len(text) <= HISTORY_REASON_MAX_LENGTH:
        return text
    return text[: HISTORY_REASON_MAX_LENGTH - 1].rstrip() + "…"
