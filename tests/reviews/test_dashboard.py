from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
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


def get_theme(client, user, number: int, query: str = ""):
    client.force_login(user)
    return client.get(reverse("reviews:theme_dashboard", kwargs={"number": number}) + query)


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
        "due_in_30_days": "1",
        "red": "1",
        "amber": "1",
        "green": "1",
        "complete": "25%",
    }
    theme2 = {
        "total": "3",
        "completed": "0",
        "in_progress": "1",
        "not_started": "1",
        "closed": "1",
        "overdue": "1",
        "due_in_30_days": "1",
        "red": "1",
        "amber": "0",
        "green": "1",
        "complete": "0%",
    }
    assert {k: shown[f"theme-1-{k}"] for k in theme1} == theme1
    assert {k: shown[f"theme-2-{k}"] for k in theme2} == theme2
    for number in (3, 4, 5):
        assert shown[f"theme-{number}-total"] == "0"


def test_red_and_overdue_actions_are_listed_with_their_leads_on_their_themes_pages(
    client, board_member, known, on_today
):
    listed = {
        number: re.findall(r'data-attention="([^"]+)"', get_theme(client, board_member, number).content.decode())
        for number in (1, 2, 3)
    }
    assert listed == {1: ["1.2", "1.3"], 2: ["2.3"], 3: []}
    body = get_theme(client, board_member, 1).content.decode()
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


def test_local_plans_rolled_up(client, board_member, known, on_today):
    shown = figures(get_dashboard(client, board_member).content.decode())
    assert (shown["local-local-avon-complete"], shown["local-local-kent-complete"]) == ("67%", "33%")
    assert (shown["local-local-kent-red"], shown["local-local-kent-amber"], shown["local-local-kent-green"]) == (
        "1",
        "1",
        "0",
    )
    assert shown["local-local-kent-overdue"] == "0"


def test_local_plans_rolled_up_on_each_themes_page(client, board_member, known, on_today):
    theme1 = figures(get_theme(client, board_member, 1).content.decode())
    assert theme1["local-local-avon-completed:text"] == "2 of 3"
    assert theme1["local-local-kent-completed:text"] == "1 of 3"
    assert (theme1["local-local-kent-red"], theme1["local-local-kent-amber"]) == ("1", "1")
    # A theme in which a local plan has no actions says so.
    theme2 = figures(get_theme(client, board_member, 2).content.decode())
    assert theme2["local-local-avon-completed:text"] == "No actions"


def test_national_actions_delivered_locally_on_their_themes_page(client, board_member, known, on_today):
    shown = figures(get_theme(client, board_member, 1).content.decode())
    assert shown["delivered-1.1:text"] == "Delivered in 1 of 2 local plans"
    assert shown["delivered-1.2:text"] == "Delivered in 2 of 2 local plans"
    assert shown["delivered-1.3:text"] == "Delivered in 0 of 2 local plans"
    assert "delivered-2.1" not in shown


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


def test_a_themes_page_shows_its_bars_figures_and_red_or_overdue_actions(client, board_member, known, on_today):
    response = get_theme(client, board_member, 1)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Theme 1: Supporting victims</h1>' in body
    assert (
        'aria-label="Status of theme Supporting victims: 1 completed, 2 in progress, 1 not started, 0 closed"' in body
    )
    assert (
        'aria-label="Delivery confidence of open actions in theme Supporting victims: 1 green, 1 amber, 1 red"' in body
    )
    shown = figures(body)
    assert (shown["t-total"], shown["t-completed"], shown["t-overdue"], shown["t-percent"]) == ("4", "1", "1", "25%")
    assert re.findall(r'data-attention="([^"]+)"', body) == ["1.2", "1.3"]
    assert "style=" not in body


def test_a_themes_page_applies_the_dashboards_filters(client, board_member, known, on_today):
    body = get_theme(client, board_member, 1, "?rag=red&theme=2").content.decode()
    # The theme is the one the address names; the other filters apply.
    assert figures(body)["t-total"] == "1"
    assert re.findall(r'data-attention="([^"]+)"', body) == ["1.2"]
    assert 'class="moj-filter__tag" href="/reviews/dashboard/themes/1/"' in body
    assert "/reviews/dashboard/actions.csv?rag=red&amp;theme=1" in body
    assert 'id="id_theme"' not in body


def test_a_themes_page_names_an_invalid_filter(client, board_member, known, on_today):
    response = get_theme(client, board_member, 2, "?rag=purple")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem with the filters" in body
    assert "<title>Error:" in body
    assert figures(body)["t-total"] == "3"


