"""What one reminder email holds: the reminders of one person grouped by kind, with their lines and links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actionplan.models import User
from actions.models import Action, side_words
from themes.models import ReviewCycle

from .models import Reminder
from .owed import completion_occasion, open_actions_without_update

Kind = Reminder.Kind


# Reminders to a lead about a cycle, which list the lead's actions still without an update in it.
LEAD_KINDS = (Kind.CHASE, Kind.CYCLE_OPENS, Kind.UPDATE_DUE, Kind.UPDATE_OVERDUE)
KIND_ORDER = list(Kind.values)
# (singular, plural) phrases for the subject line: "2 actions overdue, 1 update due".
SUBJECT_PHRASES = {
    Kind.OVERDUE: ("action overdue", "actions overdue"),
    Kind.ESCALATION: ("action overdue for over {days} days", "actions overdue for over {days} days"),
    Kind.CHASE: ("update asked for now", "updates asked for now"),
    Kind.COMPLETION_PROPOSED: ("completion to confirm", "completions to confirm"),
    Kind.UPDATE_OVERDUE: ("update overdue", "updates overdue"),
    Kind.UPDATE_DUE: ("update due", "updates due"),
    Kind.DUE_SOON: ("action due soon", "actions due soon"),
    Kind.CYCLE_OPENS: ("review cycle opening", "review cycles opening"),
    Kind.BOARD_MEETING: ("board meeting coming", "board meetings coming"),
}
SECTION_HEADINGS = {
    Kind.OVERDUE: "Your actions that are overdue",
    Kind.ESCALATION: "Actions overdue for more than {days} days",
    Kind.CHASE: "Updates the review cycle is still waiting for",
    Kind.COMPLETION_PROPOSED: "Completions for you to confirm or decline",
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


def board_pack_url(cycle: ReviewCycle) -> str:
    """The board pack as it stands for the cycle."""
    return absolute_url(f"{reverse('reviews:board_pack')}?plan={cycle.plan.slug}&cycle={cycle.pk}")


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


def _completion_item(reminder: Reminder) -> DigestItem:
    action = reminder.action
    item = DigestItem(title=f"{action.reference} {action.title}", url=absolute_url(action.get_absolute_url()))
    if action.completion_is_proposed and completion_occasion(action) == reminder.occasion:
        proposed_on = timezone.localtime(action.completion_proposed_at).date()
        side = side_words(action.completion_proposed_side)
        awaited = side_words(action.completion_awaited_side)
        item.lines.append(
            f"Completion proposed by {action.completion_proposed_by} ({side}) on {_long_date(proposed_on)}: "
            f"awaiting the {awaited} lead."
        )
        item.lines.append(f"Plan: {action.plan.title}.")
        item.links.append(
            DigestLink(
                "Confirm or decline the completion", absolute_url(reverse("actions:completion", args=[action.pk]))
            )
        )
    else:
        item.lines.append("This proposed completion has since been confirmed or declined: nothing more is needed.")
        item.lines.append(f"Plan: {action.plan.title}.")
    return item


def _action_item(reminder: Reminder, as_of: date) -> DigestItem:
    action = reminder.action
    if reminder.kind == Kind.COMPLETION_PROPOSED:
        return _completion_item(reminder)
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
    elif reminder.kind == Kind.CHASE:
        item.lines.append(
            f"The board is still waiting for your updates: they are due by {_long_date(cycle.updates_due_on)}."
        )
    elif reminder.kind == Kind.UPDATE_OVERDUE:
        item.lines.append(f"Updates were due by {_long_date(cycle.updates_due_on)}.")
    if reminder.kind in LEAD_KINDS and to_update:
        item.lines.append("Your actions without an update in this cycle:")
        item.links += [
            DigestLink(f"{action.reference} {action.title}", absolute_url(action.get_absolute_url()))
            for action in to_update
        ]
    if reminder.kind == Kind.BOARD_MEETING:
        item.lines.append(f"The board meets on {_long_date(cycle.board_meeting_on)}.")
        item.links.append(DigestLink(f"Board pack for {cycle.name}", board_pack_url(cycle)))
    return item


def digest_sections(*, recipient: User, reminders: list[Reminder], as_of: date) -> list[DigestSection]:
    """The reminders of one email grouped by kind, with their links (one query for the lead's actions to update)."""
    cycles = {r.review_cycle.pk: r.review_cycle for r in reminders if r.kind in LEAD_KINDS}
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
