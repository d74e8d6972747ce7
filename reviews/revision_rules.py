"""The rules of plan revisions that span rows and tables: a decision judged against the plan as it stands and the
revision's other decisions. The services ask them when a decision is saved and again when the revision is
published; the forms ask them too, so that every mistake is listed at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as format_date

from actions.local_plans import local_reference_clashes
from actions.models import Action, ClosureReason, Side, Status
from actions.validation import accountability_problem, clean_prose, prose_problem, validate_action
from themes.models import Plan, Theme

from .models import Revision, RevisionDecision
from .revision_selectors import provisional_references

Fate = RevisionDecision.Fate
REASON_MAX_LENGTH = 2000
TITLE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 5000
REFERENCE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$")


def _day(value: date) -> str:
    return format_date(value, "j F Y")


@dataclass
class Proposal:
    """The wording, theme, side, leads and dates a change or an addition gives."""

    theme: Theme | None = None
    title: str = ""
    description: str = ""
    side: str = ""
    police_lead: object = None
    cps_lead: object = None
    start_date: date | None = None
    target_date: date | None = None
    reference: str = ""


def _check_text(errors: dict, proposal: Proposal) -> None:
    for name, what, length, required in (
        ("title", "title", TITLE_MAX_LENGTH, True),
        ("description", "description", DESCRIPTION_MAX_LENGTH, False),
    ):
        problem = prose_problem(getattr(proposal, name), what=what, max_length=length, required=required)
        if problem is None and name == "title" and "\n" in proposal.title:
            problem = "The title must be on one line"
        if problem:
            errors.setdefault(name, []).append(problem)


def _check_proposal(errors: dict, *, plan: Plan, proposal: Proposal, action: Action | None) -> None:
    """The rules a changed or added action must meet, judged on an unsaved copy with the proposed values."""
    _check_text(errors, proposal)
    if proposal.theme is None:
        errors.setdefault("theme", []).append("Choose the theme")
    elif proposal.theme.plan_id != plan.pk:
        errors.setdefault("theme", []).append("Choose a theme of this plan")
    if proposal.side not in Side.values:
        errors.setdefault("side", []).append("Choose the side that owns the action")
    if proposal.start_date is None:
        errors.setdefault("start_date", []).append("Enter the start date")
    if proposal.target_date is None:
        errors.setdefault("target_date", []).append("Enter the target date")
    if errors:
        return
    if proposal.target_date < proposal.start_date:
        errors.setdefault("target_date", []).append("The target date must be the same as or after the start date")
    revising = action is not None and proposal.target_date != action.current_target_date
    if revising and proposal.target_date < timezone.localdate():
        # A later target date is recorded as a revised date through a status update, which obeys the update form's
        # rule: a revised date is today or later.
        errors.setdefault("target_date", []).append(
            "A revised target date must be today or later; to record that an action was delivered, mark it completed"
        )
    if action is not None and proposal.start_date > action.target_date:
        errors.setdefault("start_date", []).append(
            f"The start date must be the same as or before the original target date, {_day(action.target_date)} "
            "(a later target date is recorded as a revised date)"
        )
    probe = Action(
        plan=plan,
        theme=proposal.theme,
        reference=action.reference if action else "probe",
        title=proposal.title,
        side=proposal.side,
        police_lead=proposal.police_lead,
        cps_lead=proposal.cps_lead,
        start_date=proposal.start_date,
        target_date=action.target_date if action else proposal.target_date,
    )
    try:
        validate_action(probe)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            name = name if name in ("theme", "police_lead", "cps_lead") else "__all__"
            errors.setdefault(name, []).extend(m.rstrip(".") for m in messages)
    # Someone is accountable for a new action, or a changed one whose leads change, as the admin asks: publishing
    # gives it its leads' organisations as lead organisations.
    leads = (proposal.police_lead, proposal.cps_lead)
    if action is None or leads != (action.police_lead, action.cps_lead):
        problem = accountability_problem(
            side=proposal.side,
            police_lead=proposal.police_lead,
            cps_lead=proposal.cps_lead,
            lead_organisations=[lead.organisation for lead in leads if lead and lead.organisation_id],
        )
        if problem and not {"police_lead", "cps_lead"} & set(errors):
            errors.setdefault("__all__", []).append(problem)


def proposal_errors(*, plan: Plan, proposal: Proposal, action: Action | None = None) -> dict[str, list[str]]:
    """The mistakes in a changed (`action` given) or new action's wording, theme, side, leads and dates, by field:
    the forms ask this so that every mistake is listed at once; the services ask it again when saving."""
    errors: dict[str, list[str]] = {}
    _check_proposal(errors, plan=plan, proposal=proposal_clean(proposal), action=action)
    return errors


def _proposal_differs(action: Action, proposal: Proposal) -> bool:
    return any(
        (
            proposal.theme.pk != action.theme_id,
            proposal.title != action.title,
            proposal.description != action.description,
            proposal.side != action.side,
            getattr(proposal.police_lead, "pk", None) != action.police_lead_id,
            getattr(proposal.cps_lead, "pk", None) != action.cps_lead_id,
            proposal.start_date != action.start_date,
            proposal.target_date != action.current_target_date,
        )
    )


def _check_successor(
    errors: dict, *, revision: Revision, action: Action, fate: str, into_action, successor, others
) -> None:
    """Merged into, or superseded by, an action that carries on: same plan, not itself, open, and not itself closed
    by this revision."""
    closing_here = {d.action_id: d for d in others if d.closes_action and d.action_id}
    verb = "merged into" if fate == Fate.MERGED else "superseded by"
    if fate == Fate.MERGED and into_action is None:
        errors.setdefault("into_action", []).append("Choose the action it is merged into")
        return
    if fate == Fate.SUPERSEDED:
        if into_action is None and successor is None:
            errors.setdefault("into_action", []).append(
                "Choose the action that supersedes it: an action of the plan, or a new action added in this revision"
            )
            return
        if into_action is not None and successor is not None:
            errors.setdefault("into_action", []).append("Choose one action that supersedes it, not two")
            return
    if successor is not None:
        if successor.revision_id != revision.pk or successor.fate != Fate.ADDED:
            errors.setdefault("into_action", []).append("Choose a new action added in this revision")
        return
    target = into_action
    if target.pk == action.pk:
        errors.setdefault("into_action", []).append(f"An action cannot be {verb} itself")
    elif target.plan_id != action.plan_id:
        errors.setdefault("into_action", []).append(
            f"Action {target.reference} belongs to another plan: "
            f"an action can only be {verb} an action of the same plan"
        )
    elif target.status == Status.CLOSED:
        kind = "superseded" if target.closure_reason == ClosureReason.SUPERSEDED else "withdrawn"
        errors.setdefault("into_action", []).append(
            f"Action {target.reference} is itself {kind}: choose an action that carries on"
        )
    elif target.status == Status.COMPLETED:
        errors.setdefault("into_action", []).append(
            f"Action {target.reference} is completed: choose an open action to carry the work forward"
        )
    elif target.pk in closing_here:
        decided = closing_here[target.pk].get_fate_display().lower()
        if closing_here[target.pk].fate == Fate.MERGED:
            decided = "merged into another action"
        elif closing_here[target.pk].fate == Fate.SUPERSEDED:
            decided = "superseded"
        errors.setdefault("into_action", []).append(
            f"Action {target.reference} is itself {decided} in this revision: choose an action that carries on"
        )


def decision_errors(
    *,
    revision: Revision,
    decision: RevisionDecision,
    action: Action | None,
    proposal: Proposal | None,
    others: list[RevisionDecision],
) -> dict[str, list[str]]:
    """Every rule about one decision, judged against the plan as it stands and the revision's other decisions."""
    errors: dict[str, list[str]] = {}
    fate = decision.fate
    if fate not in Fate.values:
        errors["fate"] = ["Choose what happens to the action"]
        return errors
    plan = revision.plan
    if fate != Fate.ADDED:
        if action is None:
            errors["__all__"] = ["Say which action the decision is about"]
            return errors
        if action.plan_id != plan.pk:
            errors["__all__"] = [f"Action {action.reference} is not in {plan.title}"]
            return errors
        if not action.is_open:
            status = action.get_status_display().lower()
            errors["__all__"] = [
                f"Action {action.reference} is {status}: only an open action’s fate is decided in a revision"
            ]
            return errors
    if decision.closes_action:
        problem = prose_problem(decision.reason, what="reason", max_length=REASON_MAX_LENGTH, required=True)
        if problem:
            errors["reason"] = [problem.replace("Enter the reason", _reason_prompt(fate))]
    else:
        problem = prose_problem(decision.reason, what="reason", max_length=REASON_MAX_LENGTH)
        if problem:
            errors["reason"] = [problem]
    if decision.closes_action:
        absorbed = [o for o in others if o.into_action_id == action.pk]
        if absorbed:
            references = ", ".join(o.action.reference for o in absorbed)
            errors.setdefault("fate", []).append(
                f"Action {references} is merged into or superseded by this action in this revision: "
                "change that decision first"
            )
    if fate in (Fate.MERGED, Fate.SUPERSEDED):
        _check_successor(
            errors,
            revision=revision,
            action=action,
            fate=fate,
            into_action=decision.into_action,
            successor=decision.successor,
            others=others,
        )
    if fate in (Fate.CHANGED, Fate.ADDED):
        _check_proposal(errors, plan=plan, proposal=proposal, action=action if fate == Fate.CHANGED else None)
        if fate == Fate.CHANGED and not errors and not _proposal_differs(action, proposal):
            errors["__all__"] = [
                "Nothing is changed: change the wording, theme, side, leads or dates, "
                "or choose “Carried forward unchanged”"
            ]
    if fate == Fate.ADDED and proposal.reference:
        reference = proposal.reference
        if not REFERENCE.match(reference):
            errors.setdefault("reference", []).append(
                "The reference must be letters, numbers, full stops or hyphens, for example 2.8"
            )
        else:
            clash = plan.actions.filter(reference__iexact=reference).first()
            if clash is not None:
                errors.setdefault("reference", []).append(
                    f"Reference {reference} is already used by action {clash.reference}, “{clash.title}”: "
                    "leave the reference empty to give the next free one"
                )
            elif any(o.fate == Fate.ADDED and o.reference.lower() == reference.lower() for o in others):
                errors.setdefault("reference", []).append(
                    f"Reference {reference} is already given to another new action in this revision"
                )
    return errors


