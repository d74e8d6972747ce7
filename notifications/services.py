"""The sweep: record what is owed, claim it, and send each person one digest, exactly once.

Exactly once: the sweep inserts one `Reminder` row per (recipient, kind, item, occasion), which the unique
constraints make a no-op the second time; it then claims each person's unsent rows with a conditional UPDATE
that stamps a claim token, and the delivery step takes that claim with a second conditional UPDATE before the
email goes out. Two sweeps, two workers or two beat processes therefore never send the same row twice; a claim
not reported back within REMINDER_CLAIM_TIMEOUT_MINUTES (a worker died) is claimed again rather than lost.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import F, Q
from django.utils import timezone

from actionplan.models import User
from actionplan.working_days import bank_holidays, london_today

from .digests import digest_sections, digest_subject
from .models import Reminder
from .owed import Due, may_be_reminded, open_actions_without_update, reachable, reminders_due

logger = logging.getLogger(__name__)

State = Reminder.State


@dataclass
class DigestResult:
    recipient: User
    subject: str
    count: int
    state: str  # "sent", "failed", "queued" or "would send"
    error: str = ""


@dataclass
class SweepResult:
    as_of: date
    recorded: int = 0
    digests: list[DigestResult] = field(default_factory=list)


class ReminderSendFailed(Exception):
    """The email backend refused or failed a digest; its reminders are marked failed with the error."""


def _claimable(now) -> Q:
    stale = now - timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES)
    return Q(state=State.PENDING) | Q(
        state__in=[State.CLAIMED, State.SENDING, State.FAILED],
        claimed_at__lt=stale,
        attempts__lt=settings.REMINDER_MAX_ATTEMPTS,
    )


def reminders_record(*, dues: Iterable[Due], as_of: date) -> int:
    """Insert a pending row per new (recipient, kind, item, occasion); rows already there are left alone."""
    rows = [
        Reminder(
            recipient=due.recipient,
            kind=due.kind,
            action=due.action,
            review_cycle=due.review_cycle,
            occasion=due.occasion,
            due_on=as_of,
        )
        for due in dues
    ]
    if not rows:
        return 0
    before = Reminder.objects.count()
    # One statement on PostgreSQL whatever the number of rows (SQLite splits it by its parameter limit).
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return Reminder.objects.count() - before


def reminders_claim() -> list[tuple[int, uuid.UUID]]:
    """Claim each person's unsent reminders under a fresh token: one conditional UPDATE per person.

    A row is claimable when pending, or when a claim on it has outlived REMINDER_CLAIM_TIMEOUT_MINUTES (the
    worker died, or its message was lost) and it has attempts left. Concurrent sweeps each claim disjoint rows.
    """
    now = timezone.now()
    recipients = list(
        Reminder.objects.filter(_claimable(now))
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    claims = []
    for recipient_id in recipients:
        token = uuid.uuid4()
        claimed = Reminder.objects.filter(_claimable(now), recipient_id=recipient_id).update(
            state=State.CLAIMED, claim=token, claimed_at=now, updated_at=now
        )
        if claimed:
            claims.append((recipient_id, token))
    return claims


def reminder_digest_deliver(*, claim: uuid.UUID, raise_errors: bool = False) -> DigestResult | None:
    """Send the one email holding the reminders under `claim`, if this call wins them; None if it does not.

    The conditional UPDATE from claimed (or failed, for a retry) to sending is what makes the send exactly
    once: a second delivery of the same claim, or one whose rows a later sweep re-claimed, touches no row.
    """
    from .emails import send_reminder_digest

    now = timezone.now()
    won = Reminder.objects.filter(
        claim=claim, state__in=[State.CLAIMED, State.FAILED], attempts__lt=settings.REMINDER_MAX_ATTEMPTS
    ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    if not won:
        return None
    reminders = list(
        Reminder.objects.filter(claim=claim, state=State.SENDING).select_related(
            "recipient",
            "action",
            "action__plan",
            "action__police_lead",
            "action__cps_lead",
            "action__completion_proposed_by",
            "review_cycle",
            "review_cycle__plan",
        )
    )
    recipient = reminders[0].recipient
    if not reachable(recipient):
        # Deactivated, or their address removed, since the reminder was recorded: nothing to retry.
        error = "Not sent: the person is inactive or has no email address."
        Reminder.objects.filter(claim=claim, state=State.SENDING).update(
            state=State.FAILED, last_error=error, attempts=settings.REMINDER_MAX_ATTEMPTS, updated_at=timezone.now()
        )
        return DigestResult(recipient, digest_subject(r.kind for r in reminders), len(reminders), "failed", error)
    # Between the sweep and this delivery the person may have lost the right to read the plan (a new role, a plan
    # taken back to draft or archived): those reminders are dropped, not sent.
    unreadable = [reminder for reminder in reminders if not _still_readable(recipient, reminder)]
    if unreadable:
        error = "Not sent: the person may no longer read this plan, or the plan is no longer in force."
        Reminder.objects.filter(pk__in=[reminder.pk for reminder in unreadable]).update(
            state=State.FAILED, last_error=error, attempts=settings.REMINDER_MAX_ATTEMPTS, updated_at=timezone.now()
        )
        reminders = [reminder for reminder in reminders if reminder not in unreadable]
        if not reminders:
            return DigestResult(recipient, digest_subject(r.kind for r in unreadable), len(unreadable), "failed", error)
    # The day of the sweep that found them due, so a run with --as-of words "overdue by" for that day.
    as_of = max(r.due_on for r in reminders)
    subject = digest_subject(r.kind for r in reminders)
    try:
        sections = digest_sections(recipient=recipient, reminders=reminders, as_of=as_of)
        send_reminder_digest(recipient=recipient, summary=subject, sections=sections, as_of=as_of)
    except Exception as exc:  # noqa: BLE001 - any failure of the backend is recorded on the rows, then re-raised
        error = f"{type(exc).__name__}: {exc}"[:2000]
        Reminder.objects.filter(claim=claim, state=State.SENDING).update(
            state=State.FAILED, last_error=error, updated_at=timezone.now()
        )
        logger.warning("Reminder digest to user %s failed: %s", recipient.pk, error)
        if raise_errors:
            raise ReminderSendFailed(error) from exc
        return DigestResult(recipient, subject, len(reminders), "failed", error)
    sent_at = timezone.now()
    Reminder.objects.filter(claim=claim, state=State.SENDING).update(
        state=State.SENT, sent_at=sent_at, last_error="", updated_at=sent_at
    )
    return DigestResult(recipient, subject, len(reminders), "sent")


def _still_readable(recipient: User, reminder: Reminder) -> bool:
    plan = reminder.action.plan if reminder.action_id else reminder.review_cycle.plan
    if reminder.kind == Reminder.Kind.BOARD_MEETING and not recipient.reads_dashboards:
        return False
    return may_be_reminded(recipient, plan)


Deliver = Callable[[uuid.UUID], object]


def _dispatch(result: SweepResult, deliver: Deliver | None) -> None:
    for _recipient_id, token in reminders_claim():
        if deliver is None:
            outcome = reminder_digest_deliver(claim=token)
            if outcome is not None:
                result.digests.append(outcome)
        else:
            deliver(token)
            result.digests.append(DigestResult(User(pk=_recipient_id), "", 0, "queued"))


def reminder_settings_check() -> None:
    """Refuse periods that make no sense (a repeat of 0 days, a negative number) before anything is recorded."""
    problems = []
    for name, least in (("REMINDER_DUE_SOON_DAYS", 0), ("REMINDER_UPDATE_DUE_DAYS", 0)):
        value = getattr(settings, name)
        if not isinstance(value, list | tuple) or any(not isinstance(n, int) or n < least for n in value):
            problems.append(f"{name} must be a list of whole numbers of days, {least} or more (it is {value!r})")
    for name, least in (
        ("REMINDER_OVERDUE_REPEAT_DAYS", 1),
        ("REMINDER_ESCALATION_DAYS", 0),
        ("REMINDER_BOARD_MEETING_DAYS", 0),
        ("REMINDER_CLAIM_TIMEOUT_MINUTES", 1),
        ("REMINDER_MAX_ATTEMPTS", 1),
    ):
        value = getattr(settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            problems.append(f"{name} must be a whole number, {least} or more (it is {value!r})")
    if problems:
        raise ImproperlyConfigured("; ".join(problems) + ".")


def reminders_send(*, as_of: date | None = None, dry_run: bool = False, deliver: Deliver | None = None) -> SweepResult:
    """The sweep: record what is due on `as_of` (default today in Europe/London), claim it, and send one digest
    per person. `deliver` queues a claim for a worker instead of sending in this process (the Celery task)."""
    reminder_settings_check()
    as_of = as_of or london_today()
    if as_of.year > max(bank_holidays()).year:
        # Weekends still move reminders, but bank holidays would not: say so where operators look.
        logger.warning(
            "No bank holiday dates for %s: upgrade govuk-bank-holidays so reminders avoid bank holidays.", as_of.year
        )
    dues = reminders_due(as_of=as_of)
    result = SweepResult(as_of=as_of)
    if dry_run:
        recorded = set(
            Reminder.objects.filter(occasion__in={due.occasion for due in dues}).values_list(
                "recipient_id", "kind", "action_id", "review_cycle_id", "occasion"
            )
        )
        people: dict[int, User] = {}
        kinds: dict[int, list[str]] = defaultdict(list)
        for due in dues:
            if due.key not in recorded:
                people[due.recipient.pk] = due.recipient
                kinds[due.recipient.pk].append(due.kind)
        # Recorded earlier but not sent (a failure, a crashed worker): a real run sends these too.
        for reminder in Reminder.objects.filter(_claimable(timezone.now())).select_related("recipient"):
            if reachable(reminder.recipient):
                people.setdefault(reminder.recipient_id, reminder.recipient)
                kinds[reminder.recipient_id].append(reminder.kind)
        for pk, person in people.items():
            result.digests.append(DigestResult(person, digest_subject(kinds[pk]), len(kinds[pk]), "would send"))
        return result
    result.recorded = reminders_record(dues=dues, as_of=as_of)
    _dispatch(result, deliver)
    return result


def reminders_resume(*, deliver: Deliver | None = None) -> SweepResult:
    """Claim and send what an earlier sweep recorded but did not deliver (a crash, a lost message, a failure)."""
    result = SweepResult(as_of=london_today())
    _dispatch(result, deliver)
    return result


def user_update_reminder_preferences(*, user: User, due_soon: bool, board_meeting: bool) -> User:
    """Turn the optional reminders on or off; overdue and escalation reminders have no switch."""
    user.wants_due_soon_reminders = due_soon
    user.wants_board_meeting_reminders = board_meeting
    user.save(update_fields=["wants_due_soon_reminders", "wants_board_meeting_reminders"])
    return user


def review_cycle_chase(*, cycle, by, today: date | None = None, deliver: Deliver | None = None) -> SweepResult:
    """An admin chases the leads whose open actions still have no update in the open cycle: each gets one chase
    digest listing those actions, and never a second one on the same day however often this runs (the chase is a
    reminder like the others, recorded once per lead, cycle and day, then claimed and sent exactly once)."""
    from themes.models import ReviewCycle

    if not getattr(by, "is_admin", False):
        raise PermissionDenied("Only an admin may chase the leads of a review cycle.")
    if cycle.state != ReviewCycle.State.OPEN:
        raise ValidationError({"__all__": [f"{cycle.name} is not open: only an open cycle's leads are chased"]})
    today = today or london_today()
    missing = open_actions_without_update(cycles=[cycle]).get(cycle.pk, [])
    leads = {lead.pk: lead for action in missing for lead in action.leads if may_be_reminded(lead, cycle.plan)}
    dues = [Due(lead, Reminder.Kind.CHASE, today.isoformat(), review_cycle=cycle) for lead in leads.values()]
    result = SweepResult(as_of=today)
    result.recorded = reminders_record(dues=dues, as_of=today)
    _dispatch(result, deliver)
    return result
