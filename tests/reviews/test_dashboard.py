from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.reviews.builders import TODAY, build_known_plan, build_local_plans, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(national_plan, police_lead, cps_lead, police_force, cps_area):
    actions = build_known_plan(
        national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
    )
    build_local_plans(national_plan, actions)
    return actions


def get_dashboard(client, user, query: str = ""):
    client.force_login(user)
    return client.get(reverse("reviews:dashboard") + query)


def test_headline_figures_of_the_national_plan(client, board_member, known, on_today):
    response = get_dashboard(client, board_member)
    assert response.status_code == 200
    shown = figures(response.content.decode())
    expected = {
        "total": "7",
        "percent": "17%",
        "overdue": "2",
        "due_soon": "2",
        "red": "2",
        "t-total": "7",
        "t-completed": "1",
        "t-in_progress": "3",
        "t-not_started": "2",
        "t-closed": "1",
        "t-overdue": "2",
        "t-due_soon": "2",
        "t-red": "2",
        "t-amber": "1",
        "t-green": "2",
        "t-percent": "17%",
    }
    assert {name: shown[name] for name in expected} == expected


def test_figures_by_theme(client, board_member, known, on_today):
    shown = figures(get_dashboard(client, board_member).content.decode())
    theme1 = {
        "total": "4",
        "completed": "1",
        "in_progress": "2",
        "not_started": "1",
        "closed": "0",
        "overdue": "1",
        "due_soon": "1",
        "red": "1",
        "amber": "1",
        "green": "1",
        "percent": "25%",
    }
    theme2 = {
        "total": "3",
        "completed": "0",
        "in_progress": "1",
        "not_started": "1",
        "closed": "1",
        "overdue": "1",
        "due_soon": "1",
        "red": "1",
        "amber": "0",
        "green": "1",
        "percent": "0%",
    }
    assert {k: shown[f"theme-1-{k}"] for k in theme1} == theme1
    assert {k: shown[f"theme-2-{k}"] for k in theme2} == theme2
    for number in (3, 4, 5):
        assert shown[f"theme-{number}-total"] == "0"


