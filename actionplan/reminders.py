"""Reminders: who is owed what on a date, and the sweep that records, claims and sends them exactly once.

What is due is worked out from the dates alone, for the day of the sweep, so a sweep that did not run one day is
caught up the next: each reminder has a nominal day (for example 14 days before a target date), moved to a
working day when it falls on a weekend or an England and Wales bank holiday, and is due from that working day
until the date it is about. Only the latest occasion of each kind is sent (a missed 14-day reminder is not sent
once the 3-day one is due).

Exactly once: the sweep inserts one `Reminder` row per (recipient, kind, item, occasion), which the unique
constraints make a no-op the second time; it then claims each person's unsent rows with a conditional UPDATE
that stamps a claim token, and the delivery step takes that claim with a second conditional UPDATE before the
email goes out. Two sweeps, two workers or two beat processes therefore never send the same row twice; a claim
not reported back within REMINDER_CLAIM_TIMEOUT_MINUTES (a worker died) is claimed again rather than lost.

The number of queries of a sweep is a constant for working out what is due, plus a few per person reminded:
never one per action.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from actions.models import Action, StatusUpdate
from reviews.models import ReviewCycle

from .models import Reminder, User

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
State = Reminder.State

# Reminders are about days in England and Wales, whatever TIME_ZONE the server runs in.
LONDON = ZoneInfo("Europe/London")

# The longest run of days off in England and Wales is four (Christmas or Easter with a weekend); a margin on top.
SHIFT_SLACK_DAYS = 10


# -- Working days ------------------------------------------------------------------------------------------------


@cache
def bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays, from the data shipped with govuk-bank-holidays (no network)."""
    from govuk_bank_holidays.bank_holidays import BankHolidays

    holidays = BankHolidays(use_cached_holidays=True).get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    return frozenset(holiday["date"] for holiday in holidays)


def london_today() -> date:
    return timezone.localdate(timezone=LONDON)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def occasion_key(reference: date, offset_days: int) -> str:
    """'2022-03-31-14' is 14 days before 31 March 2022, '2022-03-31+8' 8 days after."""
    return f"{reference.isoformat()}{offset_days:+d}"


# -- What is due -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A reminder owed on the day of a sweep, before it is recorded."""

    recipient: User
    kind: str
    occasion: str
    action: Action | None = None
    review_cycle: ReviewCycle | None = None

    @property
    def key(self) -> tuple:
        return (
            self.recipient.pk,
            self.kind,
            self.action.pk if self.action else None,
            self.review_cycle.pk if self.review_cycle else None,
            self.occasion,
        )


def _reachable(user: User | None) -> bool:
    return user is not None and user.is_active and bool(user.email)


def _latest_before(reference: date, periods: Iterable[int], as_of: date) -> int | None:
    """The shortest period whose (working-day) reminder day has come by `as_of`, while `reference` is ahead."""
    if as_of > reference:
        return None
    come = [days for days in periods if working_day_on_or_before(reference - timedelta(days=days)) <= as_of]
    return min(come) if come else None


def late_reminder_day(day: date, *, late_from: date) -> date:
    """The working day a reminder about something late goes on: the working day before `day` when it falls on a
    day off, as for every reminder, unless nothing is late yet on that working day (it is before `late_from`);
    then the next working day."""
    before = working_day_on_or_before(day)
    return before if before >= late_from else working_day_on_or_after(day)


def overdue_occasion(*, target: date, as_of: date) -> int | None:
    """Days after the target date of the latest overdue reminder due by `as_of`: 1, then every repeat period.

    The first is about the day after the target date and goes on the next working day when that is a day off (on
    the working day before, the action is not late yet). The repeats count on from the day the first went, so a
    lead hears weekly on the same weekday; a repeat falling on a bank holiday goes on the working day before.
    """
    repeat = settings.REMINDER_OVERDUE_REPEAT_DAYS
    first = target + timedelta(days=1)
    first_day = late_reminder_day(first, late_from=first)
    if as_of < first_day:
        return None
    # A repeat moved back to the working day before falls due before its nominal day: look that far ahead.
    week = (as_of + timedelta(days=SHIFT_SLACK_DAYS) - first_day).days // repeat
    while week >= 1:
        nominal = first_day + timedelta(days=week * repeat)
        if working_day_on_or_before(nominal) <= as_of:
            return (nominal - target).days
        week -= 1
    return 1


