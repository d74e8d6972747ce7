"""The dashboard's body is cached under the data version: reused while nothing changes, never stale."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.services import action_update_status
from reviews.selectors import board_data_version
from tests.reviews.builders import TODAY, build_known_plan, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(national_plan, police_lead, cps_lead, police_force, cps_area):
    # The whole test happens on the day the known data describes.
    with time_machine.travel(TODAY, tick=False):
        yield build_known_plan(
            national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
        )


def dashboard(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_an_unchanged_plan_is_served_from_the_cache(client, board_member, known):
    client.force_login(board_member)
    first, cold = dashboard(client)
    second, warm = dashboard(client)
    assert figures(second) == figures(first)
    assert warm <= 4 < cold  # session, user, data version (and nothing that grows with the plan)


def test_a_status_update_shows_at_once(client, board_member, known, police_lead):
    client.force_login(board_member)
    before = figures(dashboard(client)[0])
    action = known["1.2"]
    # The known data writes history rows directly; bring the action's version level with them.
    action.version = 1 + action.updates.count()
    action.save(update_fields=["version"])
    action_update_status(
        action=action, by=police_lead, status="completed", rag="green", narrative="Delivered.",
        expected_version=action.version,
    )  # fmt: skip
    after = figures(dashboard(client)[0])
    assert int(after["t-completed"]) == int(before["t-completed"]) + 1


def test_a_renamed_lead_shows_at_once(client, board_member, known, police_lead):
    client.force_login(board_member)
    assert "Paula Police" in dashboard(client)[0]
    police_lead.first_name = "Pauline"
    police_lead.save()
    body = dashboard(client)[0]
    assert "Pauline Police" in body
    assert "Paula Police" not in body


def test_the_version_moves_on_every_kind_of_write(known, national_plan, admin_user):
    seen = {board_data_version()}
    theme = national_plan.themes.get(number=3)
    theme.title = "Privacy"
    theme.save()
    seen.add(board_data_version())
    known["1.1"].delete()
    seen.add(board_data_version())
    national_plan.status = "archived"
    national_plan.save()
    seen.add(board_data_version())
    assert len(seen) == 4


def test_a_new_day_recomputes_the_figures(client, board_member, known):
    client.force_login(board_member)
    overdue_today = figures(dashboard(client)[0])["t-overdue"]
    with time_machine.travel(TODAY + timedelta(days=400), tick=False):
        client.force_login(board_member)
        overdue_later = figures(dashboard(client)[0])["t-overdue"]
    assert int(overdue_later) > int(overdue_today)


def board_pack(client, query: str = "") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reviews:board_pack") + query)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_the_board_pack_is_cached_too_and_never_stale(client, board_member, known, police_lead):
    client.force_login(board_member)
    first, cold = board_pack(client)
    second, warm = board_pack(client)
    assert second.split("<main")[1] == first.split("<main")[1]
    assert warm <= 4 < cold
    assert "Delivered now." not in first

    action = known["1.2"]
    action.version = 1 + action.updates.count()
    action.save(update_fields=["version"])
    action_update_status(
        action=action, by=police_lead, status="in_progress", rag="red", narrative="Delivered now.",
        expected_version=action.version,
    )  # fmt: skip
    assert "Delivered now." in board_pack(client)[0]


def test_a_cached_board_pack_keeps_its_error_title(client, board_member, known):
    client.force_login(board_member)
    for _ in range(2):
        body = board_pack(client, "?day=31&month=2&year=2022")[0]
        assert "<title>Error: Board pack" in body
        assert "The date must be a real date" in body