def test_red_and_overdue_actions_are_listed_with_their_leads(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    assert re.findall(r'data-attention="([^"]+)"', body) == ["1.2", "1.3", "2.3"]
    row = body.split('data-attention="1.2"')[1].split("</tr>")[0]
    assert "Paula Police" in row
    assert "Overdue by 45 days" in row


def test_bars_have_a_text_equivalent_and_width_classes(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    assert 'role="img" aria-label="Status of all actions: 1 completed, 3 in progress, 2 not started, 1 closed"' in body
    # 1, 3, 2 and 1 of 7 actions: 14 + 43 + 29 + 14 = 100 percent.
    bar = body.split('aria-label="Status of all actions:')[1].split("</div>")[0]
    assert re.findall(r"app-bar__segment--w(\d+)", bar) == ["14", "43", "29", "14"]
    assert "style=" not in body


def test_change_since_the_last_closed_cycle(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    shown = figures(body)
    assert "Since review cycle Q4 2021-22" in body
    assert (shown["changed"], shown["newly_completed"], shown["newly_overdue"]) == ("1", "0", "2")
    assert re.findall(r'data-changed="([^"]+)"', body) == ["1.2"]
    assert re.findall(r'data-newly-overdue="([^"]+)"', body) == ["1.2", "2.3"]


def test_trend_across_review_cycles_from_the_history(client, board_member, known, on_today):
    shown = figures(get_dashboard(client, board_member).content.decode())
    trend = {
        point: tuple(
            shown[f"trend-{point}-{name}"] for name in ("completed", "percent", "red", "amber", "green", "overdue")
        )
        for point in (1, 2, 3)
    }
    assert trend == {
        1: ("1", "17%", "1", "1", "3", "0"),  # Q3 2021-22, 31 January 2022
        2: ("1", "17%", "1", "2", "2", "0"),  # Q4 2021-22, 30 April 2022
        3: ("1", "17%", "2", "1", "2", "2"),  # now
    }


def test_local_plans_rolled_up_by_theme(client, board_member, known, on_today):
    shown = figures(get_dashboard(client, board_member).content.decode())
    assert shown["local-local-avon-1:text"] == "2 of 3"
    # Completion, then the red and amber actions as tags; a theme with no local actions says so.
    assert shown["local-local-kent-1:text"] == "1 of 3 1 red 1 amber"
    assert shown["local-local-avon-2:text"] == "No actions"
    assert (shown["local-local-avon-percent"], shown["local-local-kent-percent"]) == ("67%", "33%")
    assert (shown["local-local-kent-red"], shown["local-local-kent-amber"], shown["local-local-kent-green"]) == (
        "1",
        "1",
        "0",
    )
    assert shown["delivered-1.1:text"] == "Delivered in 1 of 2 local plans"
    assert shown["delivered-1.2:text"] == "Delivered in 2 of 2 local plans"
    assert shown["delivered-1.3:text"] == "Delivered in 0 of 2 local plans"


def test_figures_follow_the_database_on_each_request(client, board_member, known, on_today):
    assert figures(get_dashboard(client, board_member).content.decode())["t-completed"] == "1"
    known["1.3"].status, known["1.3"].completed_on = "completed", TODAY.date()
    known["1.3"].save()
    shown = figures(get_dashboard(client, board_member).content.decode())
    assert (shown["t-completed"], shown["t-in_progress"], shown["t-percent"]) == ("2", "2", "33%")


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("?theme=1", "4"),
        ("?theme=2", "3"),
        ("?side=police", "2"),
        ("?status=in_progress&status=not_started", "5"),
        ("?rag=red", "2"),
        ("?rag=red&rag=amber", "3"),
        ("?overdue=yes", "2"),
        ("?overdue=no", "5"),
        ("?theme=1&rag=red", "1"),
    ],
)
def test_filters_narrow_every_figure(client, board_member, known, on_today, query, total):
    response = get_dashboard(client, board_member, query)
    assert response.status_code == 200
    assert figures(response.content.decode())["t-total"] == total


def test_filter_by_lead_and_by_organisation(client, board_member, known, on_today, police_lead, cps_area):
    assert figures(get_dashboard(client, board_member, f"?lead={police_lead.pk}").content.decode())["t-total"] == "3"
    shown = figures(get_dashboard(client, board_member, f"?organisation={cps_area.pk}").content.decode())
    assert shown["t-total"] == "2"


def test_selected_filters_are_removable_tags(client, board_member, known, on_today):
    body = get_dashboard(client, board_member, "?theme=1&rag=red").content.decode()
    assert 'class="moj-filter__tag" href="/reviews/dashboard/?rag=red"' in body
    assert 'class="moj-filter__tag" href="/reviews/dashboard/?theme=1"' in body
    assert "/reviews/dashboard/actions.csv?theme=1&amp;rag=red" in body


@pytest.mark.parametrize(
    "query",
    [
        "?theme=99",
        "?theme=abc",
        "?plan=no-such-plan",
        "?lead=abc",
        "?organisation=999999",
        "?rag=purple",
        "?status=done",
        "?overdue=maybe",
        "?side=army",
    ],
)
def test_invalid_filter_values_give_a_clear_message(client, board_member, known, on_today, query):
    response = get_dashboard(client, board_member, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem with the filters" in body
    assert "<title>Error:" in body
    assert figures(body)["t-total"] == "7"


def test_a_local_plan_can_be_chosen(client, board_member, known, on_today):
    shown = figures(get_dashboard(client, board_member, "?plan=local-kent").content.decode())
    assert (shown["t-total"], shown["t-completed"], shown["t-red"]) == ("3", "1", "1")


def test_no_plan_published(client, board_member):
    response = get_dashboard(client, board_member)
    assert response.status_code == 200
    assert "No plan has been published yet" in response.content.decode()


def test_each_theme_shows_its_titled_bars_then_its_own_red_or_overdue_actions(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    theme1 = body.split('<h3 class="govuk-heading-s">Theme 1:')[1].split('<h3 class="govuk-heading-s">Theme 2:')[0]
    theme2 = body.split('<h3 class="govuk-heading-s">Theme 2:')[1].split('id="change-heading"')[0]
    # Each bar is titled on screen (the text label stays on the bar for screen readers).
    assert re.findall(r"govuk-!-margin-bottom-1\" aria-hidden=\"true\">([^<]+)</p>", theme1) == [
        "Status",
        "Delivery confidence of open actions",
    ]
    assert re.findall(r'data-attention="([^"]+)"', theme1) == ["1.2", "1.3"]
    assert re.findall(r'data-attention="([^"]+)"', theme2) == ["2.3"]


def test_wide_tables_scroll_in_a_focusable_region_instead_of_being_cut_off(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    tables = re.findall(r"<table.*?</table>", body, flags=re.S)
    wide = [table for table in tables if len(re.findall(r'<th scope="col"', table.split("</thead>")[0])) > 4]
    captions = [" ".join(re.search(r"<caption[^>]*>([^<]+)</caption>", table).group(1).split()) for table in wide]
    assert captions == [
        "Theme 1: red, amber or overdue actions",
        "Theme 2: red, amber or overdue actions",
        "Completion and delivery confidence at the close of each review cycle",
        "Actions by status, delivery confidence and deadline in each theme",
        "Local plans by theme, with their own additions and the actions not applicable locally apart",
    ]
    # Every table with more than four columns sits in a named, focusable scroll region.
    for table in wide:
        opening = body[: body.index(table)].rsplit("<div", 1)[1]
        assert 'class="app-table-scroll" role="region"' in opening and 'tabindex="0"' in opening, table[:200]
    # The table of every theme's figures is at full width, after the filter layout.
    assert body.index('id="theme-figures-heading"') > body.index('id="trend-heading"')


def test_percentage_complete_says_what_it_counts(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    assert "complete (1 of 6 actions; closed ones not counted)" in body


def test_each_trend_point_states_its_completion_beside_its_bar(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    lines = dict(re.findall(r'data-trend-complete="(\d+)">([^<]+)</p>', body))
    assert lines == {
        "1": "17% complete (1 of 6 actions); delivery confidence of open actions:",
        "2": "17% complete (1 of 6 actions); delivery confidence of open actions:",
        "3": "17% complete (1 of 6 actions); delivery confidence of open actions:",
    }


def test_a_theme_filter_shows_only_that_theme(client, board_member, known, on_today):
    body = get_dashboard(client, board_member, "?theme=2").content.decode()
    assert re.findall(r'<h3 class="govuk-heading-s">Theme (\d):', body) == ["2"]
    shown = figures(body)
    assert "theme-2-total" in shown
    assert "theme-1-total" not in shown
    # The local plans table has a column for the chosen theme only.
    local = body.split('id="local-heading"')[1]
    assert re.findall(r">Theme (\d)</th>", local) == ["2"]
