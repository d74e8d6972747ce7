"""Joint sign-off in the services: one side proposes completion of a joint action, the other confirms or declines."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from actionplan.models import User
from actions.models import Action, Side, Status, StatusUpdate
from actions.services import (
    StaleVersion,
    action_completion_confirm,
    action_completion_decline,
    action_update_status,
)
from tests.factories import ReviewCycleFactory, UserFactory
from themes.models import Plan

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PROPOSED_AT = datetime(2022, 3, 1, 10, 0, tzinfo=LONDON)
DECIDED_AT = datetime(2022, 3, 4, 15, 30, tzinfo=LONDON)


def propose(action, by, **changes):
    values = {"status": "completed", "rag": action.rag, "narrative": "Delivered for our side.", **changes}
    return action_update_status(action=action, by=by, expected_version=action.version, **values)


def fresh(action) -> Action:
    return Action.objects.select_related("plan").get(pk=action.pk)


@pytest.fixture
def proposed(joint_action, police_lead):
    """The joint action, marked completed by its police lead on 1 March 2022."""
    with time_machine.travel(PROPOSED_AT, tick=False):
        propose(joint_action, police_lead)
    return fresh(joint_action)


@pytest.fixture
def other_cps_lead(cps_area):
    """A lead in the joint action's CPS organisation who is not its named CPS lead: accountable for the CPS side."""
    return UserFactory(
        username="cps.deputy", first_name="Dee", last_name="Deputy", organisation=cps_area, role=User.Role.LEAD
    )


@pytest.fixture
def other_police_lead(police_force):
    return UserFactory(
        username="police.deputy", first_name="Pat", last_name="Deputy", organisation=police_force, role=User.Role.LEAD
    )


# -- Proposal -----------------------------------------------------------------------------------------------------


def test_police_lead_marking_a_joint_action_completed_proposes_it(proposed, police_lead):
    assert proposed.status == Status.IN_PROGRESS
    assert proposed.completed_on is None
    assert proposed.completion_is_proposed
    assert proposed.completion_proposed_by == police_lead
    assert proposed.completion_proposed_at == PROPOSED_AT
    assert (proposed.completion_proposed_side, proposed.completion_awaited_side) == ("police", "cps")
    assert proposed.version == 2
    update = StatusUpdate.objects.get(action=proposed)
    assert (update.kind, update.signoff_side, update.on_behalf) == ("completion_proposed", "police", False)
    assert (update.status_from, update.status_to) == ("in_progress", "in_progress")
    assert update.narrative == "Delivered for our side."
    assert update.signoff_summary == "Completion proposed by the police lead"


def test_cps_lead_proposing_awaits_the_police_lead(joint_action, cps_lead):
    propose(joint_action, cps_lead)
    action = fresh(joint_action)
    assert (action.completion_proposed_side, action.completion_awaited_side) == ("cps", "police")
    assert action.completion_awaited_lead == action.police_lead


def test_a_proposal_needs_a_narrative_like_any_completion(joint_action, police_lead):
    with pytest.raises(ValidationError) as error:
        propose(joint_action, police_lead, narrative="")
    assert error.value.message_dict["narrative"] == ["Explain how the action was completed"]
    assert not fresh(joint_action).completion_is_proposed
    assert not StatusUpdate.objects.exists()


def test_a_not_started_joint_action_proposed_is_in_progress_until_confirmed(joint_action, police_lead):
    Action.objects.filter(pk=joint_action.pk).update(status=Status.NOT_STARTED)
    propose(fresh(joint_action), police_lead)
    action = fresh(joint_action)
    assert action.status == Status.IN_PROGRESS and action.completion_is_proposed
    assert StatusUpdate.objects.get().status_from == Status.NOT_STARTED


def test_a_proposed_action_stays_open_and_counts_as_overdue(proposed):
    assert proposed.is_open
    assert proposed.is_overdue(date(2022, 4, 1))  # the factory's target date is 31 March 2022
    assert Action.objects.open().filter(pk=proposed.pk).exists()
    assert Action.objects.overdue(today=date(2022, 4, 1)).filter(pk=proposed.pk).exists()
    assert list(Action.objects.completion_proposed()) == [proposed]


