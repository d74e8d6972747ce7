"""Proposed completions on the dashboard and in the board pack: a figure and a list, now and as at a date."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action
from actions.services import action_completion_confirm, action_update_status
from reviews.selectors import Figures, count_states
from tests.reviews.builders import figures

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PROPOSED_AT = datetime(2022, 3, 1, 10, 0, tzinfo=LONDON)
CONFIRMED_AT = datetime(2022, 3, 10, 14, 0, tzinfo=LONDON)
LATER = datetime(2022, 3, 20, 12, 0, tzinfo=LONDON)


@pytest.fixture
def proposed(joint_action, police_action, police_lead):
    """The joint action 2.1 proposed by its police lead on 1 March 2022; the police action 1.1 in progress. Both
    were set up in January."""
    Action.objects.filter(pk__in=[joint_action.pk, police_action.pk]).update(
        created_at=datetime(2022, 1, 10, 9, 0, tzinfo=LONDON)
    )
    with time_machine.travel(PROPOSED_AT, tick=False):
        action_update_status(
            action=joint_action,
            by=police_lead,
            status="completed",
            rag="green",
            narrative="Done in every force area.",
            expected_version=1,
        )
    return Action.objects.get(pk=joint_action.pk)


@pytest.fixture
def confirmed(proposed, cps_lead):
    with time_machine.travel(CONFIRMED_AT, tick=False):
        action_completion_confirm(action=proposed, by=cps_lead, expected_version=2)
    return Action.objects.get(pk=proposed.pk)


def page(client, user, name: str, query: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_counts_and_lists_proposed_completions(client, board_member, proposed):
    with time_machine.travel(datetime(2022, 3, 5, 12, 0, tzinfo=LONDON), tick=False):
        body = page(client, board_member, "reviews:dashboard")
    shown = figures(body)
    assert shown["completion_proposed"] == "1"
    assert shown["t-completion_proposed"] == "1"
    # Still open: in progress, and counted in the RAG of open actions.
    assert (shown["t-in_progress"], shown["t-completed"], shown["t-green"]) == ("2", "0", "2")
    assert re.findall(r'data-proposed="([^"]+)"', body) == ["2.1"]
    row = body.split('data-proposed="2.1"')[1].split("</tr>")[0]
    assert "Paula Police (police)" in row
    assert "1 March 2022" in row
    assert "The CPS lead, Carl Crown" in row


def test_the_dashboards_filters_apply_to_the_proposed_completions(client, board_member, proposed):
    with time_machine.travel(datetime(2022, 3, 5, 12, 0, tzinfo=LONDON), tick=False):
        body = page(client, board_member, "reviews:dashboard", "?side=police")
    assert figures(body)["completion_proposed"] == "0"
    assert "No completions are awaiting confirmation." in body


def test_a_confirmed_completion_leaves_the_dashboards_list(client, board_member, confirmed):
    with time_machine.travel(LATER, tick=False):
        body = page(client, board_member, "reviews:dashboard")
    shown = figures(body)
    assert (shown["completion_proposed"], shown["t-completed"]) == ("0", "1")
    assert "data-proposed=" not in body


def test_the_board_pack_shows_the_proposals_as_they_stood_on_the_day(client, board_member, confirmed):
    with time_machine.travel(LATER, tick=False):
        then = page(client, board_member, "reviews:board_pack", "?date=2022-03-05")
        after = page(client, board_member, "reviews:board_pack", "?date=2022-03-12")
        now = page(client, board_member, "reviews:board_pack")

    shown = figures(then)
    assert (shown["pack-completion_proposed"], shown["pack-t-completion_proposed"]) == ("1", "1")
    assert (shown["pack-t-in_progress"], shown["pack-t-completed"]) == ("2", "0")
    assert re.findall(r'data-proposed="([^"]+)"', then) == ["2.1"]
    row = then.split('data-proposed="2.1"')[1].split("</tr>")[0]
    assert "Paula Police (police)" in row and "1 March 2022" in row and "The CPS lead" in row

    for body in (after, now):
        shown = figures(body)
        assert (shown["pack-completion_proposed"], shown["pack-t-completed"]) == ("0", "1")
        assert "No completions are awaiting confirmation." in body


def test_the_board_pack_before_the_proposal_shows_none(client, board_member, proposed):
    with time_machine.travel(LATER, tick=False):
        body = page(client, board_member, "reviews:board_pack", "?date=2022-02-28")
        today = page(client, board_member, "reviews:board_pack")
    assert figures(body)["pack-completion_proposed"] == "0"
    assert figures(today)["pack-completion_proposed"] == "1"
    assert re.findall(r'data-proposed="([^"]+)"', today) == ["2.1"]


def test_counting_states_takes_the_proposal_of_open_actions_only(today):
    later = today + timedelta(days=365)
    counted = count_states(
        [("in_progress", "green", later, True), ("completed", "green", later, True), ("in_progress", "red", later)],
        day=today,
    )
    assert counted == Figures(total=3, in_progress=2, completed=1, red=1, green=1, completion_proposed=1)


def test_a_cycle_closed_while_a_completion_awaited_confirmation_keeps_it_in_its_pack(
    client, board_member, admin_user, proposed, cps_lead
):
    from reviews.models import ActionSnapshot
    from reviews.services import review_cycle_close
    from tests.factories import ReviewCycleFactory

    cycle = ReviewCycleFactory(
        plan=proposed.plan,
        name="Q4 2021-22",
        state="open",
        opens_on=datetime(2022, 2, 21).date(),
        updates_due_on=datetime(2022, 3, 4).date(),
        board_meeting_on=datetime(2022, 3, 7).date(),
    )
    with time_machine.travel(datetime(2022, 3, 8, 9, 0, tzinfo=LONDON), tick=False):
        review_cycle_close(cycle=cycle, by=admin_user)
    snapshot = ActionSnapshot.objects.get(cycle=cycle, action=proposed)
    assert snapshot.proposal.kind == "completion_proposed" and snapshot.proposal.author.username == "police.lead"
    # Confirmed after the close: the closed cycle's pack still shows the proposal as it stood.
    with time_machine.travel(CONFIRMED_AT, tick=False):
        action_completion_confirm(action=Action.objects.get(pk=proposed.pk), by=cps_lead, expected_version=2)
    with time_machine.travel(LATER, tick=False):
        body = page(client, board_member, "reviews:board_pack", f"?cycle={cycle.pk}")
    assert figures(body)["pack-completion_proposed"] == "1"
    assert re.findall(r'data-proposed="([^"]+)"', body) == ["2.1"]
    assert "Paula Police (police)" in body.split('data-proposed="2.1"')[1].split("</tr>")[0]


def test_the_export_says_which_completions_await_confirmation(client, board_member, proposed):
    import csv
    import io

    client.force_login(board_member)
    with time_machine.travel(datetime(2022, 3, 5, 12, 0, tzinfo=LONDON), tick=False):
        response = client.get(reverse("reviews:export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    awaiting = {row["Reference"]: row["Completion awaiting confirmation"] for row in rows}
    assert awaiting["2.1"] == "Proposed by Paula Police (police) on 1 March 2022: awaiting the CPS lead"
    assert all(text == "" for reference, text in awaiting.items() if reference != "2.1")


def test_the_listed_proposals_read_no_column_later_one_action_at_a_time(client, board_member, proposed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(board_member)
    with time_machine.travel(datetime(2022, 3, 5, 12, 0, tzinfo=LONDON), tick=False):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(reverse("reviews:dashboard")).content.decode()
    assert 'data-proposed="2.1"' in body
    sql = [query["sql"] for query in captured.captured_queries]
    # The list reads only the columns it shows, with its leads and proposer: none is left to read later.
    assert not [
        statement
        for statement in sql
        if statement.startswith('SELECT "actions_action"."id", "actions_action"."plan_id" FROM')
    ]