def escalation_due(*, target: date, as_of: date) -> bool:
    """Overdue for more than REMINDER_ESCALATION_DAYS days (on the next working day when that is a day off)."""
    day = target + timedelta(days=settings.REMINDER_ESCALATION_DAYS + 1)
    return late_reminder_day(day, late_from=day) <= as_of


def _active_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(email="")


def actions_due_for_reminders(*, as_of: date) -> QuerySet[Action]:
    """Open actions whose (revised) target date is close enough or past, with their leads and plan's people."""
    horizon = as_of + timedelta(days=max(settings.REMINDER_DUE_SOON_DAYS, default=0) + SHIFT_SLACK_DAYS)
    people = _active_people()
    return (
        Action.objects.open()
        .with_current_target()
        .filter(current_target__lte=horizon)
        .select_related("plan", "police_lead", "cps_lead")
        .prefetch_related(
            Prefetch("plan__admins", queryset=people, to_attr="reachable_admins"),
            Prefetch("plan__board_members", queryset=people, to_attr="reachable_board_members"),
        )
        .order_by("plan_id", "reference_sort")
    )


def _action_dues(*, as_of: date) -> list[Due]:
    dues: list[Due] = []
    for action in actions_due_for_reminders(as_of=as_of):
        target = action.current_target
        leads = [lead for lead in (action.police_lead, action.cps_lead) if _reachable(lead)]
        soon = _latest_before(target, settings.REMINDER_DUE_SOON_DAYS, as_of)
        if soon is not None:
            occasion = occasion_key(target, -soon)
            dues += [
                Due(lead, Kind.DUE_SOON, occasion, action=action) for lead in leads if lead.wants_due_soon_reminders
            ]
        late = overdue_occasion(target=target, as_of=as_of)
        if late is not None:
            dues += [Due(lead, Kind.OVERDUE, occasion_key(target, late), action=action) for lead in leads]
        if escalation_due(target=target, as_of=as_of):
            occasion = occasion_key(target, settings.REMINDER_ESCALATION_DAYS + 1)
            people = {
                person.pk: person for person in action.plan.reachable_admins + action.plan.reachable_board_members
            }
            dues += [Due(person, Kind.ESCALATION, occasion, action=action) for person in people.values()]
    return dues


def cycles_due_for_reminders(*, as_of: date) -> QuerySet[ReviewCycle]:
    """Review cycles whose board meeting is still ahead and whose dates are close enough to remind about."""
    ahead = max([*settings.REMINDER_UPDATE_DUE_DAYS, settings.REMINDER_BOARD_MEETING_DAYS, 0])
    return (
        ReviewCycle.objects.filter(
            board_meeting_on__gte=as_of, opens_on__lte=as_of + timedelta(days=ahead + SHIFT_SLACK_DAYS)
        )
        .select_related("plan")
        .prefetch_related(Prefetch("plan__board_members", queryset=_active_people(), to_attr="reachable_board_members"))
        .order_by("board_meeting_on", "pk")
    )


