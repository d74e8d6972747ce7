"""The number of queries of the board's pages does not grow with the number of actions or local plans."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reviews.builders import TODAY, build_known_plan, bulk_local_plans
from themes.models import ReviewCycle

pytestmark = pytest.mark.django_db

# Session and user, the plan, the filter choices, the figures, themes, red and overdue actions, change, trend,
# Session and user, the plan, the filter choices, the figures, themes, red and overdue actions, change, trend,
# inspection recommendations, local roll-up and delivery, the data version that keys the cached body, and whether
# the last closed cycle has a snapshot and the snapshots of the trend's cycles: a fixed number whatever the size.
MAX_QUERIES = 28


def count_queries(client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_same_query_count_at_3_and_at_43_local_plans(
    client, board_member, national_plan, police_lead, cps_lead, police_force, cps_area
):
    with time_machine.travel(TODAY, tick=False):
        build_known_plan(
            national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
        )
        cycle = ReviewCycle.objects.get(name="Q4 2021-22")
        urls = [
            reverse("reviews:dashboard"),
            reverse("reviews:dashboard") + "?theme=1&rag=red&rag=amber&overdue=no",
            reverse("reviews:theme_dashboard", kwargs={"number": 1}),
            reverse("reviews:theme_dashboard", kwargs={"number": 2}) + "?rag=red&overdue=yes",
            reverse("reviews:board_pack"),
            reverse("reviews:board_pack") + f"?cycle={cycle.pk}",
            reverse("reviews:export", kwargs={"fmt": "csv"}),
            reverse("reviews:export", kwargs={"fmt": "xlsx"}),
        ]
        client.force_login(board_member)
        bulk_local_plans(national_plan, 3)
        at_3 = count_queries(client, urls)
        bulk_local_plans(national_plan, 40, start=3)
        at_43 = count_queries(client, urls)

    assert national_plan.local_plans.count() == 43
    assert at_43 == at_3
    assert max(at_43.values()) <= MAX_QUERIES, at_43


def test_dashboard_query_bound(
    client, board_member, national_plan, police_lead, cps_lead, police_force, cps_area, django_assert_max_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        build_known_plan(
            national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
        )
        bulk_local_plans(national_plan, 43)
        client.force_login(board_member)
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(reverse("reviews:dashboard")).status_code == 200


def test_dashboard_html_stays_light_at_43_local_plans(
    client, board_member, national_plan, police_lead, cps_lead, police_force, cps_area
):
    """The page a board member opens first stays under 60 KB with 43 local plans: the figures of each local plan,
    the filter with every plan, and no theme's detail (each on its own page)."""
    with time_machine.travel(TODAY, tick=False):
        build_known_plan(
            national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
        )
        bulk_local_plans(national_plan, 43)
        client.force_login(board_member)
        response = client.get(reverse("reviews:dashboard"))
    assert response.content.count(b'data-row="local-') == 43
    assert len(response.content) < 60_000, len(response.content)


# Session, person, data version, the plan with its themes, review cycles, the snapshots of the closed ones shown,
# the actions with their status history, the local plans (their names, and their figures by kind of action), the
# choices of the plan, organisation and lead filters (one query for the three), and the national plan's inspection
# recommendations.
DASHBOARD_QUERIES = 11


def test_the_recomputed_dashboard_reads_each_thing_once(
    client,
    board_member,
    national_plan,
    police_lead,
    cps_lead,
    police_force,
    cps_area,
    django_assert_num_queries,
    settings,
):
    # With Redis, sessions live in the cache (the database behind them): the session is not a query.
    session_read = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    with time_machine.travel(TODAY, tick=False):
        build_known_plan(
            national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
        )
        bulk_local_plans(national_plan, 43)
        client.force_login(board_member)
        with django_assert_num_queries(DASHBOARD_QUERIES - (0 if session_read else 1)):
            body = client.get(reverse("reviews:dashboard")).content.decode()
    # The change since the last review lists actions, read with the rest of their history.
    assert 'data-changed="1.2"' in body