@pytest.mark.parametrize("number", [9, 0])
def test_a_theme_the_plan_does_not_have_is_not_found(client, board_member, known, on_today, number):
    assert get_theme(client, board_member, number).status_code == 404


def test_the_dashboard_links_each_theme_to_its_page_with_the_filters(client, board_member, known, on_today):
    body = get_dashboard(client, board_member, "?rag=red&theme=1").content.decode()
    assert re.findall(r'href="(/reviews/dashboard/themes/\d+/[^"]*)"', body) == ["/reviews/dashboard/themes/1/?rag=red"]
    body = get_dashboard(client, board_member).content.decode()
    assert re.findall(r'href="(/reviews/dashboard/themes/\d+/[^"]*)"', body) == [
        f"/reviews/dashboard/themes/{number}/" for number in range(1, 6)
    ]


def test_figures_come_first_and_a_contents_list_reaches_each_section(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    contents = body.split('id="contents-heading"')[1].split("</nav>")[0]
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert targets == [
        "headline-heading",
        "proposed-heading",
        "themes-heading",
        "change-heading",
        "trend-heading",
        "local-heading",
        "filters-heading",
        "downloads-heading",
    ]
    positions = [body.index(f'id="{target}"') for target in targets]
    assert positions == sorted(positions)
    assert body.index('id="contents-heading"') < positions[0]
    # The figures come before the filter form.
    assert body.index('data-figure="total"') < body.index('<form method="get"')


def test_wide_tables_become_cards_on_a_narrow_screen(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode() + get_theme(client, board_member, 1).content.decode()
    tables = re.findall(r"<table.*?</table>", body, flags=re.S)
    wide = [table for table in tables if len(re.findall(r'<th scope="col"', table.split("</thead>")[0])) > 4]
    assert len(wide) >= 5
    for table in wide:
        opening = table.split(">")[0]
        assert "app-stack-table" in opening, table[:200]
        if "app-local-plans-table" in opening:
            continue  # its cells are named by the stylesheet: see the next test
        # Every cell names its column, for the card each row becomes.
        for cell in re.findall(r"<td[^>]*>", table):
            assert "data-label=" in cell or "colspan" in cell, cell


def test_the_stylesheet_names_the_local_plans_cells_as_their_headers_do(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    table = re.search(r'<table class="[^"]*app-local-plans-table.*?</table>', body, flags=re.S).group(0)
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
    stylesheet = (Path(settings.BASE_DIR) / "static" / "src" / "main.scss").read_text()
    named = re.search(r"\$app-local-plans-columns: ([^;]+);", stylesheet).group(1)
    assert re.findall(r'"([^"]+)"', named) == headers[1:]  # the first column is each row's own header
    for row in re.findall(r'<tr data-row="local-.*?</tr>', table, flags=re.S):
        assert len(re.findall(r"<td[ >]", row)) == len(headers) - 1


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
    assert re.findall(r'data-row="theme-(\d)"', body) == ["2"]
    shown = figures(body)
    assert "theme-2-total" in shown
    assert "theme-1-total" not in shown
    # The local plans count only their actions under the chosen national theme (none here).
    assert shown["local-local-kent-complete"] == "0%"
    assert shown["local-local-kent-red"] == "0"


def test_the_plan_filter_lists_each_plan_once(client, board_member, known, on_today):
    body = get_dashboard(client, board_member).content.decode()
    select = body.split('id="id_plan"')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]+)</option>', select)
    assert [value for value, _, _ in options] == ["national", "local-avon", "local-kent"]
    assert [value for value, selected, _ in options if selected] == ["national"]
    assert "National plan in force" not in body
    chosen = get_dashboard(client, board_member, "?plan=local-kent").content.decode()
    select = chosen.split('id="id_plan"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)" selected>', select) == ["local-kent"]


def test_the_organisation_and_lead_filters_offer_only_those_of_the_plan(
    client, board_member, known, on_today, police_force, cps_area
):
    from tests.factories import OrganisationFactory, PoliceLeadFactory

    OrganisationFactory(name="Ministry of Justice")
    PoliceLeadFactory(username="idle.lead", first_name="Ida", last_name="Idle")
    body = get_dashboard(client, board_member).content.decode()
    organisations = body.split('id="id_organisation"')[1].split("</select>")[0]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', organisations) == [
        "CPS South West",
        "Avon and Somerset Constabulary",
    ]
    leads = body.split('id="id_lead"')[1].split("</select>")[0]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', leads) == ["Carl Crown", "Paula Police"]
    # A local plan's own organisations lead nothing in the national plan.
    assert "Kent Police" not in organisations
