from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.reviews.builders import figures
from themes.models import ReviewCycle

pytestmark = pytest.mark.django_db


def get_pack(client, user, query: str = ""):
    client.force_login(user)
    return client.get(reverse("reviews:board_pack") + query)


def test_pack_for_a_review_cycle_shows_the_plan_as_it_stood_then(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    response = get_pack(client, board_member, f"?cycle={cycle.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    # Titled with the cycle's board meeting; the figures are those of the day it closed.
    assert '<h1 class="govuk-heading-l">Joint national action plan: board meeting 28 April 2022</h1>' in body
    assert "<title>Board pack: Joint national action plan, board meeting 28 April 2022" in body
    assert "as they stood when review cycle Q4 2021-22 closed on 30 April 2022" in body
    shown = figures(body)
    headline = {
        name: shown[f"pack-t-{name}"]
        for name in ("total", "completed", "in_progress", "not_started", "closed", "overdue", "red", "amber", "green")
    }
    assert headline == {
        "total": "7",
        "completed": "1",
        "in_progress": "3",
        "not_started": "2",
        "closed": "1",
        "overdue": "0",
        "red": "1",
        "amber": "2",
        "green": "2",
    }
    assert (shown["pack-theme-1-in_progress"], shown["pack-theme-1-amber"]) == ("2", "2")
    assert re.findall(r'data-attention="([^"]+)"', body) == ["1.2", "1.3", "2.3"]
    # The latest narrative as at the cycle, not the one written after it.
    section = body.split('data-attention="1.2"')[1].split('data-attention="1.3"')[0]
    assert "Protocol agreed in principle." in section
    assert "Funding withdrawn" not in section
    assert "No narrative recorded by this date." in body.split('data-attention="2.3"')[1]
    # Changes since the previous closed cycle (Q3 2021-22).
    assert "Since review cycle Q3 2021-22" in body
    assert (shown["changed"], shown["newly_completed"], shown["newly_overdue"]) == ("2", "0", "0")
    assert re.findall(r'data-changed="([^"]+)"', body) == ["1.3", "2.2"]


def test_pack_for_today_matches_the_dashboard(client, board_member, known, on_today):
    body = get_pack(client, board_member, "?date=2022-06-15").content.decode()
    shown = figures(body)
    assert (shown["pack-t-completed"], shown["pack-t-red"], shown["pack-t-amber"], shown["pack-t-green"]) == (
        "1",
        "2",
        "1",
        "2",
    )
    assert shown["pack-t-overdue"] == "2"
    assert "-Funding withdrawn; new date needed." in body.split('data-attention="1.2"')[1]
    assert "Since review cycle Q4 2021-22" in body


def test_each_theme_starts_a_new_printed_page(client, board_member, known, on_today):
    body = get_pack(client, board_member).content.decode()
    assert body.count("app-print-break-before") == 5
    assert "style=" not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date=2022-13-01", "The date must be a real date"),
        ("?date=yesterday", "The date must be a real date"),
        ("?date=2022-06-16", "The date must be today or in the past"),
        ("?cycle=999999", "Select a review cycle of this plan"),
        ("?cycle=abc", "Select a review cycle of this plan"),
    ],
)
def test_bad_choices_give_a_clear_message(client, board_member, known, on_today, query, message):
    response = get_pack(client, board_member, query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_cycle_and_a_date_together_are_refused(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    body = get_pack(client, board_member, f"?cycle={cycle.pk}&date=2022-01-01").content.decode()
    assert "Choose a review cycle or a date, not both" in body


def test_a_review_cycle_links_to_its_board_pack(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q4 2021-22")
    client.force_login(board_member)
    body = client.get(cycle.get_absolute_url()).content.decode()
    link = f"{reverse('reviews:board_pack')}?plan=national&amp;cycle={cycle.pk}"
    assert link in body
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_a_future_date_is_refused_not_shown_as_today(client, board_member, known, on_today):
    body = get_pack(client, board_member, "?date=2030-01-01").content.decode()
    assert "The date must be today or in the past" in body
    assert 'class="govuk-error-summary' in body


@pytest.mark.parametrize("written", ["15 May 2022", "15 may 2022", "15-05-2022", "15/5/2022", "2022-05-15"])
def test_a_date_is_taken_as_people_write_it(client, board_member, known, on_today, written):
    body = get_pack(client, board_member, "?date=" + written.replace(" ", "+")).content.decode()
    assert '<h1 class="govuk-heading-l">Joint national action plan: 15 May 2022</h1>' in body
    assert "govuk-error-summary" not in body


def test_review_cycles_are_offered_by_name_and_board_meeting(client, board_member, known, on_today):
    body = get_pack(client, board_member).content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', body)
    assert options == [
        "Q1 2022-23, board meeting 28 June 2022 (open)",
        "Q4 2021-22, board meeting 28 April 2022",
        "Q3 2021-22, board meeting 28 January 2022",
    ]
    assert "(Joint national action plan)" not in body


def test_each_narrative_is_dated_and_leads_end_their_sentence(client, board_member, known, on_today):
    body = get_pack(client, board_member, "?date=2022-06-15").content.decode()
    section = body.split('data-attention="1.2"')[1].split("data-attention=")[0]
    assert re.search(r'data-narrative-date="1.2">([^<]+)<', section).group(1) == "Latest narrative, 10 May 2022:"
    assert " ." not in re.sub(r"<[^>]+>", "", section)


def test_the_date_is_typed_in_the_govuk_date_input(client, board_member, known, on_today):
    body = get_pack(client, board_member, "?day=15&month=5&year=2022").content.decode()
    assert '<h1 class="govuk-heading-l">Joint national action plan: 15 May 2022</h1>' in body
    assert 'class="govuk-date-input"' in body
    for name, value in (("day", "15"), ("month", "5"), ("year", "2022")):
        assert re.search(rf'id="id_{name}" name="{name}" type="text" inputmode="numeric" value="{value}"', body)


def test_a_date_given_whole_fills_the_date_input(client, board_member, known, on_today):
    body = get_pack(client, board_member, "?date=2022-05-15").content.decode()
    assert 'name="day" type="text" inputmode="numeric" value="15"' in body
    assert 'name="year" type="text" inputmode="numeric" value="2022"' in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?day=15&month=5", "Enter the day, month and year"),
        ("?day=31&month=2&year=2022", "The date must be a real date"),
        ("?day=1&month=1&year=22", "The date must be a real date"),
        ("?day=" + "9" * 5000 + "&month=1&year=2022", "The date must be a real date"),
        ("?day=1&month=1&year=2030", "The date must be today or in the past"),
    ],
)
def test_a_date_input_mistake_is_named_and_linked(client, board_member, known, on_today, query, message):
    response = get_pack(client, board_member, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<li><a href="#id_day">{message}</a></li>' in body
    assert "govuk-input--error" in body
    assert '<h1 class="govuk-heading-l">Joint national action plan: 15 June 2022</h1>' in body


def test_a_planned_cycle_says_there_is_nothing_to_show_yet(client, board_member, known, on_today, national_plan):
    from datetime import date

    from tests.factories import ReviewCycleFactory

    planned = ReviewCycleFactory(
        plan=national_plan,
        name="Q2 2022-23",
        opens_on=date(2022, 9, 1),
        updates_due_on=date(2022, 9, 21),
        board_meeting_on=date(2022, 9, 28),
        state=ReviewCycle.State.PLANNED,
    )
    response = get_pack(client, board_member, f"?cycle={planned.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Joint national action plan: board meeting 28 September 2022</h1>' in body
    assert (
        "Review cycle Q2 2022-23 opens for updates on 1 September 2022 and its board meeting is on "
        "28 September 2022, so there is nothing to show yet." in body
    )
    # Not today's figures under the planned cycle's name.
    assert figures(body) == {}
    assert "data-attention" not in body
    assert "govuk-error-summary" not in body


def test_an_open_cycle_shows_the_figures_as_they_stand_today(client, board_member, known, on_today):
    cycle = ReviewCycle.objects.get(name="Q1 2022-23")
    body = get_pack(client, board_member, f"?cycle={cycle.pk}").content.decode()
    assert '<h1 class="govuk-heading-l">Joint national action plan: board meeting 28 June 2022</h1>' in body
    assert "Review cycle Q1 2022-23 is not closed yet: status and delivery confidence as they stand today" in body
    assert figures(body)["pack-t-overdue"] == "2"