def test_an_admin_cannot_complete_a_joint_action_without_the_sign_off(joint_action, admin_user):
    with pytest.raises(ValidationError) as error:
        propose(joint_action, admin_user)
    assert "a lead of one side proposes it and a lead of the other side confirms it" in error.value.messages[0]
    action = fresh(joint_action)
    assert action.status == Status.IN_PROGRESS and not action.completion_is_proposed


def test_single_side_actions_complete_as_before(police_action, police_lead):
    with time_machine.travel(PROPOSED_AT, tick=False):
        propose(police_action, police_lead)
    action = fresh(police_action)
    assert action.status == Status.COMPLETED
    assert action.completed_on == date(2022, 3, 1)
    assert not action.completion_is_proposed
    update = StatusUpdate.objects.get()
    assert (update.kind, update.signoff_side, update.status_to) == ("update", "", "completed")


def test_no_other_update_while_a_completion_awaits_confirmation(proposed, police_lead, cps_lead, admin_user):
    for person in (police_lead, cps_lead, admin_user):
        with pytest.raises(ValidationError) as error:
            action_update_status(
                action=fresh(proposed),
                by=person,
                status="in_progress",
                rag="amber",
                narrative="More work was found in the review.",
                expected_version=2,
            )
        assert "awaiting the CPS lead" in error.value.messages[0]
        assert "Paula Police (police) on 1 March 2022" in error.value.messages[0]
    assert fresh(proposed).version == 2
    assert StatusUpdate.objects.count() == 1


# -- Confirmation -------------------------------------------------------------------------------------------------


def test_the_other_sides_named_lead_confirms_and_it_is_completed_that_day(proposed, cps_lead):
    cycle = ReviewCycleFactory(
        plan=proposed.plan,
        opens_on=date(2022, 3, 1),
        updates_due_on=date(2022, 3, 21),
        board_meeting_on=date(2022, 4, 5),
    )
    with time_machine.travel(DECIDED_AT, tick=False):
        update = action_completion_confirm(action=proposed, by=cps_lead, expected_version=2)
    action = fresh(proposed)
    assert action.status == Status.COMPLETED
    assert action.completed_on == date(2022, 3, 4)
    assert not action.completion_is_proposed
    assert (action.completion_proposed_by, action.completion_proposed_side) == (None, "")
    assert action.version == 3
    assert (update.kind, update.signoff_side, update.on_behalf) == ("completion_confirmed", "cps", False)
    assert (update.status_from, update.status_to, update.version) == ("in_progress", "completed", 3)
    assert update.author == cps_lead
    assert update.review_cycle == cycle
    assert update.signoff_summary == "Completion confirmed by the CPS lead"


def test_an_accountable_lead_of_the_other_side_may_confirm(proposed, other_cps_lead):
    update = action_completion_confirm(action=proposed, by=other_cps_lead, expected_version=2, reason="Checked.")
    assert fresh(proposed).status == Status.COMPLETED
    assert (update.signoff_side, update.on_behalf, update.narrative) == ("cps", False, "Checked.")


def test_confirming_ones_own_proposal_is_refused(proposed, police_lead):
    with pytest.raises(PermissionDenied, match="You proposed this completion, so you cannot confirm or decline it"):
        action_completion_confirm(action=proposed, by=police_lead, expected_version=2)
    assert fresh(proposed).status == Status.IN_PROGRESS
    assert StatusUpdate.objects.count() == 1


def test_another_lead_of_the_proposing_side_cannot_confirm(proposed, other_police_lead):
    with pytest.raises(PermissionDenied, match="The police side proposed this completion, so it cannot confirm it"):
        action_completion_confirm(action=proposed, by=other_police_lead, expected_version=2)
    assert fresh(proposed).completion_is_proposed


