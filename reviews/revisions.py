"""Plan revisions: a draft that decides each open action's fate, published in one transaction.

Every write goes through these services (`revision_start`, `revision_decide`, `revision_add_action`,
`revision_remove_decision`, `revision_publish`); the rules they apply are in `revision_rules`, the reads in
`revision_selectors`. Each refusal raises PermissionDenied or ValidationError, says why, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from actions.local_plans import national_action_copies_add
from actions.models import Action, ClosureReason, Status
from actions.permissions import can_revise_plan
from actions.services import action_change_content, action_set_successor, action_update_status
from actions.validation import clean_prose, history_reason, prose_problem
from themes.models import Plan

from .models import Revision, RevisionDecision
from .recommendations import recommendation_links_follow
from .revision_rules import Proposal, decision_errors, proposal_clean, revision_problems
from .revision_selectors import action_wording, next_reference, plan_content

Fate = RevisionDecision.Fate
NAME_MAX_LENGTH = 100
RATIONALE_MAX_LENGTH = 5000


def _is_draft_or_refuse(revision: Revision) -> None:
    if not revision.is_draft:
        raise ValidationError(
            f"The revision “{revision.name}” was published on {_day(revision.published_at)}: "
            "a published revision cannot be changed"
        )


def _locked_draft(revision: Revision) -> Revision:
    """The revision as it stands in the database, locked until the transaction ends; refused unless a draft."""
    current = Revision.objects.select_for_update().select_related("plan").get(pk=revision.pk)
    _is_draft_or_refuse(current)
    return current


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return format_date(value, "j F Y")


def _require_reviser(by, plan: Plan) -> None:
    if not can_revise_plan(by, plan):
        if getattr(by, "is_admin", False):
            raise PermissionDenied(
                f"The plan is {plan.get_status_display().lower()}: only a published plan is revised "
                "(a draft is edited directly)"
            )
        raise PermissionDenied("Only an admin may revise a plan")


# -- Starting a revision ------------------------------------------------------------------------------------------


def revision_start(*, plan: Plan, by, name: str, effective_on: date | None, rationale: str) -> Revision:
    """Open a draft revision of a published plan. A plan has at most one draft at a time."""
    _require_reviser(by, plan)
    name = clean_prose(name)
    rationale = clean_prose(rationale)
    errors: dict[str, list[str]] = {}
    problem = prose_problem(name, what="name of the revision", max_length=NAME_MAX_LENGTH, required=True)
    if problem is None and "\n" in name:
        problem = "The name of the revision must be on one line"
    if problem:
        errors["name"] = [problem]
    elif plan.revisions.filter(name__iexact=name).exists():
        errors["name"] = [f"This plan already has a revision called “{name}”: choose another name"]
    if effective_on is None:
        errors["effective_on"] = ["Enter the date the revision takes effect"]
    problem = prose_problem(rationale, what="rationale", max_length=RATIONALE_MAX_LENGTH, required=True)
    if problem:
        errors["rationale"] = [problem]
    draft = plan.revisions.filter(status=Revision.Status.DRAFT).first()
    if draft is not None:
        errors.setdefault("__all__", []).append(
            f"This plan already has a draft revision, “{draft.name}”: publish it, or carry on with it, "
            "before starting another"
        )
    if errors:
        raise ValidationError(errors)
    revision = Revision(
        plan=plan,
        name=name,
        effective_on=effective_on,
        rationale=rationale,
        created_by=by,
        replaced_edition=plan.revision,
    )
    revision._history_user = by
    try:
        with transaction.atomic():
            revision.full_clean()
            revision.save()
    except IntegrityError:
        # Another admin started a draft, or used the name, between the check and the insert.
        raise ValidationError(
            "This plan already has a draft revision or a revision with that name: reload the page"
        ) from None
    return revision


# -- Deciding fates -----------------------------------------------------------------------------------------------


def _apply_proposal(decision: RevisionDecision, proposal: Proposal | None) -> None:
    proposal = proposal or Proposal()
    decision.theme = proposal.theme
    decision.title = proposal.title
    decision.description = proposal.description
    decision.side = proposal.side
    decision.police_lead = proposal.police_lead
    decision.cps_lead = proposal.cps_lead
    decision.start_date = proposal.start_date
    decision.target_date = proposal.target_date
    decision.reference = proposal.reference


def revision_decide(
    *,
    revision: Revision,
    action: Action,
    by,
    fate: str,
    reason: str = "",
    into_action: Action | None = None,
    successor: RevisionDecision | None = None,
    proposal: Proposal | None = None,
) -> RevisionDecision | None:
    """Record (or replace) the fate a draft revision gives one open action. "Carried forward unchanged" is what
    an action without a decision gets, so choosing it removes any earlier decision and returns None."""
    _require_reviser(by, revision.plan)
    if fate == Fate.ADDED:
        raise ValidationError({"fate": ["Add a new action with “Add a new action”, not as the fate of this one"]})
    with transaction.atomic():
        revision = _locked_draft(revision)
        return _decide(
            revision=revision,
            action=action,
            by=by,
            fate=fate,
            reason=reason,
            into_action=into_action,
            successor=successor,
            proposal=proposal,
        )


def _decide(*, revision, action, by, fate, reason, into_action, successor, proposal) -> RevisionDecision | None:
    existing = revision.decisions.filter(action=action).first()
    others = list(revision.decisions.exclude(pk=getattr(existing, "pk", None)).select_related("action"))
    decision = existing or RevisionDecision(revision=revision, action=action)
    decision.fate = fate
    decision.reason = clean_prose(reason)
    decision.into_action = into_action if fate in (Fate.MERGED, Fate.SUPERSEDED) else None
    decision.successor = successor if fate == Fate.SUPERSEDED else None
    if fate == Fate.CHANGED:
        proposal = proposal_clean(proposal or Proposal())
    else:
        proposal = None
    errors = decision_errors(revision=revision, decision=decision, action=action, proposal=proposal, others=others)
    if errors:
        raise ValidationError(errors)
    if fate == Fate.CARRIED:
        if existing is not None:
            existing.delete()
        return None
    _apply_proposal(decision, proposal)
    if fate == Fate.CHANGED:
        decision.reference = ""
    decision._history_user = by
    decision.full_clean()
    decision.save()
    return decision


def revision_add_action(
    *, revision: Revision, by, proposal: Proposal, reason: str = "", decision: RevisionDecision | None = None
) -> RevisionDecision:
    """Add a new action to a draft revision (or change one added earlier). Its reference is the one given, or the
    next free one in its theme when the revision is published."""
    _require_reviser(by, revision.plan)
    if decision is not None and (decision.revision_id != revision.pk or decision.fate != Fate.ADDED):
        raise ValidationError("That is not a new action of this revision")
    with transaction.atomic():
        revision = _locked_draft(revision)
        decision = decision or RevisionDecision(revision=revision, fate=Fate.ADDED)
        decision.reason = clean_prose(reason)
        proposal = proposal_clean(proposal)
        others = list(revision.decisions.exclude(pk=decision.pk))
        errors = decision_errors(revision=revision, decision=decision, action=None, proposal=proposal, others=others)
        if errors:
            raise ValidationError(errors)
        _apply_proposal(decision, proposal)
        decision._history_user = by
        decision.full_clean()
        decision.save()
    return decision


def revision_remove_decision(*, revision: Revision, decision: RevisionDecision, by) -> None:
    """Take a decision (or a new action) out of a draft: the action is carried forward unchanged again."""
    _require_reviser(by, revision.plan)
    if decision.revision_id != revision.pk:
        raise ValidationError("That decision is not part of this revision")
    with transaction.atomic():
        _locked_draft(revision)
        superseded = list(decision.superseded_decisions.select_related("action"))
        if superseded:
            references = ", ".join(d.action.reference for d in superseded)
            raise ValidationError(
                f"This new action supersedes action {references}: change that decision first, then remove it"
            )
        decision.delete()


# -- Publishing ---------------------------------------------------------------------------------------------------


@dataclass
class PublishOutcome:
    """What publishing did: actions added, actions closed with their successor."""

    added: list[Action] = field(default_factory=list)
    closed: list[tuple[Action, Action | None]] = field(default_factory=list)  # (closed action, its successor)


def revision_publish(*, revision: Revision, by) -> Revision:
    """Apply every decision of a draft revision in one transaction, and record it.

    New actions get the reference given, or the next free one in their theme; changed actions get their new
    wording (kept in their history with the revision's name) and a later target date as a revised date through a
    status update; merged, superseded and withdrawn actions are closed through a status update that says why,
    pointing at their successor; every other open action is recorded as carried forward. The plan's edition
    becomes the revision's name, and the plan as it stood before and after is kept with the revision. Refused,
    with nothing changed, when the revision is already published, decides nothing, or any decision no longer
    holds (each problem is named).
    """
    _require_reviser(by, revision.plan)
    with transaction.atomic():
        revision = _locked_draft(revision)
        plan = Plan.objects.select_for_update().get(pk=revision.plan_id)
        revision.plan = plan
        # Hold the plan's actions still while the decisions are checked and applied.
        list(Action.objects.select_for_update().filter(plan=plan).values_list("pk", flat=True))
        problems = revision_problems(revision=revision)
        if problems:
            raise ValidationError(problems)

        outcome = PublishOutcome()
        label = f"the revision “{revision.name}”"
        content_before = plan_content(plan)
        decisions = list(
            revision.decisions.select_related(
                "action", "into_action", "successor", "theme", "police_lead__organisation", "cps_lead__organisation"
            ).order_by("id")
        )
        used = set(plan.actions.values_list("reference", flat=True))
        created: dict[int, Action] = {}

        for decision in (d for d in decisions if d.fate == Fate.ADDED):
            reference = decision.reference or next_reference(decision.theme.number, used)
            used.add(reference)
            action = Action(
                plan=plan,
                theme=decision.theme,
                reference=reference,
                title=decision.title,
                description=decision.description,
                side=decision.side,
                police_lead=decision.police_lead,
                cps_lead=decision.cps_lead,
                start_date=decision.start_date,
                target_date=decision.target_date,
            )
            action.full_clean()
            action._history_user = by
            action._change_reason = history_reason(_with_reason(f"Added by {label}", decision.reason))
            action.save()
            action.lead_organisations.set(_organisations_of(decision.police_lead, decision.cps_lead))
            created[decision.pk] = action
            outcome.added.append(action)
            decision.action = action
            decision.reference = reference
            decision.after = action_wording(action)

        for decision in (d for d in decisions if d.fate == Fate.CHANGED):
            action = Action.objects.select_related("theme", "police_lead", "cps_lead").get(pk=decision.action_id)
            decision.before = action_wording(action)
            leads_changed = (decision.police_lead_id, decision.cps_lead_id) != (
                action.police_lead_id,
                action.cps_lead_id,
            )
            action_change_content(
                action=action,
                by=by,
                reason=_with_reason(f"Changed by {label}", decision.reason),
                lead_organisations=_organisations_of(decision.police_lead, decision.cps_lead)
                if leads_changed
                else None,
                theme=decision.theme,
                title=decision.title,
                description=decision.description,
                side=decision.side,
                police_lead=decision.police_lead,
                cps_lead=decision.cps_lead,
                start_date=decision.start_date,
            )
            if decision.target_date != action.current_target_date:
                action_update_status(
                    action=action,
                    by=by,
                    status=action.status,
                    rag=action.rag,
                    narrative=_with_reason(f"Target date changed by {label}.", decision.reason),
                    revised_target_date=decision.target_date,
                    revision_reason=decision.reason or f"Changed by {label}",
                    expected_version=action.version,
                )
            action = Action.objects.select_related("theme", "police_lead", "cps_lead").get(pk=action.pk)
            decision.after = action_wording(action)

        for decision in (d for d in decisions if d.closes_action):
            action = Action.objects.select_related("theme", "police_lead", "cps_lead").get(pk=decision.action_id)
            decision.before = action_wording(action)
            successor = created[decision.successor_id] if decision.successor_id else decision.into_action
            if decision.fate == Fate.MERGED:
                said = f"Merged into action {successor.reference} by {label}."
            elif decision.fate == Fate.SUPERSEDED:
                said = f"Superseded by action {successor.reference} by {label}."
            else:
                said = f"Withdrawn by {label}."
            action_update_status(
                action=action,
                by=by,
                status=Status.CLOSED,
                rag=action.rag,
                narrative=_with_reason(said, decision.reason),
                closure_reason=ClosureReason.WITHDRAWN if decision.fate == Fate.WITHDRAWN else ClosureReason.SUPERSEDED,
                expected_version=action.version,
            )
            if successor is not None:
                action_set_successor(action=action, successor=successor, by=by, reason=said)
            outcome.closed.append((action, successor))
            action = Action.objects.select_related("theme", "police_lead", "cps_lead", "superseded_by").get(
                pk=action.pk
            )
            decision.after = action_wording(action)

        if plan.is_national:
            # Local plans mirror the national plan: each gets its copy of every new national action.
            for action in outcome.added:
                national_action_copies_add(national_action=action, by=by, reason=f"Copied from {label}")

        # The recommendations a merged or superseded action answered are answered by its successor too.
        recommendation_links_follow(closed=outcome.closed, by=by)

        decided = {d.action_id for d in decisions if d.action_id}
        for action in (
            plan.actions.filter(status__in=(Status.NOT_STARTED, Status.IN_PROGRESS))
            .exclude(pk__in=decided)
            .exclude(pk__in=[a.pk for a in outcome.added])
            .select_related("theme", "police_lead", "cps_lead")
        ):
            wording = action_wording(action)
            decisions.append(
                RevisionDecision(revision=revision, fate=Fate.CARRIED, action=action, before=wording, after=wording)
            )
        for decision in decisions:
            if decision.fate == Fate.CARRIED and decision.before is None:
                decision.before = decision.after = action_wording(decision.action)
            decision._history_user = by
            decision.save()

        plan.revision = revision.name
        plan._history_user = by
        plan._change_reason = history_reason(f"Revised by {label}")
        plan.save(update_fields=["revision"])

        revision.content_before = content_before
        revision.content_after = plan_content(plan)
        revision.status = Revision.Status.PUBLISHED
        revision.published_at = timezone.now()
        revision.published_by = by
        revision._history_user = by
        revision._change_reason = "Published"
        revision.full_clean()
        revision.save()
    return revision


def _with_reason(text: str, reason: str) -> str:
    return f"{text} {reason}" if reason else text


def _organisations_of(*leads) -> list:
    return [lead.organisation for lead in leads if lead is not None and lead.organisation_id]