def open_actions_without_update(*, cycles: Iterable[ReviewCycle], lead: User | None = None) -> dict[int, list[Action]]:
    """For each cycle, the open actions of its plan that have no status update in it yet (one query)."""
    cycles = list(cycles)
    if not cycles:
        return {}
    plans = {cycle.plan_id for cycle in cycles}
    actions = Action.objects.open().filter(plan_id__in=plans).select_related("police_lead", "cps_lead")
    if lead is not None:
        actions = actions.filter(Q(police_lead=lead) | Q(cps_lead=lead))
    for cycle in cycles:
        actions = actions.annotate(
            **{f"updated_in_{cycle.pk}": Exists(StatusUpdate.objects.filter(action=OuterRef("pk"), review_cycle=cycle))}
        )
    by_plan: dict[int, list[Action]] = defaultdict(list)
    for action in actions.order_by("reference_sort"):
        by_plan[action.plan_id].append(action)
    return {
        cycle.pk: [action for action in by_plan[cycle.plan_id] if not getattr(action, f"updated_in_{cycle.pk}")]
        for cycle in cycles
    }


def _cycle_dues(*, as_of: date) -> list[Due]:
    cycles = [cycle for cycle in cycles_due_for_reminders(as_of=as_of)]
    if not cycles:
        return []
    open_cycles = [cycle for cycle in cycles if cycle.state != ReviewCycle.State.CLOSED]
    # Open actions of the cycles' plans, and which of them have an update in each cycle: two queries in all.
    actions = list(
        Action.objects.open()
        .filter(plan_id__in={cycle.plan_id for cycle in open_cycles})
        .select_related("police_lead", "cps_lead")
        .only("pk", "plan_id", "police_lead", "cps_lead")
    )
    updated = set(
        StatusUpdate.objects.filter(review_cycle__in=open_cycles).values_list("review_cycle_id", "action_id").distinct()
    )
    leads_by_plan: dict[int, dict[int, User]] = defaultdict(dict)
    leads_to_update: dict[int, dict[int, User]] = defaultdict(dict)  # cycle id -> leads with an action to update
    cycles_by_plan: dict[int, list[ReviewCycle]] = defaultdict(list)
    for cycle in open_cycles:
        cycles_by_plan[cycle.plan_id].append(cycle)
    for action in actions:
        for lead in (action.police_lead, action.cps_lead):
            if not _reachable(lead):
                continue
            leads_by_plan[action.plan_id][lead.pk] = lead
            for cycle in cycles_by_plan[action.plan_id]:
                if (cycle.pk, action.pk) not in updated:
                    leads_to_update[cycle.pk][lead.pk] = lead

    dues: list[Due] = []
    for cycle in cycles:
        if cycle.state != ReviewCycle.State.CLOSED:
            opening = working_day_on_or_before(cycle.opens_on)
            first_due = min(
                (
                    working_day_on_or_before(cycle.updates_due_on - timedelta(days=d))
                    for d in settings.REMINDER_UPDATE_DUE_DAYS
                ),
                default=cycle.updates_due_on,
            )
            # Caught up until the first "update due" reminder takes over; always sent on the opening day itself.
            if opening <= as_of <= cycle.updates_due_on and (as_of == opening or as_of < first_due):
                occasion = occasion_key(cycle.opens_on, 0)
                dues += [
                    Due(lead, Kind.CYCLE_OPENS, occasion, review_cycle=cycle)
                    for lead in leads_by_plan[cycle.plan_id].values()
                ]
            due_in = _latest_before(cycle.updates_due_on, settings.REMINDER_UPDATE_DUE_DAYS, as_of)
            if due_in is not None:
                occasion = occasion_key(cycle.updates_due_on, -due_in)
                dues += [
                    Due(lead, Kind.UPDATE_DUE, occasion, review_cycle=cycle)
                    for lead in leads_to_update[cycle.pk].values()
                ]
            if working_day_on_or_after(cycle.updates_due_on + timedelta(days=1)) <= as_of <= cycle.board_meeting_on:
                occasion = occasion_key(cycle.updates_due_on, 1)
                dues += [
                    Due(lead, Kind.UPDATE_OVERDUE, occasion, review_cycle=cycle)
                    for lead in leads_to_update[cycle.pk].values()
                ]
        days = settings.REMINDER_BOARD_MEETING_DAYS
        if working_day_on_or_before(cycle.board_meeting_on - timedelta(days=days)) <= as_of <= cycle.board_meeting_on:
            occasion = occasion_key(cycle.board_meeting_on, -days)
            dues += [
                Due(member, Kind.BOARD_MEETING, occasion, review_cycle=cycle)
                for member in cycle.plan.reachable_board_members
                if member.wants_board_meeting_reminders
            ]
    return dues


