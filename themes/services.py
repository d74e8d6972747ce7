"""Writes to the plan's calendar of review cycles: scheduling, editing before they open, opening.

Closing a cycle (and what the board records in it) belongs to `reviews`, which freezes the actions' state.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actionplan.working_days import working_day_on_or_after

from .models import Plan, ReviewCycle

# A quarterly cycle: updates open on a working day, are due ten working days later, and the board meets ten
# working days after that.
UPDATE_WINDOW_WORKING_DAYS = 10
MEETING_AFTER_DUE_WORKING_DAYS = 10
QUARTERS_IN_A_YEAR = 4


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (itself a working day or not)."""
    for _ in range(count):
        day = working_day_on_or_after(day + timedelta(days=1))
    return day


def financial_quarter_name(day: date) -> str:
    """The UK financial quarter a day is in: 'Q1 2026-27' for April to June 2026, 'Q4 2026-27' for January to
    March 2027."""
    start_year = day.year if day.month >= 4 else day.year - 1
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"Q{quarter} {start_year}-{(start_year + 1) % 100:02d}"


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class CycleDates:
    name: str
    opens_on: date
    updates_due_on: date
    board_meeting_on: date


def quarterly_cycle_dates(*, first_opens_on: date, count: int = QUARTERS_IN_A_YEAR) -> list[CycleDates]:
    """A year of quarterly cycles from a first opening date: each opens three months after the one before (on the
    next working day when that is a weekend or a bank holiday), is named after the financial quarter it opens in,
    and has its update window and board meeting counted in working days."""
    result = []
    for index in range(count):
        opens_on = working_day_on_or_after(add_months(first_opens_on, 3 * index))
        due = add_working_days(opens_on, UPDATE_WINDOW_WORKING_DAYS)
        result.append(
            CycleDates(
                name=financial_quarter_name(opens_on),
                opens_on=opens_on,
                updates_due_on=due,
                board_meeting_on=add_working_days(due, MEETING_AFTER_DUE_WORKING_DAYS),
            )
        )
    return result


def _require_admin(by) -> None:
    if not getattr(by, "is_admin", False):
        raise PermissionDenied("Only an admin may schedule, change or open review cycles.")


def _overlap_errors(cycle: ReviewCycle) -> list[str]:
    clash = (
        ReviewCycle.objects.filter(plan_id=cycle.plan_id)
        .overlapping(opens_on=cycle.opens_on, board_meeting_on=cycle.board_meeting_on)
        .exclude(pk=cycle.pk)
        .order_by("opens_on")
        .first()
    )
    if clash is None:
        return []
    return [
        f"These dates overlap {clash.name}, which runs from {clash.opens_on.day} {clash.opens_on:%B %Y} to its board "
        f"meeting on {clash.board_meeting_on.day} {clash.board_meeting_on:%B %Y}: choose dates after it or before it"
    ]


def _validate(cycle: ReviewCycle) -> None:
    """The model's constraints and field rules, then the rule across rows a schedule keeps: one plan's cycles never
    overlap, from the day updates open to the board meeting. It holds the model's narrower rule (update windows of
    cycles not closed never overlap), so a clash is told once, in its words."""
    errors: dict[str, list[str]] = {}
    try:
        cycle.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    overlap = _overlap_errors(cycle)
    if overlap:
        narrower = cycle.window_overlap_problem()
        errors["opens_on"] = [message for message in errors.get("opens_on", []) if message != narrower] + overlap
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_cycle_create(
    *, plan: Plan, by, name: str, opens_on: date, updates_due_on: date, board_meeting_on: date
) -> ReviewCycle:
    """Schedule one review cycle of the plan (planned until it opens)."""
    _require_admin(by)
    # One cycle is scheduled at a time per plan, so two admins cannot both pass the overlap check.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    cycle = ReviewCycle(
        plan=plan,
        name=name.strip(),
        opens_on=opens_on,
        updates_due_on=updates_due_on,
        board_meeting_on=board_meeting_on,
        state=ReviewCycle.State.PLANNED,
    )
    _validate(cycle)
    cycle._change_reason = "Scheduled"
    cycle.save()
    return cycle


