"""The dashboard's body is cached under the data version: reused while nothing changes, never stale."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.data_version import counted_tables, recount_rebuilt_tables, uninstall
from actionplan.models import DataVersion, Organisation
from actions.models import Action
from actions.services import action_update_status
from reviews.selectors import board_data_version, board_tables
from tests.factories import ActionFactory
from tests.reviews.builders import TODAY, build_known_plan, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(national_plan, police_lead, cps_lead, police_force, cps_area):
    # The whole test happens on the day the known data describes.
    with time_machine.travel(TODAY, tick=False):
        yield build_known_plan(
            national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
        )


def served(client, url: str) -> tuple[str, int]:
    """The page at `url` (answered 200) and the number of queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def dashboard(client) -> tuple[str, int]:
    return served(client, reverse("reviews:dashboard"))


def board_pack(client, query: str = "") -> tuple[str, int]:
    return served(client, reverse("reviews:board_pack") + query)


def update_status(action, *, by, **progress) -> None:
    """A status update through the service. The known data writes history rows directly: the action's version is
    brought level with them first."""
    action.version = 1 + action.updates.count()
    action.save(update_fields=["version"])
    action_update_status(action=action, by=by, expected_version=action.version, **progress)


def test_an_unchanged_plan_is_served_from_the_cache(client, board_member, known):
    client.force_login(board_member)
    first, cold = dashboard(client)
    second, warm = dashboard(client)
    assert figures(second) == figures(first)
    assert warm <= 4 < cold  # session, user, data version (and nothing that grows with the plan)


def test_a_status_update_shows_at_once(client, board_member, known, police_lead):
    client.force_login(board_member)
    before = figures(dashboard(client)[0])
    update_status(known["1.2"], by=police_lead, status="completed", rag="green", narrative="Delivered to every force.")
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


def test_a_bulk_update_shows_at_once(client, board_member, known):
    client.force_login(board_member)
    before = figures(dashboard(client)[0])
    # QuerySet.update() writes no history and sends no signal: the database moves the version.
    Action.objects.filter(pk=known["1.4"].pk).update(status="in_progress")
    after = figures(dashboard(client)[0])
    assert int(after["t-in_progress"]) == int(before["t-in_progress"]) + 1
    assert int(after["t-not_started"]) == int(before["t-not_started"]) - 1


def test_a_raw_sql_update_shows_at_once(client, board_member, known):
    client.force_login(board_member)
    before = figures(dashboard(client)[0])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE actions_action SET rag = 'amber' WHERE id = %s", [known["2.2"].pk])
    after = figures(dashboard(client)[0])
    assert int(after["t-amber"]) == int(before["t-amber"]) + 1
    assert int(after["t-green"]) == int(before["t-green"]) - 1


def test_a_read_only_request_leaves_the_version_alone(client, board_member, known):
    client.force_login(board_member)  # signing in writes the person's last sign-in time
    version = board_data_version()
    first, cold = dashboard(client)
    second, warm = dashboard(client)
    assert board_data_version() == version
    assert warm < cold  # the second request was served from the cache


def test_the_version_moves_on_every_kind_of_write(known, national_plan, police_force):
    seen = [board_data_version()]

    def moved() -> bool:
        seen.append(board_data_version())
        return seen[-1] != seen[-2]

    theme = national_plan.themes.get(number=3)
    theme.title = "Privacy"
    theme.save()
    assert moved()
    action = ActionFactory(theme=theme, reference="3.9")
    assert moved()
    action.lead_organisations.add(police_force)
    assert moved()
    action.lead_organisations.clear()
    assert moved()
    action.delete()  # an action without status updates may be deleted
    assert moved()
    national_plan.status = "archived"
    national_plan.save()
    assert moved()
    Organisation.objects.filter(pk=police_force.pk).update(short_name="Avon")
    assert moved()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE themes_reviewcycle SET name = name || ' (moved)'")
    assert moved()
    assert len(set(seen)) == len(seen)


def test_the_version_never_comes_back_after_a_restore(known):
    old = int(board_data_version())
    Action.objects.filter(pk=known["1.4"].pk).update(title="Written after the backup")
    newest = int(board_data_version())
    # Restoring a backup taken earlier puts back the version it held then.
    DataVersion.objects.filter(pk=1).update(value=old)
    time.sleep(0.002)  # SQLite's clock counts milliseconds
    Action.objects.filter(pk=known["1.4"].pk).update(title="Written after the restore")
    assert int(board_data_version()) > newest


def test_every_table_the_board_reads_counts_its_writes(db):
    assert set(board_tables()) <= counted_tables(connection)


@pytest.mark.django_db(transaction=True)
def test_a_table_that_lost_its_triggers_counts_its_writes_again_after_migrate():
    # As when SQLite rebuilds a table to alter a column: the table is new, without the old one's triggers.
    try:
        with connection.schema_editor() as schema_editor:
            uninstall(schema_editor, table="themes_plan")
        assert "themes_plan" not in counted_tables(connection)
    finally:
        recount_rebuilt_tables(using=connection.alias, plan=[("themes", "a migration")])
    assert set(board_tables()) <= counted_tables(connection)


def test_a_new_day_recomputes_the_figures(client, board_member, known):
    client.force_login(board_member)
    overdue_today = figures(dashboard(client)[0])["t-overdue"]
    with time_machine.travel(TODAY + timedelta(days=400), tick=False):
        client.force_login(board_member)
        overdue_later = figures(dashboard(client)[0])["t-overdue"]
    assert int(overdue_later) > int(overdue_today)


def test_the_board_pack_is_cached_too_and_never_stale(client, board_member, known, police_lead):
    client.force_login(board_member)
    first, cold = board_pack(client)
    second, warm = board_pack(client)
    assert second.split("<main")[1] == first.split("<main")[1]
    assert warm <= 4 < cold  # session, user, data version (and nothing that grows with the plan)
    assert "Delivered now, with every force." not in first

    update_status(
        known["1.2"], by=police_lead, status="in_progress", rag="red", narrative="Delivered now, with every force."
    )
    assert "Delivered now, with every force." in board_pack(client)[0]


def test_a_cached_board_pack_keeps_its_title_and_its_error_title(client, board_member, known, national_plan):
    client.force_login(board_member)
    for _ in range(2):
        page = board_pack(client)[0]
        assert f"<title>Board pack: {national_plan.title}, " in page
        page = board_pack(client, "?day=31&month=2&year=2022")[0]
        assert "<title>Error: Board pack" in page
        assert "There is a problem" in page
