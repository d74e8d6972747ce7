"""Local plans made from the national plan: their copies of national actions, local additions, "not applicable
locally", and answering a change of a national action's wording. Every write that keeps a local plan in step with
the national plan comes here (the revision services call it when a revision is published)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from actionplan.models import Organisation
from themes.models import Plan, Theme

from .models import Action, NationalChange, Side, Status
from .permissions import can_create_local_plan, can_edit_local_plan, can_resolve_national_change
from .validation import clean_prose, history_reason, prose_problem, validate_action

REASON_MAX_LENGTH = 2000
TITLE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 5000


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
            copy._change_reason = history_reason(reason)
            copy.save()
            copy.lead_organisations.set(local_organisations(local_plan=local_plan, side=copy.side))
            copies.append(copy)
    return copies


# -- Making a local plan from the national plan -------------------------------------------------------------------


def _unique_slug(base: str) -> str:
    base = slugify(base)[:70] or "local-plan"
    slug, n = base, 1
    while Plan.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def local_plan_create(
    *,
    national: Plan,
    police_force: Organisation | None,
    cps_area: Organisation | None,
    by,
    police_lead=None,
    cps_lead=None,
    publish: bool = True,
) -> Plan:
    """Make a local plan for a police force and a CPS Area from a national plan in one step: its themes, and a
    local copy of every national action not closed, mirroring it (same reference and wording, the national dates,
    the force and Area as lead organisations, the leads given on each action's side, to be assigned otherwise).

    Refused, with nothing made, for anyone but an admin, for a plan that is not a published national plan, for
    a force that is not a police force or an Area that is not a CPS Area, for leads from elsewhere, and for a
    force and Area pair that already has a local plan mirroring this national plan."""
    if not can_create_local_plan(by):
        raise PermissionDenied("Only an admin may make a local plan")
    errors: dict[str, list[str]] = {}
    if not national.is_national or national.status != Plan.Status.PUBLISHED:
        errors["__all__"] = ["A local plan is made from a published national plan"]
    if police_force is None or police_force.kind != Organisation.Kind.POLICE or police_force.is_national:
        errors["police_force"] = ["Choose a police force"]
    if cps_area is None or cps_area.kind != Organisation.Kind.CPS or cps_area.is_national:
        errors["cps_area"] = ["Choose a CPS Area"]
    if police_lead is not None and ("police_force" in errors or police_lead.organisation_id != police_force.pk):
        errors["police_lead"] = ["Choose a lead of the police force, or none to assign later"]
    elif police_lead is not None and not police_lead.is_lead:
        errors["police_lead"] = [f"{police_lead} is not a lead: choose a lead of the police force"]
    if cps_lead is not None and ("cps_area" in errors or cps_lead.organisation_id != cps_area.pk):
        errors["cps_lead"] = ["Choose a lead of the CPS Area, or none to assign later"]
    elif cps_lead is not None and not cps_lead.is_lead:
        errors["cps_lead"] = [f"{cps_lead} is not a lead: choose a lead of the CPS Area"]
    if not errors:
        existing = Plan.objects.filter(mirrors=national, police_force=police_force, cps_area=cps_area).first()
        if existing is not None:
            errors["__all__"] = [
                f"{police_force.name} and {cps_area.name} already have a local plan mirroring this plan: "
                f"“{existing.title}”"
            ]
    if errors:
        raise ValidationError(errors)
    reason = f"Made from {national.title}"
    try:
        with transaction.atomic():
            plan = Plan(
                kind=Plan.Kind.LOCAL,
                title=f"{police_force.name} and {cps_area.name} joint RASSO action plan",
                slug=_unique_slug(f"{police_force.short_name or police_force.name}-{cps_area.name}"),
                summary=(
                    f"The local joint action plan of {police_force.name} and {cps_area.name}: it mirrors "
                    f"{national.title} and adds actions for local issues."
                ),
                period_start=national.period_start,
                period_end=national.period_end,
                status=Plan.Status.PUBLISHED if publish else Plan.Status.DRAFT,
                revision=national.revision,
                mirrors=national,
                police_force=police_force,
                cps_area=cps_area,
            )
            plan.full_clean()
            plan._history_user, plan._change_reason = by, history_reason(reason)
            plan.save()
            plan.admins.add(by, *national.admins.all())
            plan.board_members.add(*national.board_members.all())
            themes = {}
            for national_theme in national.themes.order_by("number"):
                theme = Theme(
                    plan=plan,
                    number=national_theme.number,
                    title=national_theme.title,
                    purpose=national_theme.purpose,
                    mirrors=national_theme,
                )
                # The theme mirrors a theme of the national plan its plan mirrors: the rule the admin checks too.
                theme.full_clean()
                theme._history_user, theme._change_reason = by, history_reason(reason)
                theme.save()
                themes[national_theme.pk] = theme
            for national_action in national.actions.exclude(status=Status.CLOSED).select_related("theme"):
                copy = local_copy(
                    national_action=national_action,
                    local_plan=plan,
                    local_theme=themes[national_action.theme_id],
                    police_lead=police_lead,
                    cps_lead=cps_lead,
                )
                copy.full_clean()
                copy._history_user, copy._change_reason = by, history_reason(reason)
                copy.save()
                copy.lead_organisations.set(local_organisations(local_plan=plan, side=copy.side))
    except IntegrityError:
        raise ValidationError(
            f"{police_force.name} and {cps_area.name} were given a local plan meanwhile: reload the page"
        ) from None
    return plan


# -- Local additions and "not applicable locally" ----------------------------------------------------------------


def next_local_reference(*, local_plan: Plan, theme: Theme) -> str:
    """A local addition's reference: "<theme>.L<n>", numbered apart from the national references."""
    pattern = re.compile(rf"^{theme.number}\.L(\d+)$")
    used = local_plan.actions.values_list("reference", flat=True)
    highest = max((int(m.group(1)) for ref in used if (m := pattern.match(ref))), default=0)
    return f"{theme.number}.L{highest + 1}"


def local_action_add(
    *,
    local_plan: Plan,
    by,
    theme: Theme | None,
    title: str,
    description: str = "",
    side: str,
    police_lead=None,
    cps_lead=None,
    start_date: date | None,
    target_date: date | None,
) -> Action:
    """Add a local action with no national counterpart ("2.L1") to a local plan."""
    if not can_edit_local_plan(by, local_plan):
        raise PermissionDenied("Only an admin may add actions to a local plan")
    title, description = clean_prose(title), clean_prose(description)
    errors: dict[str, list[str]] = {}
    for name, value, what, length, required in (
        ("title", title, "title", TITLE_MAX_LENGTH, True),
        ("description", description, "description", DESCRIPTION_MAX_LENGTH, False),
    ):
        problem = prose_problem(value, what=what, max_length=length, required=required)
        if problem is None and name == "title" and "\n" in value:
            problem = "The title must be on one line"
        if problem:
            errors[name] = [problem]
    if theme is None or theme.plan_id != local_plan.pk:
        errors["theme"] = ["Choose a theme of this local plan"]
    if side not in Side.values:
        errors["side"] = ["Choose the side that owns the action"]
    if start_date is None:
        errors["start_date"] = ["Enter the start date"]
    if target_date is None:
        errors["target_date"] = ["Enter the target date"]
    if errors:
        raise ValidationError(errors)
    action = Action(
        plan=local_plan,
        theme=theme,
        reference=next_local_reference(local_plan=local_plan, theme=theme),
        title=title,
        description=description,
        side=side,
        police_lead=police_lead if side != Side.CPS else None,
        cps_lead=cps_lead if side != Side.POLICE else None,
        start_date=start_date,
        target_date=target_date,
    )
    try:
        validate_action(action)
    except ValidationError as error:
        raise ValidationError({k: [m.rstrip(".") for m in v] for k, v in error.message_dict.items()}) from None
    with transaction.atomic():
        action.full_clean()
        action._history_user, action._change_reason = by, "Local addition"
        action.save()
        action.lead_organisations.set(local_organisations(local_plan=local_plan, side=side))
    return action


def local_action_set_not_applicable(*, action: Action, by, not_applicable: bool, reason: str = "") -> Action:
    """Mark a local copy of a national action "not applicable locally", with the reason (or applicable again).
    It is then left out of the local plan's figures and shown as such on the roll-up."""
    if not can_edit_local_plan(by, action.plan):
        raise PermissionDenied("Only an admin may say a local action is not applicable")
    reason = clean_prose(reason)
    if action.mirrors_id is None:
        raise ValidationError(
            f"Action {action.reference} is a local addition: only a local copy of a national action can be "
            "not applicable locally"
        )
    if not_applicable:
        if action.status in (Status.COMPLETED, Status.CLOSED):
            raise ValidationError(
                f"Action {action.reference} is {action.get_status_display().lower()}: "
                "only an open action can be not applicable locally"
            )
        problem = prose_problem(reason, what="reason", max_length=REASON_MAX_LENGTH, required=True)
        if problem:
            raise ValidationError({"reason": [problem.replace("Enter the reason", "Say why it does not apply here")]})
    elif not action.not_applicable:
        raise ValidationError(f"Action {action.reference} already applies locally")
    action.not_applicable = not_applicable
    action.not_applicable_reason = reason if not_applicable else ""
    action._history_user = by
    action._change_reason = history_reason(
        f"Not applicable locally: {reason}" if not_applicable else "Applies locally again"
    )
    action.full_clean()
    action.save(update_fields=["not_applicable", "not_applicable_reason"])
    return action


# -- A national action's wording changed --------------------------------------------------------------------------


def national_wording_changed(
    *, national_action: Action, old_title: str, old_description: str, by, source: str
) -> list[NationalChange]:
    """Mark each open local copy of a national action whose wording changed "national action changed", with the
    wording before and after, for its local lead or an admin to answer. A copy already awaiting an answer keeps
    the wording it had before and shows the latest national wording."""
    if (old_title, old_description) == (national_action.title, national_action.description):
        return []
    marked = []
    copies = national_action.local_actions.exclude(plan__status=Plan.Status.ARCHIVED).exclude(status=Status.CLOSED)
    for copy in copies:
        pending = copy.national_changes.filter(answer=NationalChange.Answer.PENDING).first()
        if pending is not None:
            pending.title_after, pending.description_after = national_action.title, national_action.description
            pending.source = source[:300]
            pending._history_user = by
            pending.save(update_fields=["title_after", "description_after", "source"])
            marked.append(pending)
            continue
        if (copy.title, copy.description) == (national_action.title, national_action.description):
            continue
        change = NationalChange(
            local_action=copy,
            title_before=old_title,
            title_after=national_action.title,
            description_before=old_description,
            description_after=national_action.description,
            source=source[:300],
            changed_by=by,
        )
        change._history_user = by
        change.full_clean()
        change.save()
        marked.append(change)
    return marked


def _pending_or_refuse(change: NationalChange, by) -> NationalChange:
    current = NationalChange.objects.select_for_update().select_related("local_action__plan").get(pk=change.pk)
    if not can_resolve_national_change(by, current.local_action):
        raise PermissionDenied("Only the local action's lead or an admin may answer a change of the national action")
    if not current.is_pending:
        day = timezone.localtime(current.answered_at)
        raise ValidationError(
            f"This change was already answered on {day.day} {day:%B %Y}: {current.get_answer_display().lower()}"
        )
    return current


def national_change_accept(*, change: NationalChange, by) -> NationalChange:
    """The local copy takes the new national wording; its status, dates and history are left as they are."""
    with transaction.atomic():
        change = _pending_or_refuse(change, by)
        action = Action.objects.select_for_update().get(pk=change.local_action_id)
        action.title, action.description = change.title_after, change.description_after
        action._history_user = by
        action._change_reason = history_reason(f"National wording accepted ({change.source})")
        action.full_clean()
        action.save(update_fields=["title", "description", "reference_sort"])
        change.answer, change.answered_by, change.answered_at = NationalChange.Answer.ACCEPTED, by, timezone.now()
        change._history_user = by
        change.full_clean()
        change.save()
    return change


def national_change_keep_local(*, change: NationalChange, by, reason: str) -> NationalChange:
    """The local copy keeps its own wording, for the reason given."""
    reason = clean_prose(reason)
    with transaction.atomic():
        change = _pending_or_refuse(change, by)
        problem = prose_problem(reason, what="reason", max_length=REASON_MAX_LENGTH, required=True)
        if problem:
            raise ValidationError(
                {"reason": [problem.replace("Enter the reason", "Say why the local wording is kept")]}
            )
        change.answer, change.answered_by, change.answered_at = NationalChange.Answer.KEPT, by, timezone.now()
        change.reason = reason
        change._history_user = by
        change.full_clean()
        change.save()
    return change
