"""What is owed to whom on a day: the reminders due, worked out from the dates alone.

Each reminder has a nominal day (for example 14 days before a target date), moved to a working day when it falls
on a weekend or an England and Wales bank holiday, and is due from that working day until the date it is about,
so a sweep that did not run one day is caught up the next. Only the latest occasion of each kind is due (a missed
14-day reminder is not sent once the 3-day one is due). A constant number of queries, never one per action.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from actionplan.models import Organisation, User
from actionplan.working_days import (
    SHIFT_SLACK_DAYS,
    late_reminder_day,
    occasion_key,
    working_day_on_or_after,
    working_day_on_or_before,
)
from actions.models import Action, LeadSide, StatusUpdate
from themes.models import Plan, ReviewCycle

from .models import Reminder

Kind = Reminder.Kind


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


def reachable(user: User | None) -> bool:
    """Active, with an email address: a reminder can reach them."""
    return user is not None and user.is_active and bool(user.email)


def may_be_reminded(user: User | None, plan: Plan) -> bool:
    """A reminder about something of `plan` goes only to someone it can reach who may still read the plan
    (`Plan.is_readable_by`), and only while the plan is in force: a draft or an archive reminds nobody."""
    return reachable(user) and plan.accepts_updates and plan.is_readable_by(user)


def _latest_before(reference: date, periods: Iterable[int], as_of: date) -> int | None:
    """The shortest period whose (working-day) reminder day has come by `as_of`, while `reference` is ahead."""
    if as_of > reference:
        return None
    come = [days for days in periods if working_day_on_or_before(reference - timedelta(days=days)) <= as_of]
    return min(come) if come else None


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
        .taking_updates()
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
        leads = [lead for lead in (action.police_lead, action.cps_lead) if may_be_reminded(lead, action.plan)]
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
                person.pk: person
                for person in action.plan.reachable_admins + action.plan.reachable_board_members
                if may_be_reminded(person, action.plan)
            }
            dues += [Due(person, Kind.ESCALATION, occasion, action=action) for person in people.values()]
    return dues


def completion_occasion(action: Action) -> str:
    """The occasion of a proposed completion: the moment it was proposed (UTC), so each proposal is reminded about
    once, and a proposal made again after a decline is a new one."""
    return action.completion_proposed_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")


def actions_awaiting_confirmation() -> QuerySet[Action]:
    """Joint actions of published plans whose completion one side proposed, with the leads who may confirm it:
    the named lead of the side awaited, and the leads in the action's organisations of that side (prefetched)."""
    leads = User.objects.filter(is_active=True, role=User.Role.LEAD).exclude(email="")
    organisations = Organisation.objects.filter(kind__in=LeadSide.values).prefetch_related(
        Prefetch("people", queryset=leads.order_by("pk"), to_attr="reachable_leads")
    )
    return (
        Action.objects.taking_updates()
        .completion_proposed()
        .select_related("plan", "police_lead", "cps_lead", "completion_proposed_by")
        .prefetch_related(Prefetch("lead_organisations", queryset=organisations, to_attr="side_organisations"))
        .order_by("plan_id", "reference_sort")
    )


def confirming_leads(action: Action) -> list[User]:
    """Who is asked to confirm a proposed completion: the named lead of the side awaited when they can be reached,
    otherwise the leads of that side in the action's lead organisations (`actions_awaiting_confirmation`)."""
    side = action.completion_awaited_side
    named = action.cps_lead if side == LeadSide.CPS else action.police_lead
    if reachable(named) and named.is_lead:
        return [named]
    found: dict[int, User] = {}
    for organisation in action.side_organisations:
        if organisation.kind == side:
            for person in organisation.reachable_leads:
                found.setdefault(person.pk, person)
    return list(found.values())


def _completion_dues() -> list[Due]:
    dues: list[Due] = []
    for action in actions_awaiting_confirmation():
        occasion = completion_occasion(action)
        dues += [Due(lead, Kind.COMPLETION_PROPOSED, occasion, action=action) for lead in confirming_leads(action)]
    return dues


def cycles_due_for_reminders(*, as_of: date) -> QuerySet[ReviewCycle]:
    """Review cycles whose board meeting is still ahead and whose dates are close enough to remind about."""
    ahead = max([*settings.REMINDER_UPDATE_DUE_DAYS, settings.REMINDER_BOARD_MEETING_DAYS, 0])
    return (
        ReviewCycle.objects.filter(
            plan__status=Plan.Status.PUBLISHED,
            board_meeting_on__gte=as_of,
            opens_on__lte=as_of + timedelta(days=ahead + SHIFT_SLACK_DAYS),
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
    actions = Action.objects.open().taking_updates().filter(plan_id__in=plans).select_related("police_lead", "cps_lead")
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
        .taking_updates()
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
    plans = {cycle.plan_id: cycle.plan for cycle in open_cycles}
    for action in actions:
        for lead in (action.police_lead, action.cps_lead):
            if not may_be_reminded(lead, plans[action.plan_id]):
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
                # The reminder links to the board pack, which only people who read dashboards may open.
                if member.wants_board_meeting_reminders
                and member.reads_dashboards
                and may_be_reminded(member, cycle.plan)
            ]
    return dues


def reminders_due(*, as_of: date) -> list[Due]:
    """Everything owed to anyone on `as_of`, sent or not: the sweep records what is new."""
    return _action_dues(as_of=as_of) + _completion_dues() + _cycle_dues(as_of=as_of)