def reminders_due(*, as_of: date) -> list[Due]:
    """Everything owed to anyone on `as_of`, sent or not: the sweep records what is new."""
    return _action_dues(as_of=as_of) + _cycle_dues(as_of=as_of)


def reminders_for_recipient(*, user: User) -> QuerySet[Reminder]:
    """The reminders recorded for a person, newest first, with what they are about."""
    return user.reminders.select_related("action", "action__plan", "review_cycle", "review_cycle__plan").order_by(
        "-due_on", "kind", "-id"
    )


# -- The digest: what one email holds ----------------------------------------------------------------------------

KIND_ORDER = list(Kind.values)
# (singular, plural) phrases for the subject line: "2 actions overdue, 1 update due".
SUBJECT_PHRASES = {
    Kind.OVERDUE: ("action overdue", "actions overdue"),
    Kind.ESCALATION: ("action overdue for over {days} days", "actions overdue for over {days} days"),
    Kind.UPDATE_OVERDUE: ("update overdue", "updates overdue"),
    Kind.UPDATE_DUE: ("update due", "updates due"),
    Kind.DUE_SOON: ("action due soon", "actions due soon"),
    Kind.CYCLE_OPENS: ("review cycle opening", "review cycles opening"),
    Kind.BOARD_MEETING: ("board meeting coming", "board meetings coming"),
}
SECTION_HEADINGS = {
    Kind.OVERDUE: "Your actions that are overdue",
    Kind.ESCALATION: "Actions overdue for more than {days} days",
    Kind.UPDATE_OVERDUE: "Updates that are overdue",
    Kind.UPDATE_DUE: "Updates due",
    Kind.DUE_SOON: "Your actions due soon",
    Kind.CYCLE_OPENS: "Review cycles opening for updates",
    Kind.BOARD_MEETING: "Board meetings coming",
}


