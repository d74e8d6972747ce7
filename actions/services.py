"""Writes to actions. Every path that changes an action's progress (browser, admin, API, import) comes here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from actionplan.dates import DatePrecision, format_period, is_period_end
from themes.models import ReviewCycle

from .models import DONE_STATUSES, RAG_SEVERITY, Action, ClosureReason, Rag, Status, StatusUpdate
from .permissions import can_update_action

if TYPE_CHECKING:
    from actionplan.models import User

NARRATIVE_MAX_LENGTH = 5000
REVISION_REASON_MAX_LENGTH = 2000
EVIDENCE_URL_MAX_LENGTH = 500
# Markup is refused rather than stored: text is always shown escaped, but a tag in a narrative is never meant.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
UNSAFE_URL_CHARACTERS = re.compile(r"[\s<>\"'`\\\x00-\x1f\x7f]")
# PostgreSQL cannot store a NUL in text, and no other control character but tab and newlines belongs in prose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class StaleVersion(Exception):
    """The action changed since the form was rendered: nothing was saved.

    Carries the action as it stands now and the status updates recorded after the version the person saw,
    oldest first, so the page can show what changed and keep the person's text for a resubmission.
    """

    action: Action
    updates_since: list[StatusUpdate] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"Action {self.action.reference} was updated by someone else (now version {self.action.version}); "
            "nothing was saved."
        )


def review_cycle_current(*, plan_id: int, today: date) -> ReviewCycle | None:
    """The plan's review cycle whose update window contains today, if any."""
    return ReviewCycle.objects.taking_updates(on=today).filter(plan_id=plan_id).first()


def normalise_line_breaks(text: str) -> str:
    """CR LF and lone CR become LF: a line break is one character, as people and the character count see it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def evidence_url_problem(url: str) -> str | None:
    """Why the evidence link cannot be stored, or None: only plain http(s) addresses are kept."""

    if len(url) > EVIDENCE_URL_MAX_LENGTH:
        return f"The evidence link must be {EVIDENCE_URL_MAX_LENGTH} characters or fewer"
    if UNSAFE_URL_CHARACTERS.search(url):
        return "The evidence link must not contain spaces, quotation marks, < > characters or hidden characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Enter the evidence link as a web address starting with https://"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "Enter the evidence link as a web address starting with https:// or http://"
    return None


def effective_moment(day: date) -> datetime:
    """The moment an update dated `day` (and not recorded that day) counts from: the start of the day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def last_update_effective_on(action: Action) -> date | None:
    """The day the action's latest status update happened, if it has any."""
    latest = action.updates.order_by("-effective_at", "-id").values_list("effective_at", flat=True).first()
    return timezone.localdate(latest) if latest is not None else None


