"""Who may do what to an action. Deny by default: every rule below says who may, nobody else may."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Side, Status

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


def _is_accountable_lead(user: User, action: Action) -> bool:
    if not user.is_lead:
        return False
    if user.pk in (action.police_lead_id, action.cps_lead_id):
        return True
    if user.organisation_id is None or user.side not in SIDES_THAT_MAY_UPDATE.get(action.side, set()):
        return False
    return any(org.pk == user.organisation_id for org in action.lead_organisations.all())


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