def _reason_prompt(fate: str) -> str:
    return {
        Fate.MERGED: "Give the reason for merging the action",
        Fate.SUPERSEDED: "Give the reason the action is superseded",
        Fate.WITHDRAWN: "Give the reason for withdrawing the action",
    }.get(fate, "Give the reason")


def _proposal_from(decision: RevisionDecision) -> Proposal:
    return Proposal(
        theme=decision.theme,
        title=decision.title,
        description=decision.description,
        side=decision.side,
        police_lead=decision.police_lead,
        cps_lead=decision.cps_lead,
        start_date=decision.start_date,
        target_date=decision.target_date,
        reference=decision.reference,
    )


def proposal_clean(proposal: Proposal) -> Proposal:
    proposal.title = clean_prose(proposal.title)
    proposal.description = clean_prose(proposal.description)
    proposal.reference = (proposal.reference or "").strip()
    if proposal.side == Side.POLICE:
        proposal.cps_lead = None
    elif proposal.side == Side.CPS:
        proposal.police_lead = None
    return proposal


def revision_problems(*, revision: Revision) -> list[str]:
    """What stops the draft being published, each naming the action it is about (empty when it can be)."""
    problems = []
    decisions = list(
        revision.decisions.select_related(
            "action", "into_action", "successor", "theme", "police_lead__organisation", "cps_lead__organisation"
        ).order_by("id")
    )
    if not decisions:
        return [
            "This revision decides nothing yet: decide the fate of at least one action, "
            "or add a new one, before publishing it"
        ]
    for decision in decisions:
        others = [d for d in decisions if d.pk != decision.pk]
        proposal = _proposal_from(decision) if decision.fate in (Fate.CHANGED, Fate.ADDED) else None
        errors = decision_errors(
            revision=revision, decision=decision, action=decision.action, proposal=proposal, others=others
        )
        label = f"Action {decision.action.reference}" if decision.action_id else f"New action “{decision.title[:60]}”"
        for messages in errors.values():
            for message in messages:
                problems.append(f"{label}: {message}")
    if revision.plan.is_national and not problems:
        references = list(provisional_references(revision=revision, decisions=decisions).values())
        problems += local_reference_clashes(national=revision.plan, references=references)
    return problems
