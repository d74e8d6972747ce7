"""The plan as it stood at a past moment: target dates as they were before a later revision, and no action that
had not yet been created. The board pack, the dashboard's change section and its trend tell the same story."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Rag, Side, Status, is_overdue_on
from reviews.selectors import (
    actions_as_of,
    changes_since,
    cycle_cutoff,
    cycle_day,
    end_of_day,
    figures_from_states,
    last_closed_cycle,
    trend_across_cycles,
)
from tests.factories import ActionFactory, StatusUpdateFactory
from tests.reviews.builders import TODAY, at, build_known_plan, figures
from themes.models import ReviewCycle

pytestmark = pytest.mark.django_db

HEADLINE = ("total", "completed", "in_progress", "not_started", "closed", "overdue", "red", "amber", "green")


@pytest.fixture
def known(national_plan, police_lead, cps_lead, police_force, cps_area):
    """The known plan, with two twists after its first review cycles:

    - 2.2 (in progress since 1 February 2022) was due on 31 March 2022; on 5 May 2022 its target date was
      revised to 30 June 2022. So it was overdue from 1 April until 5 May, and is not overdue today.
    - 2.4 was added to the plan on 20 May 2022, not started and red, due on 10 June 2022 (overdue today).
    """
    actions = build_known_plan(
        national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
    )
    revised = actions["2.2"]
    Action.objects.filter(pk=revised.pk).update(
        target_date=date(2022, 3, 31), revised_target_date=date(2022, 6, 30), revision_reason="Supplier delay."
    )
    with time_machine.travel(at(2022, 5, 5), tick=False):
        revised.version += 1
        StatusUpdateFactory(
            action=revised,
            author=cps_lead,
            status_from=Status.IN_PROGRESS,
            status_to=Status.IN_PROGRESS,
            rag_from=Rag.GREEN,
            rag_to=Rag.GREEN,
            target_date_from=date(2022, 3, 31),
            target_date_to=date(2022, 6, 30),
            revision_reason="Supplier delay.",
            narrative="New supplier appointed; date moved.",
            version=revised.version,
        )
    with time_machine.travel(at(2022, 5, 20), tick=False):
        actions["2.4"] = ActionFactory(
            theme=national_plan.themes.get(number=2),
            reference="2.4",
            title="Added after the spring review",
            side=Side.POLICE,
            police_lead=police_lead,
            status=Status.NOT_STARTED,
            rag=Rag.RED,
            start_date=date(2022, 5, 20),
            target_date=date(2022, 6, 10),
        )
    return actions


def page(client, user, name: str, query: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


def headline(body: str) -> dict[str, int]:
    shown = figures(body)
    return {name: int(shown[f"pack-t-{name}"]) for name in HEADLINE}


def test_a_pack_before_a_revision_shows_the_original_target_date_overdue(client, board_member, known, on_today):
    body = page(client, board_member, "reviews:board_pack", "?date=2022-04-15")
    assert headline(body)["overdue"] == 1
    assert figures(body)["pack-theme-2-overdue"] == "1"
    assert re.findall(r'data-attention="([^"]+)"', body) == ["1.2", "1.3", "2.2", "2.3"]
    section = body.split('data-attention="2.2"')[1].split("data-attention=")[0]
    assert "Target date 31 March 2022." in section
    assert "Overdue by 15 days" in section
    assert "30 June 2022" not in section


def test_the_same_action_is_not_overdue_after_its_revision(client, board_member, known, on_today):
    body = page(client, board_member, "reviews:board_pack", "?date=2022-05-15")
    assert 'data-attention="2.2"' not in body
    assert headline(body)["overdue"] == 1  # 1.2, due on 1 May 2022


def test_a_pack_for_a_review_cycle_uses_the_target_date_of_then(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    body = page(client, board_member, "reviews:board_pack", f"?cycle={cycle.pk}")
    assert headline(body) == {
        "total": 7,
        "completed": 1,
        "in_progress": 3,
        "not_started": 2,
        "closed": 1,
        "overdue": 1,
        "red": 1,
        "amber": 2,
        "green": 2,
    }
    assert re.findall(r'data-attention="([^"]+)"', body) == ["1.2", "1.3", "2.2", "2.3"]


def test_an_action_created_after_the_date_is_not_counted(client, board_member, known, on_today):
    before = page(client, board_member, "reviews:board_pack", "?date=2022-05-19")
    assert headline(before)["total"] == 7
    assert headline(before)["red"] == 2  # 1.2 (since 10 May) and 2.3; not 2.4
    assert 'data-attention="2.4"' not in before
    assert "Added after the spring review" not in before

    after = page(client, board_member, "reviews:board_pack", "?date=2022-05-20")
    assert headline(after)["total"] == 8
    assert headline(after)["red"] == 3
    assert 'data-attention="2.4"' in after


def test_the_pack_for_today_counts_the_added_action_and_the_revised_date(client, board_member, known, on_today):
    body = page(client, board_member, "reviews:board_pack")
    assert headline(body)["total"] == 8
    assert headline(body)["overdue"] == 3  # 1.2, 2.3 and 2.4; 2.2 is now due on 30 June 2022
    # Changes since Q4 2021-22: 2.4 is new and overdue; 2.2 was overdue at Q4 under its first date, so it did not
    # "become" overdue; 1.2 and 2.3 passed their dates after Q4.
    shown = figures(body)
    assert shown["added"] == "1"
    assert re.findall(r'data-added="([^"]+)"', body) == ["2.4"]
    assert re.findall(r'data-newly-overdue="([^"]+)"', body) == ["1.2", "2.3", "2.4"]
    assert re.findall(r'data-changed="([^"]+)"', body) == ["1.2"]


def test_a_past_pack_counts_what_became_overdue_under_the_dates_of_then(client, board_member, known, on_today):
    body = page(client, board_member, "reviews:board_pack", "?date=2022-04-15")
    assert "Since review cycle Q3 2021-22" in body
    # 2.2 was not overdue at Q3 (31 January 2022) and was at 15 April 2022, under its original 31 March date.
    assert re.findall(r'data-newly-overdue="([^"]+)"', body) == ["2.2"]
    assert "target date 31 March 2022 (overdue by 15 days)" in body
    assert 'data-figure="added"' not in body


def test_the_dashboard_trend_agrees_with_the_pack_for_each_cycle(client, board_member, known, on_today):
    dashboard = figures(page(client, board_member, "reviews:dashboard"))
    cycles = list(ReviewCycle.objects.filter(state=ReviewCycle.State.CLOSED).order_by("board_meeting_on"))
    assert [cycle.name for cycle in cycles] == ["Q3 2021-22", "Q4 2021-22"]
    for number, query in enumerate([f"?cycle={cycles[0].pk}", f"?cycle={cycles[1].pk}", ""], start=1):
        pack = figures(page(client, board_member, "reviews:board_pack", query))
        for name in ("completed", "red", "amber", "green", "overdue"):
            assert dashboard[f"trend-{number}-{name}"] == pack[f"pack-t-{name}"], (query, name)
    # The figures themselves: Q4 under 2.2's first date, without 2.4; now with 2.4 and 2.2's revised date.
    assert (dashboard["trend-2-overdue"], dashboard["trend-2-red"]) == ("1", "1")
    assert (dashboard["trend-3-overdue"], dashboard["trend-3-red"]) == ("3", "3")


def test_the_dashboard_changes_agree_with_the_pack(client, board_member, known, on_today):
    dashboard = page(client, board_member, "reviews:dashboard")
    pack = page(client, board_member, "reviews:board_pack")
    attributes = ("data-changed", "data-completed", "data-newly-overdue", "data-added")
    listed = {attribute: re.findall(rf'{attribute}="([^"]+)"', dashboard) for attribute in attributes}
    assert listed == {attribute: re.findall(rf'{attribute}="([^"]+)"', pack) for attribute in attributes}
    # Since Q4 2021-22: 1.2 turned red, 1.2, 2.3 and 2.4 became overdue, 2.4 was added; nothing was completed.
    assert listed == {
        "data-changed": ["1.2"],
        "data-completed": [],
        "data-newly-overdue": ["1.2", "2.3", "2.4"],
        "data-added": ["2.4"],
    }


@pytest.mark.parametrize("moment_of", ["Q4 2021-22", "2022-04-15", "2022-05-19", "now"])
def test_changes_are_the_difference_of_two_packs(national_plan, known, on_today, moment_of):
    """Each change listed follows from the pack at the previous closed cycle and the pack at the moment, action by
    action, and nothing else changed."""
    q4 = ReviewCycle.objects.get(name="Q4 2021-22")
    if moment_of == "Q4 2021-22":
        moment, day = cycle_cutoff(q4), cycle_day(q4)
    elif moment_of == "now":
        moment, day = timezone.now(), timezone.localdate()
    else:
        day = date.fromisoformat(moment_of)
        moment = end_of_day(day)
    since = last_closed_cycle(plan=national_plan, before=moment, exclude=q4 if moment_of == "Q4 2021-22" else None)
    assert since is not None
    then = {a.reference: a for a in actions_as_of(actions=national_plan.actions.all(), moment=cycle_cutoff(since))}
    now = {a.reference: a for a in actions_as_of(actions=national_plan.actions.all(), moment=moment)}
    report = changes_since(actions=national_plan.actions.all(), since=since, moment=moment, day=day)

    def overdue(action, on):
        return is_overdue_on(status=action.status_then, target=action.target_then, day=on)

    expected_changed = [
        ref
        for ref in now
        if ref in then and (now[ref].status_then, now[ref].rag_then) != (then[ref].status_then, then[ref].rag_then)
    ]
    expected_completed = [
        ref
        for ref in now
        if now[ref].status_then == Status.COMPLETED and (ref not in then or then[ref].status_then != Status.COMPLETED)
    ]
    expected_overdue = [
        ref for ref in now if overdue(now[ref], day) and not (ref in then and overdue(then[ref], cycle_day(since)))
    ]
    assert sorted(c.action.reference for c in report.changed) == sorted(expected_changed)
    assert sorted(a.reference for a in report.completed) == sorted(expected_completed)
    assert sorted(a.reference for a in report.newly_overdue) == sorted(expected_overdue)
    assert sorted(a.reference for a in report.added) == sorted(set(now) - set(then))


def test_the_trend_is_the_pack_at_each_cycle(national_plan, known, on_today):
    points = trend_across_cycles(plan=national_plan, actions=national_plan.actions.all(), today=TODAY.date())
    cycles = list(ReviewCycle.objects.filter(state=ReviewCycle.State.CLOSED).order_by("board_meeting_on"))
    # One point per closed cycle, then today's.
    assert [point.label for point in points[:-1]] == [cycle.name for cycle in cycles] == ["Q3 2021-22", "Q4 2021-22"]
    for point, cycle in zip(points, cycles, strict=False):
        rows = list(actions_as_of(actions=national_plan.actions.all(), moment=cycle_cutoff(cycle)))
        assert point.figures == figures_from_states(rows=rows, day=cycle_day(cycle)), cycle.name
    assert [point.figures.total for point in points] == [7, 7, 8]