def digest_subject(kinds: Iterable[str]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for kind in kinds:
        counts[kind] += 1
    days = settings.REMINDER_ESCALATION_DAYS
    parts = []
    for kind in KIND_ORDER:
        if counts.get(kind):
            singular, plural = SUBJECT_PHRASES[kind]
            parts.append(f"{counts[kind]} {(singular if counts[kind] == 1 else plural).format(days=days)}")
    return ", ".join(parts)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def board_pack_url(cycle: ReviewCycle) -> str | None:
    """The board pack as it stands for the cycle, or None while the board pack page does not exist."""
    try:
        path = reverse("reviews:board_pack")
    except NoReverseMatch:
        return None
    return absolute_url(f"{path}?plan={cycle.plan.slug}&cycle={cycle.pk}")


@dataclass
class DigestLink:
    text: str
    url: str


@dataclass
class DigestItem:
    title: str
    url: str
    lines: list[str] = field(default_factory=list)
    links: list[DigestLink] = field(default_factory=list)


@dataclass
class DigestSection:
    kind: str
    heading: str
    items: list[DigestItem]


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _lead_names(action: Action) -> str:
    names = [str(lead) for lead in (action.police_lead, action.cps_lead) if lead is not None]
    return ", ".join(names) if names else "no lead named"


def _action_item(reminder: Reminder, as_of: date) -> DigestItem:
    action = reminder.action
    target = action.current_target_date
    item = DigestItem(title=f"{action.reference} {action.title}", url=absolute_url(action.get_absolute_url()))
    revised = " (revised)" if action.revised_target_date else ""
    if reminder.kind == Kind.DUE_SOON:
        days = (target - as_of).days
        when = "due today" if days <= 0 else f"due in {_days(days)}"
        item.lines.append(f"Target date{revised}: {_long_date(target)}, {when}.")
    else:
        item.lines.append(f"Target date{revised}: {_long_date(target)}, overdue by {_days((as_of - target).days)}.")
    # Local plans mirror the national one, so the same title can be in two plans: name the plan.
    if reminder.kind == Kind.ESCALATION:
        item.lines.append(f"Plan: {action.plan.title}. Leads: {_lead_names(action)}.")
    else:
        item.lines.append(f"Plan: {action.plan.title}.")
    return item


def _cycle_item(reminder: Reminder, as_of: date, to_update: list[Action]) -> DigestItem:
    cycle = reminder.review_cycle
    item = DigestItem(title=f"{cycle.name}, {cycle.plan.title}", url=absolute_url(cycle.get_absolute_url()))
    if reminder.kind == Kind.CYCLE_OPENS:
        item.lines.append(
            f"Updates open on {_long_date(cycle.opens_on)} and are due by {_long_date(cycle.updates_due_on)}."
        )
    elif reminder.kind == Kind.UPDATE_DUE:
        item.lines.append(f"Updates are due by {_long_date(cycle.updates_due_on)}.")
    elif reminder.kind == Kind.UPDATE_OVERDUE:
        item.lines.append(f"Updates were due by {_long_date(cycle.updates_due_on)}.")
    if reminder.kind in (Kind.CYCLE_OPENS, Kind.UPDATE_DUE, Kind.UPDATE_OVERDUE) and to_update:
        item.lines.append("Your actions without an update in this cycle:")
        item.links += [
            DigestLink(f"{action.reference} {action.title}", absolute_url(action.get_absolute_url()))
            for action in to_update
        ]
    if reminder.kind == Kind.BOARD_MEETING:
        item.lines.append(f"The board meets on {_long_date(cycle.board_meeting_on)}.")
        pack = board_pack_url(cycle)
        if pack:
            item.links.append(DigestLink(f"Board pack for {cycle.name}", pack))
    return item


def digest_sections(*, recipient: User, reminders: list[Reminder], as_of: date) -> list[DigestSection]:
    """The reminders of one email grouped by kind, with their links (one query for the lead's actions to update)."""
    lead_kinds = (Kind.CYCLE_OPENS, Kind.UPDATE_DUE, Kind.UPDATE_OVERDUE)
    cycles = {r.review_cycle.pk: r.review_cycle for r in reminders if r.kind in lead_kinds}
    to_update = open_actions_without_update(cycles=cycles.values(), lead=recipient) if cycles else {}
    days = settings.REMINDER_ESCALATION_DAYS
    sections = []
    for kind in KIND_ORDER:
        mine = sorted(
            (r for r in reminders if r.kind == kind),
            key=lambda r: (
                (r.action.plan_id, r.action.reference_sort)
                if r.action_id
                else (r.review_cycle.plan_id, str(r.review_cycle.updates_due_on))
            ),
        )
        if not mine:
            continue
        items = [
            _action_item(r, as_of) if r.action_id else _cycle_item(r, as_of, to_update.get(r.review_cycle_id, []))
            for r in mine
        ]
        sections.append(DigestSection(kind=kind, heading=SECTION_HEADINGS[kind].format(days=days), items=items))
    return sections


# -- Recording, claiming and delivering --------------------------------------------------------------------------


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
            "review_cycle",
            "review_cycle__plan",
        )
    )
    recipient = reminders[0].recipient
    if not _reachable(recipient):
        # Deactivated, or their address removed, since the reminder was recorded: nothing to retry.
        error = "Not sent: the person is inactive or has no email address."
        Reminder.objects.filter(claim=claim, state=State.SENDING).update(
            state=State.FAILED, last_error=error, attempts=settings.REMINDER_MAX_ATTEMPTS, updated_at=timezone.now()
        )
        return DigestResult(recipient, digest_subject(r.kind for r in reminders), len(reminders), "failed", error)
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
            if _reachable(reminder.recipient):
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
