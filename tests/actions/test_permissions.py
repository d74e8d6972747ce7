"""Who may update an action: a matrix of role x organisation x action side, then the named-lead cases."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from actionplan.models import User
from actions.models import Side, Status
from actions.permissions import can_update_action, closed_to
from tests.factories import ActionFactory, CpsAreaFactory, OrganisationFactory, PoliceForceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(police_force, cps_area):
    return {"owning police": police_force, "owning cps": cps_area}


def _organisation(name, owners):
    if name in owners:
        return owners[name]
    if name == "other police":
        return PoliceForceFactory(name="Kent Police")
    if name == "other cps":
        return CpsAreaFactory(name="CPS South East")
    if name == "national body":
        return OrganisationFactory(name="Home Office")
    return None


# Who may update, by role and organisation, for each side. Every action is owned by both the police force and the
# CPS Area, so the side alone decides between them. Anything not listed here is refused.
ALLOWED = {
    ("lead", "owning police"): {Side.POLICE, Side.JOINT},
    ("lead", "owning cps"): {Side.CPS, Side.JOINT},
    ("admin", "owning police"): {Side.POLICE, Side.CPS, Side.JOINT},
    ("admin", "owning cps"): {Side.POLICE, Side.CPS, Side.JOINT},
    ("admin", "other police"): {Side.POLICE, Side.CPS, Side.JOINT},
    ("admin", "other cps"): {Side.POLICE, Side.CPS, Side.JOINT},
    ("admin", "national body"): {Side.POLICE, Side.CPS, Side.JOINT},
    ("admin", "none"): {Side.POLICE, Side.CPS, Side.JOINT},
}


@pytest.mark.parametrize("side", [Side.POLICE, Side.CPS, Side.JOINT])
@pytest.mark.parametrize(
    "organisation", ["owning police", "owning cps", "other police", "other cps", "national body", "none"]
)
@pytest.mark.parametrize("role", ["admin", "lead", "board", "none"])
def test_update_permission_matrix(role, organisation, side, owners, national_plan):
    action = ActionFactory(theme=national_plan.themes.get(number=1), side=side)
    action.lead_organisations.add(*owners.values())
    user = UserFactory(
        username=f"{role}-{organisation}-{side}", role=role, organisation=_organisation(organisation, owners)
    )

    expected = side in ALLOWED.get((role, organisation), set())

    assert can_update_action(user, action) is expected


def test_named_police_lead_may_update_even_when_their_force_does_not_own_it(national_plan):
    lead = UserFactory(role=User.Role.LEAD, organisation=PoliceForceFactory(name="Kent Police"))
    action = ActionFactory(theme=national_plan.themes.get(number=1), side=Side.POLICE, police_lead=lead)
    assert can_update_action(lead, action)


def test_named_lead_without_the_lead_role_cannot_update(national_plan, police_force):
    named = UserFactory(role=User.Role.BOARD, organisation=police_force)
    action = ActionFactory(theme=national_plan.themes.get(number=1), side=Side.POLICE, police_lead=named)
    action.lead_organisations.add(police_force)
    assert not can_update_action(named, action)


def test_cps_lead_cannot_update_police_only_action(cps_lead, police_action):
    assert not can_update_action(cps_lead, police_action)


def test_police_and_cps_leads_may_update_joint_action(police_lead, cps_lead, joint_action):
    assert can_update_action(police_lead, joint_action)
    assert can_update_action(cps_lead, joint_action)


def test_board_member_and_outsider_cannot_update(board_member, outsider, joint_action):
    assert not can_update_action(board_member, joint_action)
    assert not can_update_action(outsider, joint_action)


def test_lead_of_an_owning_organisation_with_no_owners_listed_cannot_update(police_lead, national_plan):
    action = ActionFactory(theme=national_plan.themes.get(number=1), side=Side.POLICE)
    assert not can_update_action(police_lead, action)


def test_closed_action_can_be_updated_by_admin_only(police_lead, admin_user, police_action):
    police_action.status = Status.CLOSED
    police_action.closure_reason = "withdrawn"
    assert not can_update_action(police_lead, police_action)
    assert can_update_action(admin_user, police_action)


def test_inactive_admin_and_anonymous_cannot_update(admin_user, police_action):
    admin_user.is_active = False
    assert not can_update_action(admin_user, police_action)
    assert not can_update_action(AnonymousUser(), police_action)
    assert not can_update_action(None, police_action)


def test_closed_to_names_only_those_whom_the_closure_alone_stops(
    police_lead, cps_lead, board_member, admin_user, police_action
):
    assert not closed_to(police_lead, police_action)  # open: nothing stops them
    police_action.status = Status.CLOSED
    police_action.closure_reason = "withdrawn"
    assert closed_to(police_lead, police_action)
    assert not closed_to(cps_lead, police_action)  # never could: a police-only action
    assert not closed_to(board_member, police_action)
    assert not closed_to(admin_user, police_action)  # may reopen it
    assert not closed_to(AnonymousUser(), police_action)
