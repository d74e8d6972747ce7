"""The calendar feed: each person may subscribe their calendar program to a secret, revocable address that lists
the target dates of their open actions and the dates of their plans' review cycles and board meetings."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from actions.models import Action
from actions.selectors import actions_for_lead
from themes.models import Plan, ReviewCycle

from .models import CalendarFeed

if TYPE_CHECKING:
    from actionplan.models import User

KEY_BYTES = 32
# A calendar program asks every few minutes or hours; recording each fetch would write every time.
FETCH_GRANULARITY = timedelta(minutes=15)
# Cycles of the last year and all to come: enough to plan by, without the whole history of a long plan.
CYCLES_FROM_DAYS_AGO = 365


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new secret address for the person's calendar; any earlier one stops working. Returns the feed and its key,
    which is not stored and cannot be shown again."""
    CalendarFeed.objects.filter(user=user).delete()
    key = secrets.token_urlsafe(KEY_BYTES)
    return CalendarFeed.objects.create(user=user, key_hash=_hash(key)), key


def calendar_feed_revoke(*, user: User) -> bool:
    """Turn the person's calendar address off. True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_for_key(*, key: str) -> CalendarFeed | None:
    """The feed with this key, of a person who may still sign in; records when it was fetched."""
    if not key or len(key) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user", "user__organisation").filter(key_hash=_hash(key)).first()
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_fetched_at is None or now - feed.last_fetched_at >= FETCH_GRANULARITY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    return feed


def feed_actions(*, user: User, today: date) -> QuerySet[Action]:
    """The open actions the person leads or their organisation owns, in published plans (as My actions lists)."""
    return actions_for_lead(user=user, as_of=today).open()


def feed_plans(*, user: User, today: date) -> QuerySet[Plan]:
    """The published plans whose calendar concerns the person: those they lead actions in, sit on the board of or
    administer."""
    led = feed_actions(user=user, today=today).values("plan_id")
    return Plan.objects.published().filter(Q(pk__in=led) | Q(board_members=user) | Q(admins=user)).distinct()


def feed_review_cycles(*, user: User, today: date) -> QuerySet[ReviewCycle]:
    return (
        ReviewCycle.objects.filter(plan__in=feed_plans(user=user, today=today))
        .filter(board_meeting_on__gte=today - timedelta(days=CYCLES_FROM_DAYS_AGO))
        .select_related("plan")
        .order_by("opens_on", "id")
    )


def _all_day(event: Event, day: date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")


def calendar_ics(*, user: User, today: date | None = None) -> bytes:
    """The person's feed as iCalendar: one all-day event per target date, cycle opening, update deadline and board
    meeting, each with a stable UID so calendar programs update it in place when a date moves."""
    today = today or timezone.localdate()
    site = settings.SITE_URL
    host = urlsplit(site).hostname or "rasso-plan"
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//RASSO joint action plan//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{settings.SERVICE_NAME}: {user}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", "PT1H")
    for action in feed_actions(user=user, today=today):
        event = Event()
        event.add("uid", f"action-{action.pk}-target@{host}")
        event.add("dtstamp", stamp)
        event.add("sequence", action.version)
        event.add("summary", f"Action {action.reference} due: {action.title}")
        revised = " (revised)" if action.revised_target_date else ""
        link = f"{site}{action.get_absolute_url()}"
        event.add(
            "description",
            f"{action.plan.title}, theme {action.theme.number}. Target date{revised}: "
            f"{action.current_target_date_text}. Status: {action.get_status_display()}.\n{link}",
        )
        event.add("url", link)
        event.add("categories", ["Action target date"])
        _all_day(event, action.current_target_date)
        calendar.add_component(event)
    for cycle in feed_review_cycles(user=user, today=today):
        url = f"{site}{cycle.get_absolute_url()}"
        for kind, day, summary in (
            ("opens", cycle.opens_on, f"Updates open: {cycle.name}, {cycle.plan.title}"),
            ("due", cycle.updates_due_on, f"Updates due: {cycle.name}, {cycle.plan.title}"),
            ("board", cycle.board_meeting_on, f"Board meeting: {cycle.name}, {cycle.plan.title}"),
        ):
            event = Event()
            event.add("uid", f"cycle-{cycle.pk}-{kind}@{host}")
            event.add("dtstamp", stamp)
            event.add("summary", summary)
            event.add("description", f"Review cycle {cycle.name} of {cycle.plan.title}.\n{url}")
            event.add("url", url)
            event.add("categories", ["Board meeting" if kind == "board" else "Review cycle"])
            _all_day(event, day)
            calendar.add_component(event)
    return calendar.to_ical()
