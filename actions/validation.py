"""Rules about an action's content that need more than one row, shared by the admin and the services."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .models import Action


def validate_action(action: Action) -> None:
    """Raise ValidationError (by field) when the action breaks a rule the database cannot express alone."""
    from .models import Side, Status

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if action.theme_id and action.plan_id and action.theme.plan_id != action.plan_id:
        add("theme", "Choose a theme of the same plan.")
    if action.start_date and action.target_date and action.start_date > action.target_date:
        add("target_date", "The target date must be the same as or after the start date.")
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


# Markup is refused rather than stored: text is always shown escaped, but a tag in plan text is never meant.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
# PostgreSQL cannot store a NUL in text, and no other control character but tab and newlines belongs in prose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def prose_problem(text: str, *, what: str, max_length: int, required: bool = False) -> str | None:
    """Why a piece of prose (a title, a reason, a summary) cannot be stored, or None. `what` names it in the
    message: "The reason must be 2,000 characters or fewer"."""
    if not text:
        return f"Enter the {what}" if required else None
    if len(text) > max_length:
        return f"The {what} must be {max_length:,} characters or fewer"
    if CONTROL_CHARACTERS.search(text):
        return f"The {what} contains a character that cannot be saved: remove it or type the text again"
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
