"""Who may do what to an action. Deny by default: every rule below says who may, nobody else may."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import LeadSide, Side, Status, side_words

if TYPE_CHECKING:
    from actionplan.models import User

    from .models import Action


# The side of an action decides which organisations' leads may update it.
SIDES_THAT_MAY_UPDATE = {
    Side.POLICE: {"police"},
    Side.CPS: {"cps"},
    Side.JOINT: {"police", "cps"},
}


def _is_signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_update_action(user: User | None, action: Action) -> bool:
    """True when the person may record a status update for the action.

    - admins always (and only they may reopen a closed action);
    - people with the lead role who are the action's named police or CPS lead;
    - people with the lead role in one of the action's owning organisations, on the action's side
      (police organisations for police actions, CPS organisations for CPS actions, both for joint actions).

    Nobody, admins included, updates an action of a plan that is not published (a draft is not in force yet,
    an archive is a record). Board members, people without a role and anyone else may read but not update.
    Uses the action's prefetched `lead_organisations` when they are there.
    """
    if not _is_signed_in(user) or not action.plan.accepts_updates:
        return False
    if user.is_admin:
        return True
    if action.status == Status.CLOSED:
        return False
    return _is_accountable_lead(user, action)


def closed_to(user: User | None, action: Action) -> bool:
    """True when the action is closed and that alone stops the person updating it (only an admin may reopen it)."""
    return (
        action.status == Status.CLOSED
        and action.plan.accepts_updates
        and _is_signed_in(user)
        and not user.is_admin
        and _is_accountable_lead(user, action)
    )


def lead_side(user: User | None, action: Action) -> str | None:
    """The side of a joint action the person is accountable for as a lead ("police" or "cps"), else None.

    The named police lead signs off for the police and the named CPS lead for the CPS; any other accountable
    lead (see `_is_accountable_lead`) for the side of their organisation.
    """
    if not _is_signed_in(user) or action.side != Side.JOINT or not _is_accountable_lead(user, action):
        return None
    if user.pk == action.police_lead_id:
        return LeadSide.POLICE
    if user.pk == action.cps_lead_id:
        return LeadSide.CPS
    return user.side if user.side in LeadSide.values else None


def completion_decision_refusal(user: User | None, action: Action) -> str | None:
    """Why the person may not confirm or decline the action's proposed completion, or None when they may.

    A lead of the side awaited may (the named lead, or an accountable lead of that side), and so may an admin, on
    that lead's behalf. The side that proposed it may not: nobody confirms their own proposal.
    """
    if not _is_signed_in(user) or not action.plan.accepts_updates:
        return "You cannot update this action."
    if not action.completion_is_proposed:
        return "No completion of this action is awaiting confirmation."
    if user.pk == action.completion_proposed_by_id:
        return (
            "You proposed this completion, so you cannot confirm or decline it: "
            f"the {side_words(action.completion_awaited_side)} lead does."
        )
    if user.is_admin:
        return None
    side = lead_side(user, action)
    if side is None:
        return "Only a lead of this action, or an admin, can confirm or decline its completion."
    if side == action.completion_proposed_side:
        return (
            f"The {side_words(side)} side proposed this completion, so it cannot confirm it: "
            f"the {side_words(action.completion_awaited_side)} lead does."
        )
    return None


def can_decide_completion(user: User | None, action: Action) -> bool:
    """True when the person may confirm or decline the action's proposed completion."""
    return completion_decision_refusal(user, action) is None


def _is_accountable_lead(user: User, action: Action) -> bool:
    if not user.is_lead:
        return False
    if user.pk in (action.police_lead_id, action.cps_lead_id):
        return True
    if user.organisation_id is None or user.side not in SIDES_THAT_MAY_UPDATE.get(action.side, set()):
        return False
    return any(org.pk == user.organisation_id for org in action.lead_organisations.all())


SIDE_NAMES = {Side.POLICE: "the police", Side.CPS: "the CPS"}
LEAD_WORDS = {"police": "a police lead", "cps": "a CPS lead"}