def action_update_validate(
    *,
    action: Action,
    by: User,
    status: str,
    rag: str,
    narrative: str,
    evidence_url: str,
    revised_target_date: date | None,
    revision_reason: str,
    closure_reason: str,
    revised_target_precision: str = DatePrecision.DAY,
    effective_on: date | None = None,
    today: date | None = None,
) -> None:
    """Raise ValidationError (by field) when the update would break a rule; PermissionDenied when `by` is not
    an admin and the action is closed. Writes nothing: the form runs it too, so every mistake is listed at once.
    Text is expected stripped, as `action_update_status` strips it.

    `effective_on` is the day the update happened when that is before today (history brought in afterwards): it
    cannot be in the future, before the action joined the plan, or before the day of its latest update.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if status not in Status.values:
        add("status", "Select the status of the action")
    if rag not in Rag.values and not (rag == "" and status in DONE_STATUSES):
        add("rag", "Select the delivery confidence")
    if revised_target_precision not in DatePrecision.values:
        add("revised_target_date", "Give the revised target date as a day, a month or a quarter")
    elif revised_target_date is not None and not is_period_end(revised_target_date, revised_target_precision):
        add("revised_target_date", "A month or a quarter is stored as its last day")
    if closure_reason and closure_reason not in ClosureReason.values:
        add("closure_reason", "Select why the action is closed")
    if errors:
        raise ValidationError(errors)

    if action.status == Status.CLOSED:
        # A closed action stays closed; only an admin may reopen it, and an update of it must reopen it.
        if not by.is_admin:
            raise PermissionDenied("Only an admin may reopen a closed action.")
        if status == Status.CLOSED:
            add("status", "This action is closed: to update it, reopen it by choosing another status")

    if status == Status.CLOSED and not closure_reason:
        add("closure_reason", "Select why the action is closed")
    if status != Status.CLOSED and closure_reason:
        add("closure_reason", "Only give a closure reason when you close the action")

    if len(narrative) > NARRATIVE_MAX_LENGTH:
        add("narrative", f"The narrative must be {NARRATIVE_MAX_LENGTH:,} characters or fewer")
    elif CONTROL_CHARACTERS.search(narrative):
        add("narrative", "The narrative contains a character that cannot be saved: remove it or type the text again")
    elif MARKUP.search(narrative):
        add("narrative", "The narrative must not contain HTML or other markup: remove the < > tags")
    if len(revision_reason) > REVISION_REASON_MAX_LENGTH:
        add("revision_reason", f"The reason must be {REVISION_REASON_MAX_LENGTH:,} characters or fewer")
    elif CONTROL_CHARACTERS.search(revision_reason):
        add("revision_reason", "The reason contains a character that cannot be saved: remove it or type the text again")
    elif MARKUP.search(revision_reason):
        add("revision_reason", "The reason must not contain HTML or other markup: remove the < > tags")
    if evidence_url:
        problem = evidence_url_problem(evidence_url)
        if problem:
            add("evidence_url", problem)

    if effective_on is not None:
        today = today or timezone.localdate()
        joined = timezone.localdate(action.created_at) if action.created_at else None
        latest = last_update_effective_on(action)
        if effective_on > today:
            add("effective_on", "The date it happened must be today or in the past")
        elif joined is not None and effective_on < joined:
            add(
                "effective_on",
                f"The date it happened must be on or after {format_period(joined)}, when the action joined the plan",
            )
        elif latest is not None and effective_on < latest:
            add(
                "effective_on",
                f"The date it happened must be on or after {format_period(latest)}, the date of the latest update",
            )

    revising = revised_target_date is not None and revised_target_date != action.current_target_date
    if revised_target_date is not None and not revising:
        add("revised_target_date", "The revised target date is the same as the current target date")
    if revising:
        if action.start_date is not None and revised_target_date < action.start_date:
            add(
                "revised_target_date",
                f"The revised target date must be the same as or after the start date, {action.start_date_text}",
            )
        if not revision_reason:
            add("revision_reason", "Give the reason the target date is revised")
    elif revision_reason and revised_target_date is None:
        add("revised_target_date", "Enter the revised target date, or remove the reason for revising it")

    worsens = bool(rag and action.rag) and RAG_SEVERITY.get(rag, 0) > RAG_SEVERITY.get(action.rag, 0)
    finishes = status in (Status.COMPLETED, Status.CLOSED) and status != action.status
    if not narrative:
        if worsens:
            add("narrative", "Explain why the delivery confidence has worsened")
        elif finishes:
            verb = "completed" if status == Status.COMPLETED else "closed"
            add("narrative", f"Explain how the action was {verb}")
        elif revising:
            add("narrative", "Explain what has happened that means the target date is revised")
        elif status == action.status and rag == action.rag:
            add("narrative", "Say what has happened since the last update, or change the status or confidence")
    if errors:
        raise ValidationError(errors)


def action_update_status(
    *,
    action: Action,
    by: User,
    status: str,
    rag: str,
    narrative: str = "",
    evidence_url: str = "",
    revised_target_date: date | None = None,
    revision_reason: str = "",
    closure_reason: str = "",
    expected_version: int,
    revised_target_precision: str = DatePrecision.DAY,
    effective_on: date | None = None,
    today: date | None = None,
) -> StatusUpdate:
    """Record a status update of the action, made by `by`, based on the action's `expected_version`.

    Raises PermissionDenied when `by` may not update the action, ValidationError (by field) when the update
    breaks a rule, and StaleVersion when the action has changed since `expected_version`: then nothing is
    saved. The lost-update guard is a conditional UPDATE on the version that must touch exactly one row;
    the unique (action, version) of status updates is the second guard.

    `effective_on` records history brought in afterwards: the update counts from that day in the board's figures
    (never as a change of this week), completes the action on that day, and belongs to no review cycle. A
    completed or closed action may have no delivery confidence (`rag=""`).
    """
    if not can_update_action(by, action):
        raise PermissionDenied("You cannot update this action.")
    today = today or timezone.localdate()
    narrative = normalise_line_breaks(narrative or "").strip()
    evidence_url = (evidence_url or "").strip()
    revision_reason = normalise_line_breaks(revision_reason or "").strip()
    closure_reason = (closure_reason or "").strip()

    if action.version != expected_version:
        raise _stale(action.pk, expected_version)

    if effective_on == today:
        effective_on = None
    action_update_validate(
        action=action,
        by=by,
        status=status,
        rag=rag or "",
        narrative=narrative,
        evidence_url=evidence_url,
        revised_target_date=revised_target_date,
        revision_reason=revision_reason,
        closure_reason=closure_reason,
        revised_target_precision=revised_target_precision,
        effective_on=effective_on,
        today=today,
    )

    revising = revised_target_date is not None and revised_target_date != action.current_target_date
    now = timezone.now()
    happened = now
    if effective_on is not None:
        # From the start of that day, but never before the latest update: the history replays in the order recorded.
        latest = action.updates.order_by("-effective_at", "-id").values_list("effective_at", flat=True).first()
        happened = max(effective_moment(effective_on), latest) if latest else effective_moment(effective_on)
    changes: dict = {
        "status": status,
        "rag": rag or "",
        "closure_reason": closure_reason if status == Status.CLOSED else "",
        "completed_on": (
            (
                action.completed_on
                if action.status == Status.COMPLETED and action.completed_on
                else effective_on or today
            )
            if status == Status.COMPLETED
            else None
        ),
        "version": F("version") + 1,
        "last_update_at": now,
    }
    if revising:
        changes["revised_target_date"] = revised_target_date
        changes["revised_target_date_precision"] = revised_target_precision
        changes["revision_reason"] = revision_reason

    try:
        with transaction.atomic():
            touched = Action.objects.filter(pk=action.pk, version=expected_version).update(**changes)
            if touched != 1:
                raise _Conflict
            update = StatusUpdate(
                action=action,
                author=by,
                effective_at=happened,
                # History brought in afterwards belongs to no review cycle: it is not this cycle's update.
                review_cycle=(
                    review_cycle_current(plan_id=action.plan_id, today=today) if effective_on is None else None
                ),
                status_from=action.status,
                status_to=status,
                rag_from=action.rag,
                rag_to=rag or "",
                target_date_from=action.current_target_date if revising else None,
                target_date_to=revised_target_date if revising else None,
                revision_reason=revision_reason if revising else "",
                narrative=narrative,
                evidence_url=evidence_url,
                version=expected_version + 1,
            )
            update.save(force_insert=True)
    except _Conflict:
        raise _stale(action.pk, expected_version) from None
    except IntegrityError:
        # Only a clash on (action, version) means another update came first; any other failure is a bug.
        if not StatusUpdate.objects.filter(action_id=action.pk, version=expected_version + 1).exists():
            raise
        raise _stale(action.pk, expected_version) from None

    action.refresh_from_db()
    return update


class _Conflict(Exception):
    """The conditional update touched no row: another update came first."""


def _stale(action_id: int, expected_version: int) -> StaleVersion:
    current = Action.objects.select_related("plan", "theme").get(pk=action_id)
    updates_since = list(
        StatusUpdate.objects.filter(action_id=action_id, version__gt=expected_version)
        .select_related("author", "author__organisation")
        .order_by("version")
    )
    return StaleVersion(action=current, updates_since=updates_since)