@transaction.atomic
def review_cycles_schedule_year(*, plan: Plan, by, first_opens_on: date) -> list[ReviewCycle]:
    """Schedule four quarterly cycles from a first opening date (see `quarterly_cycle_dates`): all or none."""
    _require_admin(by)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    cycles = []
    problems: list[str] = []
    for dates in quarterly_cycle_dates(first_opens_on=first_opens_on):
        cycle = ReviewCycle(
            plan=plan,
            name=dates.name,
            opens_on=dates.opens_on,
            updates_due_on=dates.updates_due_on,
            board_meeting_on=dates.board_meeting_on,
            state=ReviewCycle.State.PLANNED,
        )
        try:
            _validate(cycle)
        except ValidationError as error:
            problems += [f"{dates.name}: {message}" for message in error.messages]
            continue
        cycle._change_reason = "Scheduled with a year of quarterly cycles"
        cycle.save()
        cycles.append(cycle)
    if problems:
        raise ValidationError({"first_opens_on": problems})
    return cycles


@transaction.atomic
def review_cycle_change(
    *, cycle: ReviewCycle, by, name: str, opens_on: date, updates_due_on: date, board_meeting_on: date
) -> ReviewCycle:
    """Change a cycle's name or dates: only while it is planned (an open cycle already takes updates)."""
    _require_admin(by)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != ReviewCycle.State.PLANNED:
        raise ValidationError(
            {"__all__": [f"{cycle.name} is {cycle.get_state_display().lower()}: only a planned cycle can be changed"]}
        )
    cycle.name, cycle.opens_on, cycle.updates_due_on, cycle.board_meeting_on = (
        name.strip(),
        opens_on,
        updates_due_on,
        board_meeting_on,
    )
    _validate(cycle)
    cycle._change_reason = "Dates changed before opening"
    cycle.save()
    return cycle


@transaction.atomic
def review_cycle_open(*, cycle: ReviewCycle, by=None, today: date | None = None) -> ReviewCycle:
    """Open a planned cycle: the daily task on its opening day (`by` None), or an admin early. Opening early
    moves its first day to today, so updates made from now on belong to it. Opening an open cycle is refused."""
    if by is not None:
        _require_admin(by)
    today = today or timezone.localdate()
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state != ReviewCycle.State.PLANNED:
        raise ValidationError({"__all__": [f"{cycle.name} is already {cycle.get_state_display().lower()}"]})
    if today > cycle.updates_due_on:
        raise ValidationError(
            {
                "__all__": [
                    f"Updates for {cycle.name} were due by {cycle.updates_due_on:%d %B %Y}: change its dates first"
                ]
            }
        )
    if cycle.opens_on > today:
        cycle.opens_on = today
        _validate(cycle)
    cycle.state = ReviewCycle.State.OPEN
    cycle.opened_at = timezone.now()
    cycle._change_reason = "Opened early" if by is not None else "Opened on its opening day"
    cycle.save()
    return cycle


def review_cycles_open_due(*, today: date | None = None) -> list[ReviewCycle]:
    """Open every planned cycle of a published plan whose opening day has come and whose updates are not yet
    past due (the daily task). Safe to run twice: an open cycle is not opened again."""
    today = today or timezone.localdate()
    due = ReviewCycle.objects.filter(
        state=ReviewCycle.State.PLANNED,
        plan__status=Plan.Status.PUBLISHED,
        opens_on__lte=today,
        updates_due_on__gte=today,
    ).order_by("opens_on", "pk")
    opened = []
    for cycle in due:
        try:
            opened.append(review_cycle_open(cycle=cycle, today=today))
        except ValidationError:
            continue  # opened meanwhile by an admin or another run
    return opened