@pytest.mark.parametrize("person", ["board_member", "outsider"])
def test_people_who_are_not_leads_cannot_confirm(proposed, person, request):
    with pytest.raises(PermissionDenied):
        action_completion_confirm(action=proposed, by=request.getfixturevalue(person), expected_version=2)
    assert fresh(proposed).completion_is_proposed


def test_nobody_confirms_on_a_plan_that_is_not_published(proposed, cps_lead):
    Plan.objects.filter(pk=proposed.plan_id).update(status=Plan.Status.ARCHIVED)
    with pytest.raises(PermissionDenied):
        action_completion_confirm(action=fresh(proposed), by=cps_lead, expected_version=2)


def test_an_admin_confirms_on_the_awaited_leads_behalf_with_a_reason(proposed, admin_user):
    with pytest.raises(ValidationError) as error:
        action_completion_confirm(action=proposed, by=admin_user, expected_version=2, reason="  ")
    assert error.value.message_dict["reason"] == [
        "Give the reason you are confirming the completion on the CPS lead’s behalf"
    ]
    assert fresh(proposed).completion_is_proposed

    with time_machine.travel(DECIDED_AT, tick=False):
        update = action_completion_confirm(
            action=proposed, by=admin_user, expected_version=2, reason="The CPS lead is on leave; the Area confirmed."
        )
    action = fresh(proposed)
    assert (action.status, action.completed_on) == (Status.COMPLETED, date(2022, 3, 4))
    assert (update.kind, update.signoff_side, update.on_behalf) == ("completion_confirmed", "cps", True)
    assert update.narrative == "The CPS lead is on leave; the Area confirmed."
    assert update.signoff_summary == "Completion confirmed by an admin on the CPS lead’s behalf"


def test_an_admin_confirms_for_the_police_when_the_cps_proposed(joint_action, cps_lead, admin_user):
    propose(joint_action, cps_lead)
    update = action_completion_confirm(
        action=fresh(joint_action), by=admin_user, expected_version=2, reason="Agreed at the board."
    )
    assert (update.signoff_side, update.on_behalf) == ("police", True)


def test_a_second_confirmation_from_the_same_version_is_stale_and_saves_nothing(proposed, cps_lead, admin_user):
    action_completion_confirm(action=fresh(proposed), by=cps_lead, expected_version=2)
    with pytest.raises(StaleVersion) as stale:
        action_completion_confirm(action=proposed, by=admin_user, expected_version=2, reason="Confirming too.")
    assert stale.value.action.status == Status.COMPLETED
    assert [u.kind for u in stale.value.updates_since] == ["completion_confirmed"]
    assert StatusUpdate.objects.filter(kind="completion_confirmed").count() == 1
    assert fresh(proposed).version == 3


def test_confirming_when_nothing_awaits_confirmation_is_refused(joint_action, cps_lead):
    with pytest.raises(ValidationError, match="No completion of this action is awaiting confirmation"):
        action_completion_confirm(action=joint_action, by=cps_lead, expected_version=1)
    assert fresh(joint_action).status == Status.IN_PROGRESS
    assert not StatusUpdate.objects.exists()


# -- Decline ------------------------------------------------------------------------------------------------------


def test_a_decline_needs_a_reason(proposed, cps_lead):
    with pytest.raises(ValidationError) as error:
        action_completion_decline(action=proposed, by=cps_lead, expected_version=2, reason="\n  ")
    assert error.value.message_dict["reason"] == ["Give the reason you are declining the completion"]
    assert fresh(proposed).completion_is_proposed
    assert StatusUpdate.objects.count() == 1


def test_a_declined_completion_returns_to_in_progress_with_the_reason(proposed, cps_lead):
    update = action_completion_decline(
        action=proposed, by=cps_lead, expected_version=2, reason="Two Areas have not started yet."
    )
    action = fresh(proposed)
    assert (action.status, action.completed_on, action.completion_is_proposed) == ("in_progress", None, False)
    assert (update.kind, update.signoff_side, update.on_behalf) == ("completion_declined", "cps", False)
    assert update.narrative == "Two Areas have not started yet."
    assert update.signoff_summary == "Completion declined by the CPS lead"
    # Declined, the action takes ordinary updates again, and may be proposed again.
    action_update_status(
        action=action,
        by=cps_lead,
        status="in_progress",
        rag="amber",
        narrative="Areas are starting the work.",
        expected_version=3,
    )
    propose(fresh(proposed), cps_lead)
    assert fresh(proposed).completion_proposed_side == "cps"


