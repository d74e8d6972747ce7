"""The action page of a national action at national scale: 43 local actions mirroring it and 20 status updates
by people of different organisations, in the same number of queries as with one of each."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Side
from tests.factories import (
    ActionFactory,
    CpsAreaFactory,
    LocalPlanFactory,
    PoliceForceFactory,
    PoliceLeadFactory,
    ReviewCycleFactory,
    StatusUpdateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def mirror(action, n: int):
    local = LocalPlanFactory(
        mirrors=action.plan,
        slug=f"local-{n}",
        police_force=PoliceForceFactory(name=f"Force {n}"),
        cps_area=CpsAreaFactory(name=f"CPS Area {n}"),
    )
    theme = ThemeFactory(plan=local, number=action.theme.number, mirrors=action.theme)
    return ActionFactory(theme=theme, reference=action.reference, side=Side.POLICE, mirrors=action)


def update(action, n: int, cycle):
    author = PoliceLeadFactory(username=f"author{n}")
    return StatusUpdateFactory(action=action, author=author, version=n + 1, review_cycle=cycle)


def page_queries(client, action) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_national_action_with_43_mirrors_and_20_updates_takes_as_many_queries_as_with_one_of_each(
    client, board_member, police_action, police_lead
):
    cycle = ReviewCycleFactory(plan=police_action.plan, name="Q1")
    mirror(police_action, 1)
    update(police_action, 1, cycle)
    client.force_login(board_member)
    few, _ = page_queries(client, police_action)

    for n in range(2, 44):
        mirror(police_action, n)
    for n in range(2, 21):
        update(police_action, n, cycle)
    for n in range(3):
        police_action.title = f"Reworded {n}"
        police_action.save()
    many, body = page_queries(client, police_action)

    assert many == few
    assert body.count("moj-timeline__item") == 20
    assert body.count('data-label="Local plan"') == 43
    # Session, person (with organisation), the action, its organisations, the timeline, the mirrors, the history
    # of content edits and their organisations, and the inspection recommendations the action answers.
    assert many <= 11, many


def test_the_action_pages_wide_tables_become_cards_on_a_narrow_screen(client, board_member, police_action):
    mirror(police_action, 1)
    client.force_login(board_member)
    body = client.get(police_action.get_absolute_url()).content.decode()
    for caption in ("Local actions mirroring action", "Changes to action"):
        table = body.split(caption)[0].rsplit("<table", 1)[1]
        assert 'class="govuk-table app-stack-table"' in table