def why_cannot_update(user: User, action: Action) -> list[str]:
    """Why the signed-in person may not update the action, as sentences for them; empty when they may.

    Follows `can_update_action` rule by rule, so the reason given is the one that refused them.
    """
    if can_update_action(user, action):
        return []
    plan = action.plan
    if not plan.accepts_updates:
        if plan.status == plan.Status.DRAFT:
            return [f"{plan.title} is a draft: its actions are updated once it is published."]
        return [f"{plan.title} is archived: its actions are kept as a record and are no longer updated."]
    if action.status == Status.CLOSED and _is_accountable_lead(user, action):
        return [
            f"This action is closed ({action.get_closure_reason_display().lower()}). Only an admin can reopen it.",
            "If work on it has started again, ask an admin of the plan to reopen it.",
        ]
    if user.is_board_member:
        return [
            "You are a board member: board members read the plan, dashboards and board packs, "
            "but do not update actions."
        ]
    if not user.is_lead:
        return [
            "Only leads update actions, and your account does not have the lead role.",
            "If you lead this action, ask an admin of the plan to give you the lead role.",
        ]
    organisation = user.organisation.name if user.organisation_id else None
    if user.side is None:
        reasons = [
            "Only leads in police or CPS organisations update actions, and "
            + (f"{organisation} is neither." if organisation else "your account has no organisation.")
        ]
    elif action.side in SIDE_NAMES and user.side != action.side:
        reasons = [f"This action is led by {SIDE_NAMES[action.side]}; you are {LEAD_WORDS[user.side]}."]
    else:
        reasons = [
            "You are not a lead of this action"
            + (f", and {organisation} is not one of its lead organisations." if organisation else ".")
        ]
    reasons.append(_who_leads(action))
    reasons.append(
        "If you should be able to update it, ask an admin of the plan to name you as its lead "
        "or add your organisation to its lead organisations."
    )
    return reasons


def _who_leads(action: Action) -> str:
    named = [f"{lead} ({words})" for lead, words in ((action.police_lead, "police"), (action.cps_lead, "CPS")) if lead]
    organisations = [organisation.name for organisation in action.lead_organisations.all()]
    sentence = f"It is led by {_and(named)}" if named else "It has no named lead"
    if organisations:
        sentence += f"; its lead organisations are {_and(organisations)}"
    return sentence + "."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# -- Plan content: revisions, local plans, recommendations, the public page ------------------------------------


def can_revise_plan(user: User | None, plan) -> bool:
    """Admins revise a plan in force (a published one); a draft plan is edited directly, an archive not at all."""
    return _is_signed_in(user) and user.is_admin and plan.accepts_updates


def can_create_local_plan(user: User | None) -> bool:
    """Admins make local plans from the national plan."""
    return _is_signed_in(user) and user.is_admin


def can_edit_local_plan(user: User | None, plan) -> bool:
    """Admins add local actions to a local plan and mark mirrored actions not applicable locally."""
    return _is_signed_in(user) and user.is_admin and not plan.is_national and plan.status != plan.Status.ARCHIVED


def can_resolve_national_change(user: User | None, action: Action) -> bool:
    """Who answers "national action changed" on a local copy: an admin, or a lead accountable for the local action
    (its named police or CPS lead, or a lead of one of its owning organisations on its side)."""
    if not _is_signed_in(user) or action.mirrors_id is None or action.plan.status == action.plan.Status.ARCHIVED:
        return False
    return user.is_admin or _is_accountable_lead(user, action)


def can_manage_recommendations(user: User | None) -> bool:
    """Admins record inspection sources and recommendations, link them to actions and close them."""
    return _is_signed_in(user) and user.is_admin


def can_manage_public_page(user: User | None, plan) -> bool:
    """Admins switch a plan's public progress page on and off and approve its public summaries."""
    return _is_signed_in(user) and user.is_admin
