"""Local plans made from the national plan: their copies of national actions, local additions, "not applicable
locally", and answering a change of a national action's wording. Every write that keeps a local plan in step with
the national plan comes here (the revision services call it when a revision is published)."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from themes.models import Plan, Theme

from .models import Action, Side, Status


def local_plans_mirroring(national: Plan) -> QuerySet[Plan]:
    """The local plans that mirror a national plan and are still kept (not archived)."""
    return national.local_plans.exclude(status=Plan.Status.ARCHIVED).select_related("police_force", "cps_area")


def local_leads(local_plan: Plan) -> tuple:
    """The police and CPS leads a local plan uses most (the first named on a tie): the leads a new copy of a
    national action starts with, until the local plan's admin assigns others."""
    police: Counter = Counter()
    cps: Counter = Counter()
    for police_id, cps_id in local_plan.actions.values_list("police_lead_id", "cps_lead_id").order_by("pk"):
        if police_id:
            police[police_id] += 1
        if cps_id:
            cps[cps_id] += 1
    chosen = [counter.most_common(1)[0][0] for counter in (police, cps) if counter]
    people = get_user_model().objects.in_bulk(chosen)
    police_lead = people.get(police.most_common(1)[0][0]) if police else None
    cps_lead = people.get(cps.most_common(1)[0][0]) if cps else None
    return police_lead, cps_lead


def local_theme_for(*, local_plan: Plan, national_theme: Theme) -> Theme:
    """The local plan's theme mirroring a national theme, made (with the national number when it is free) if the
    local plan has none."""
    theme = local_plan.themes.filter(mirrors=national_theme).first()
    if theme is not None:
        return theme
    numbers = set(local_plan.themes.values_list("number", flat=True))
    number = national_theme.number if national_theme.number not in numbers else max(numbers) + 1
    theme = Theme(
        plan=local_plan,
        number=number,
        title=national_theme.title,
        purpose=national_theme.purpose,
        mirrors=national_theme,
    )
    theme.full_clean()
    theme.save()
    return theme


def local_copy(
    *, national_action: Action, local_plan: Plan, local_theme: Theme, police_lead=None, cps_lead=None
) -> Action:
    """An unsaved local action mirroring a national one: same reference, wording and side, the national dates, the
    local force and Area as lead organisations, the leads given on the action's side, not started."""
    side = national_action.side
    return Action(
        plan=local_plan,
        theme=local_theme,
        reference=national_action.reference,
        title=national_action.title,
        description=national_action.description,
        side=side,
        police_lead=police_lead if side in (Side.POLICE, Side.JOINT) else None,
        cps_lead=cps_lead if side in (Side.CPS, Side.JOINT) else None,
        start_date=national_action.start_date,
        target_date=national_action.current_target_date,
        status=Status.NOT_STARTED,
        mirrors=national_action,
    )


def local_organisations(*, local_plan: Plan, side: str) -> list:
    return [
        org
        for org, org_side in ((local_plan.police_force, Side.POLICE), (local_plan.cps_area, Side.CPS))
        if side in (org_side, Side.JOINT)
    ]


def local_reference_clashes(*, national: Plan, references: list[str], copies_of: Action | None = None) -> list[str]:
    """Why new national references cannot be copied into the local plans: a local action there already uses one
    (other than a copy of `copies_of`)."""
    clashes = Action.objects.filter(plan__in=local_plans_mirroring(national), reference__in=references)
    if copies_of is not None:
        clashes = clashes.exclude(mirrors=copies_of)
    clashes = clashes.select_related("plan").order_by("plan__title", "reference_sort")
    return [
        f"Reference {clash.reference} is already used by local action “{clash.title}” in {clash.plan.title}: "
        "give the new national action another reference"
        for clash in clashes
    ]


def national_action_copies_add(*, national_action: Action, by, reason: str) -> list[Action]:
    """Copy a new national action into every local plan that mirrors its plan, with each local plan's usual leads
    (see `local_leads`), so that the roll-up counts it in each. Refused when a local plan already uses the
    reference (nothing is copied then)."""
    plans = list(local_plans_mirroring(national_action.plan))
    problems = local_reference_clashes(
        national=national_action.plan, references=[national_action.reference], copies_of=national_action
    )
    if problems:
        raise ValidationError(problems)
    copies = []
    with transaction.atomic():
        for local_plan in plans:
            if local_plan.actions.filter(mirrors=national_action).exists():
                continue
            police_lead, cps_lead = local_leads(local_plan)
            theme = local_theme_for(local_plan=local_plan, national_theme=national_action.theme)
            copy = local_copy(
                national_action=national_action,
                local_plan=local_plan,
                local_theme=theme,
                police_lead=police_lead,
                cps_lead=cps_lead,
            )
            copy.full_clean()
            copy._history_user = by
            copy._change_reason = reason
            copy.save()
            copy.lead_organisations.set(local_organisations(local_plan=local_plan, side=copy.side))
            copies.append(copy)
    return copies