def test_declining_ones_own_proposal_is_refused(proposed, police_lead):
    with pytest.raises(PermissionDenied):
        action_completion_decline(action=proposed, by=police_lead, expected_version=2, reason="Withdrawn.")
    assert fresh(proposed).completion_is_proposed


def test_an_admin_declines_on_the_leads_behalf(proposed, admin_user):
    update = action_completion_decline(action=proposed, by=admin_user, expected_version=2, reason="Board said no.")
    assert (update.on_behalf, update.signoff_side) == (True, "cps")
    assert update.signoff_summary == "Completion declined by an admin on the CPS lead’s behalf"


@pytest.mark.parametrize(
    "reason, message",
    [
        ("<b>No</b>", "The reason must not contain HTML or other markup: remove the < > tags"),
        ("Bad\x00byte", "The reason contains a character that cannot be saved: remove it or type the text again"),
        ("x" * 5001, "The reason must be 5,000 characters or fewer"),
    ],
)
def test_a_reason_that_cannot_be_stored_is_refused(proposed, cps_lead, reason, message):
    with pytest.raises(ValidationError) as error:
        action_completion_decline(action=proposed, by=cps_lead, expected_version=2, reason=reason)
    assert error.value.message_dict["reason"] == [message]
    assert fresh(proposed).completion_is_proposed


def test_a_decision_on_a_stale_version_saves_nothing(proposed, cps_lead):
    with pytest.raises(StaleVersion):
        action_completion_decline(action=proposed, by=cps_lead, expected_version=1, reason="Not yet.")
    assert fresh(proposed).completion_is_proposed
    assert StatusUpdate.objects.count() == 1


# -- The database holds the rules too ---------------------------------------------------------------------------


def test_the_database_refuses_a_proposal_on_an_action_of_one_side(police_action, police_lead):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=police_action.pk).update(
            completion_proposed_by=police_lead, completion_proposed_at=PROPOSED_AT, completion_proposed_side="police"
        )


def test_a_proposal_is_whole_and_says_why_when_it_is_not(proposed):
    proposed.completion_proposed_side = ""
    with pytest.raises(ValidationError) as error:
        proposed.validate_constraints()
    assert "A proposed completion records who proposed it, when, and for which side" in str(error.value)


def test_a_decline_without_a_reason_is_refused_by_the_database(proposed, cps_lead):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            action=proposed,
            author=cps_lead,
            status_to="in_progress",
            rag_to="green",
            version=3,
            kind="completion_declined",
            signoff_side="cps",
        )


def test_status_updates_of_the_sign_off_say_why_their_constraints_refuse(proposed, cps_lead):
    update = StatusUpdate(
        action=proposed,
        author=cps_lead,
        status_to="in_progress",
        rag_to="green",
        version=3,
        kind="update",
        on_behalf=True,
    )
    with pytest.raises(ValidationError) as error:
        update.validate_constraints()
    messages = str(error.value)
    assert "A sign-off step names the side it is for; a plain update names none" in messages
    assert "Only a confirmation or a decline can be made on a lead's behalf" in messages


def test_a_proposed_joint_action_cannot_be_made_single_side_in_the_admin(proposed):
    proposed.side = Side.POLICE
    proposed.cps_lead = None
    with pytest.raises(ValidationError) as error:
        proposed.full_clean()
    assert "Only a joint action in progress can have a completion awaiting confirmation" in str(error.value)


def test_someone_who_may_not_decide_is_refused_before_being_told_of_a_newer_version(proposed, board_member):
    with pytest.raises(PermissionDenied):
        action_completion_confirm(action=proposed, by=board_member, expected_version=1)
