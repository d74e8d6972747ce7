"""Plan revisions and local plans meet review cycles: a closed cycle keeps what its snapshot froze whatever a
revision or "not applicable locally" does later, and an open cycle counts only the actions still in the plan."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from actions.local_plans import local_action_set_not_applicable, local_plan_create
from actions.models import Status
from notifications.owed import open_actions_without_update
from reviews.cycles import cycle_progress
from reviews.models import ActionSnapshot, RevisionDecision
from reviews.revisions import revision_decide, revision_publish
from reviews.selectors import actions_at_close, figures_from_states
from reviews.services import review_cycle_close
from tests.factories import ActionFactory, ReviewCycleFactory
from tests.reviews.test_revisions import (  # noqa: F401
    decide_everything,
    draft,
    in_spring_2022,
    new_action,
    plan_actions,
    proposal_from,
)
from themes.models import ReviewCycle

pytestmark = pytest.mark.django_db
Fate = RevisionDecision.Fate


def closed_cycle(plan, admin_user) -> ReviewCycle:
    """The plan's last quarter, closed after its board meeting: its snapshot is taken now."""
    cycle = ReviewCycleFactory(
        plan=plan,
        name="Q4 2021-22",
        opens_on=date(2022, 1, 10),
        updates_due_on=date(2022, 1, 31),
        board_meeting_on=date(2022, 2, 14),
        state=ReviewCycle.State.OPEN,
    )
    return review_cycle_close(cycle=cycle, by=admin_user)


def open_cycle(plan) -> ReviewCycle:
    """The plan's cycle taking updates today (20 April 2022)."""
    return ReviewCycleFactory(
        plan=plan,
        name="Q1 2022-23",
        opens_on=date(2022, 4, 11),
        updates_due_on=date(2022, 5, 6),
        board_meeting_on=date(2022, 5, 20),
        state=ReviewCycle.State.OPEN,
    )


def frozen(cycle) -> list[dict]:
    return list(ActionSnapshot.objects.filter(cycle=cycle).order_by("pk").values())


def progress_rows(cycle, plan) -> list[tuple]:
    progress = cycle_progress(cycle=cycle, actions=plan.actions.all())
    return [(row.reference, row.title, row.updated) for row in progress.rows]


def pack_figures(cycle, plan):
    return figures_from_states(
        rows=list(actions_at_close(actions=plan.actions.all(), cycle=cycle)), day=date(2022, 2, 14)
    )


# -- A closed cycle keeps its snapshot ----------------------------------------------------------------------------


def test_a_revision_leaves_a_closed_cycle_as_its_snapshot_froze_it(
    client,
    board_member,
    draft,  # noqa: F811
    admin_user,
    plan_actions,  # noqa: F811
    national_plan,
):
    withdrawn = ActionFactory(theme=national_plan.themes.get(number=3), reference="3.1", title="Stays until withdrawn")
    cycle = closed_cycle(national_plan, admin_user)
    snapshots, rows, figures = frozen(cycle), progress_rows(cycle, national_plan), pack_figures(cycle, national_plan)
    assert ("1.1", "Police-only action", False) in rows and ("2.2", "Agree file quality standards", False) in rows

    decide_everything(draft, admin_user, plan_actions, national_plan)  # 1.1 changed, 2.2 merged, 2.3 superseded
    revision_decide(revision=draft, action=withdrawn, by=admin_user, fate=Fate.WITHDRAWN, reason="Done elsewhere")
    revision_publish(revision=draft, by=admin_user)

    assert national_plan.actions.get(reference="1.1").title == "Police-only action, refreshed"
    assert set(national_plan.actions.filter(status=Status.CLOSED).values_list("reference", flat=True)) >= {
        "2.2",
        "2.3",
        "3.1",
    }
    # Not a row of the snapshot changed, none was added (2.6 came later), and every reading of the cycle agrees.
    assert frozen(cycle) == snapshots
    assert progress_rows(cycle, national_plan) == rows
    assert pack_figures(cycle, national_plan) == figures
    client.force_login(board_member)
    page = client.get(reverse("reviews:detail", kwargs={"pk": cycle.pk})).content.decode()
    assert "Police-only action, refreshed" not in page


# -- An open cycle counts the actions still in the plan -----------------------------------------------------------


def test_an_open_cycle_counts_only_the_actions_still_in_the_plan(
    draft,  # noqa: F811
    admin_user,
    plan_actions,  # noqa: F811
    national_plan,
):
    cycle = open_cycle(national_plan)
    before = {row[0] for row in progress_rows(cycle, national_plan)}
    assert before == {"1.1", "2.1", "2.2", "2.3"}

    decide_everything(draft, admin_user, plan_actions, national_plan)
    revision_publish(revision=draft, by=admin_user)

    progress = cycle_progress(cycle=cycle, actions=national_plan.actions.all())
    # Merged (2.2) and superseded (2.3) are closed: gone from the cycle. The new action (2.6) is in it, and owes an
    # update; 1.1's new target date was a status update in the cycle.
    assert {row.reference: row.updated for row in progress.rows} == {"1.1": True, "2.1": False, "2.6": False}
    assert (progress.overall.total, progress.overall.updated) == (3, 1)
    missing = open_actions_without_update(cycles=[cycle])[cycle.pk]
    assert {action.reference for action in missing} == {"2.1", "2.6"}


# -- "Not applicable locally" and review cycles -------------------------------------------------------------------


@pytest.fixture
def local(national_plan, police_action, joint_action, police_force, cps_area, admin_user):
    return local_plan_create(national=national_plan, police_force=police_force, cps_area=cps_area, by=admin_user)


def test_not_applicable_later_leaves_a_closed_cycle_as_it_was(local, admin_user):
    cycle = closed_cycle(local, admin_user)
    rows, figures = progress_rows(cycle, local), pack_figures(cycle, local)
    assert {row[0] for row in rows} == {"1.1", "2.1"}

    copy = local.actions.get(reference="1.1")
    local_action_set_not_applicable(action=copy, by=admin_user, not_applicable=True, reason="Done regionally")

    assert progress_rows(cycle, local) == rows
    assert pack_figures(cycle, local) == figures
    assert not ActionSnapshot.objects.filter(cycle=cycle, not_applicable=True).exists()


def test_a_copy_not_applicable_when_the_cycle_closes_is_left_out_of_it(local, admin_user):
    copy = local.actions.get(reference="1.1")
    local_action_set_not_applicable(action=copy, by=admin_user, not_applicable=True, reason="Done regionally")
    cycle = closed_cycle(local, admin_user)
    assert ActionSnapshot.objects.get(cycle=cycle, action=copy).not_applicable
    assert {row[0] for row in progress_rows(cycle, local)} == {"2.1"}
    assert pack_figures(cycle, local).total == 1
    # Applying again later does not bring it back into the closed cycle.
    local_action_set_not_applicable(action=copy, by=admin_user, not_applicable=False)
    assert {row[0] for row in progress_rows(cycle, local)} == {"2.1"}


def test_an_open_cycle_neither_counts_nor_chases_a_copy_not_applicable(local, admin_user):
    cycle = open_cycle(local)
    copy = local.actions.get(reference="1.1")
    local_action_set_not_applicable(action=copy, by=admin_user, not_applicable=True, reason="Done regionally")
    assert {row[0] for row in progress_rows(cycle, local)} == {"2.1"}
    assert {action.reference for action in open_actions_without_update(cycles=[cycle])[cycle.pk]} == {"2.1"}
