"""Writes of the board's review: closing a cycle (and freezing its snapshot), decisions and minutes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from actionplan.text import prose_problem
from actions.models import Action, StatusUpdate
from actions.services import MARKUP
from themes.models import ReviewCycle

from .models import ActionSnapshot, BoardDecision, BoardMinutes

COMMENT_MAX_LENGTH = 5000
MINUTES_MAX_LENGTH = 20000


def _prose_problem(text: str, *, what: str, limit: int) -> str | None:
    """The same rules as a narrative's: a length, no control or direction-changing characters, no markup."""
    if len(text) > limit:
        return f"The {what} must be {limit:,} characters or fewer"
    problem = prose_problem(text, what=f"The {what}")
    if problem:
        return problem
    if MARKUP.search(text):
        return f"The {what} must not contain HTML or other markup: remove the < > tags"
    return None


def _clean_prose(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def can_record_decisions(user, cycle: ReviewCycle) -> bool:
    """Admins record the board's decisions; the plan's board members do too when the plan says the board records
    its own."""
    if getattr(user, "is_admin", False):
        return True
    return bool(
        getattr(user, "is_board_member", False)
        and cycle.plan.board_records_decisions
        and cycle.plan.board_members.filter(pk=user.pk).exists()
    )


def _require_not_closed(cycle: ReviewCycle, what: str) -> None:
    if cycle.state == ReviewCycle.State.CLOSED:
        raise ValidationError({"__all__": [f"{cycle.name} is closed: its {what} can no longer be changed"]})


@transaction.atomic
def board_decision_record(*, cycle: ReviewCycle, action: Action, by, kind: str, comment: str = "") -> BoardDecision:
    """Record what the board decided about an action of the cycle's plan."""
    if not can_record_decisions(by, cycle):
        raise PermissionDenied("Only an admin, or the board when the plan says it records its own, records decisions.")
    cycle = ReviewCycle.objects.select_for_update().select_related("plan").get(pk=cycle.pk)
    _require_not_closed(cycle, "decisions")
    if action.plan_id != cycle.plan_id:
        raise ValidationError({"action": [f"Choose an action of {cycle.plan.title}: this one is in another plan"]})
    comment = _clean_prose(comment)
    errors: dict[str, list[str]] = {}
    if kind not in BoardDecision.Kind.values:
        errors["kind"] = ["Select what the board decided"]
    problem = _prose_problem(comment, what="comment", limit=COMMENT_MAX_LENGTH)
    if problem:
        errors["comment"] = [problem]
    elif not comment and kind in (BoardDecision.Kind.ESCALATE, BoardDecision.Kind.MORE_INFORMATION):
        errors["comment"] = ["Say what the board asks for, or why it escalates the action"]
    if errors:
        raise ValidationError(errors)
    decision = BoardDecision(cycle=cycle, action=action, kind=kind, comment=comment, decided_by=by)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def board_minutes_save(*, cycle: ReviewCycle, by, text: str) -> BoardMinutes:
    """Write or correct the board's summary of the cycle's meeting, until the cycle closes."""
    if not can_record_decisions(by, cycle):
        raise PermissionDenied("Only an admin, or the board when the plan says it records its own, records minutes.")
    cycle = ReviewCycle.objects.select_for_update().select_related("plan").get(pk=cycle.pk)
    _require_not_closed(cycle, "minutes")
    text = _clean_prose(text)
    problem = _prose_problem(text, what="summary", limit=MINUTES_MAX_LENGTH)
    if problem or not text:
        raise ValidationError({"text": [problem or "Enter the board's summary of the meeting"]})
    minutes, _ = BoardMinutes.objects.update_or_create(cycle=cycle, defaults={"text": text, "updated_by": by})
    return minutes


def _snapshot_rows(cycle: ReviewCycle, *, moment) -> list[ActionSnapshot]:
    """One unsaved snapshot per action of the plan that exists at `moment`, as it stands (one query)."""
    # Recorded by then; the latest to happen (history brought in afterwards is dated when it happened).
    latest = StatusUpdate.objects.filter(action=OuterRef("pk"), created_at__lte=moment).exclude(narrative="")
    latest = latest.order_by("-effective_at", "-id")
    actions = (
        Action.objects.filter(plan_id=cycle.plan_id, created_at__lte=moment)
        .select_related("theme", "police_lead", "cps_lead")
        .with_current_target()
        .annotate(
            narrative_then=Subquery(latest.values("narrative")[:1]),
            narrative_written_at=Subquery(latest.values("effective_at")[:1]),
            updated_in_cycle=Exists(StatusUpdate.objects.filter(action=OuterRef("pk"), review_cycle=cycle)),
            # A pending proposal is the action's latest update: nothing but its confirmation or decline follows it.
            proposal_id=Subquery(
                StatusUpdate.objects.filter(action=OuterRef("pk"), created_at__lte=moment)
                .order_by("-created_at", "-id")
                .filter(kind=StatusUpdate.Kind.COMPLETION_PROPOSED)
                .values("pk")[:1]
            ),
        )
        .order_by("reference_sort")
    )
    return [
        ActionSnapshot(
            cycle=cycle,
            action=action,
            reference=action.reference,
            title=action.title,
            theme_number=action.theme.number,
            side=action.side,
            status=action.status,
            closure_reason=action.closure_reason,
            rag=action.rag,
            target_date=action.current_target,
            target_revised=action.revised_target_date is not None,
            police_lead=action.police_lead,
            cps_lead=action.cps_lead,
            leads=", ".join(str(lead) for lead in action.leads)[:400],
            last_update_at=action.last_update_at,
            latest_narrative=action.narrative_then or "",
            narrative_at=action.narrative_written_at,
            updated_in_cycle=action.updated_in_cycle,
            proposal_id=action.proposal_id if action.completion_is_proposed else None,
            not_applicable=action.not_applicable,
        )
        for action in actions
    ]


def review_cycle_close(*, cycle: ReviewCycle, by, before_meeting_confirmed: bool = False) -> ReviewCycle:
    """Close the cycle after its board meeting and freeze a snapshot of every action of its plan.

    Refused (nothing changes) when the person is not an admin, when the cycle is already closed or was never
    opened, and before the board meeting day unless `before_meeting_confirmed`. The cycle row is locked, so two
    admins closing at once produce one snapshot: the second finds it closed; the unique (cycle, action) of
    snapshots is the second guard.
    """
    if not getattr(by, "is_admin", False):
        raise PermissionDenied("Only an admin may close a review cycle.")
    try:
        with transaction.atomic():
            cycle = ReviewCycle.objects.select_for_update().select_related("plan").get(pk=cycle.pk)
            if cycle.state == ReviewCycle.State.CLOSED:
                raise ValidationError({"__all__": [f"{cycle.name} is already closed"]})
            if cycle.state == ReviewCycle.State.PLANNED:
                raise ValidationError({"__all__": [f"{cycle.name} has not opened yet: open it before closing it"]})
            today = timezone.localdate()
            if today < cycle.board_meeting_on and not before_meeting_confirmed:
                raise ValidationError(
                    {
                        "before_meeting_confirmed": [
                            f"The board meets on {cycle.board_meeting_on.day} {cycle.board_meeting_on:%B %Y}: confirm "
                            "that you are closing the cycle before its meeting"
                        ]
                    }
                )
            now = timezone.now()
            ActionSnapshot.objects.bulk_create(_snapshot_rows(cycle, moment=now))
            cycle.state = ReviewCycle.State.CLOSED
            cycle.closed_at = now
            cycle.closed_by = by
            cycle._change_reason = "Closed"
            cycle.save()
    except IntegrityError:
        if ActionSnapshot.objects.filter(cycle_id=cycle.pk).exists():
            raise ValidationError({"__all__": [f"{cycle.name} is already closed"]}) from None
        raise
    return cycle
