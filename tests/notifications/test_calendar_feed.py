"""The calendar feed: a secret, revocable address per person, with their actions' target dates and their plans'
review cycles and board meetings, as iCalendar."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from actions.models import Action, Status
from notifications.feeds import calendar_feed_create
from notifications.models import CalendarFeed
from tests.factories import ActionFactory, ReviewCycleFactory

pytestmark = pytest.mark.django_db


def events(client, url: str) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    return {
        str(event["uid"]): {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "url": str(event.get("url", "")),
            "description": str(event.get("description", "")),
        }
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def dated(national_plan, police_action, joint_action, police_lead, board_member):
    Action.objects.filter(pk=police_action.pk).update(target_date=date(2022, 3, 31), target_date_precision="quarter")
    Action.objects.filter(pk=joint_action.pk).update(
        revised_target_date=date(2022, 9, 30), revision_reason="Supplier delay."
    )
    ActionFactory(
        theme=national_plan.themes.get(number=3),
        reference="3.1",
        police_lead=police_lead,
        status=Status.COMPLETED,
        completed_on=date(2022, 1, 1),
    )
    national_plan.board_members.add(board_member)
    return ReviewCycleFactory(
        plan=national_plan,
        name="Q3 2026-27",
        opens_on=date(2026, 12, 1),
        updates_due_on=date(2026, 12, 14),
        board_meeting_on=date(2026, 12, 21),
    )


def test_a_lead_subscribes_to_the_target_dates_of_their_open_actions_and_their_plans_cycles(
    client, police_lead, police_action, joint_action, dated
):
    client.force_login(police_lead)
    response = client.post(reverse("notifications:calendar"), {"calendar": "new"}, follow=True)
    body = response.content.decode()
    url = re.search(r'<code class="app-token" id="calendar-url">(http://testserver/[^<]+)</code>', body).group(1)
    assert "it is shown only once" in body
    assert url not in client.get(reverse("notifications:list")).content.decode()

    client.logout()  # calendar programs do not sign in: the secret address is enough
    found = events(client, url.removeprefix("http://testserver"))
    host = "testserver"
    target = found[f"action-{police_action.pk}-target@{host}"]
    assert target["summary"] == "Action 1.1 due: Police-only action"
    assert (target["start"], target["end"]) == (date(2022, 3, 31), date(2022, 4, 1))
    assert "Target date: Q1 2022" in target["description"]
    assert target["url"] == f"http://testserver{police_action.get_absolute_url()}"
    revised = found[f"action-{joint_action.pk}-target@{host}"]
    assert revised["start"] == date(2022, 9, 30)
    assert "Target date (revised): 30 September 2022" in revised["description"]
    cycle = dated
    assert found[f"cycle-{cycle.pk}-opens@{host}"]["start"] == date(2026, 12, 1)
    assert found[f"cycle-{cycle.pk}-due@{host}"]["summary"] == "Updates due: Q3 2026-27, Joint national action plan"
    assert found[f"cycle-{cycle.pk}-board@{host}"]["start"] == date(2026, 12, 21)
    assert not any("3.1" in event["summary"] for event in found.values())  # completed: no longer due
    assert len(found) == 5


def test_a_board_member_gets_the_cycles_and_meetings_of_their_boards(client, board_member, dated):
    _feed, key = calendar_feed_create(user=board_member)
    found = events(client, reverse("notifications:calendar_feed", kwargs={"key": key}))
    assert sorted(event["summary"].split(":")[0] for event in found.values()) == [
        "Board meeting",
        "Updates due",
        "Updates open",
    ]


def test_a_new_address_turns_the_old_one_off_and_turning_off_stops_it(client, police_lead, dated):
    _feed, old = calendar_feed_create(user=police_lead)
    _feed, new = calendar_feed_create(user=police_lead)
    assert client.get(reverse("notifications:calendar_feed", kwargs={"key": old})).status_code == 404
    assert client.get(reverse("notifications:calendar_feed", kwargs={"key": new})).status_code == 200
    assert CalendarFeed.objects.get(user=police_lead).last_fetched_at is not None

    client.force_login(police_lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "You have a calendar address" in page
    response = client.post(reverse("notifications:calendar"), {"calendar": "off"}, follow=True)
    assert "Your calendar address has been turned off" in response.content.decode()
    client.logout()
    gone = client.get(reverse("notifications:calendar_feed", kwargs={"key": new}))
    assert gone.status_code == 404
    assert "turned off" in gone.content.decode()


def test_only_a_hash_of_the_address_is_kept(police_lead):
    feed, key = calendar_feed_create(user=police_lead)
    assert key not in feed.key_hash
    assert len(feed.key_hash) == 64


def test_the_address_of_someone_who_can_no_longer_sign_in_stops_working(client, police_lead, dated):
    _feed, key = calendar_feed_create(user=police_lead)
    police_lead.is_active = False
    police_lead.save()
    assert client.get(reverse("notifications:calendar_feed", kwargs={"key": key})).status_code == 404


@pytest.mark.parametrize(("key", "status"), [("nothing", 404), ("x" * 500, 404), ("%00", 400)])
def test_an_unknown_address_is_a_404_with_a_message(client, key, status):
    # A NUL in any address is refused with a 400 before a view reads it.
    response = client.get(f"/notifications/calendar/{key}.ics")
    assert response.status_code == status


def test_the_feed_takes_no_post(client, police_lead):
    _feed, key = calendar_feed_create(user=police_lead)
    assert client.post(reverse("notifications:calendar_feed", kwargs={"key": key})).status_code == 405
