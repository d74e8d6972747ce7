"""Joint sign-off in the browser without JavaScript: the proposal, the action page, the decision page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action, Status, StatusUpdate
from actions.services import action_completion_confirm, action_completion_decline, action_update_status

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PROPOSED_AT = datetime(2022, 3, 1, 10, 0, tzinfo=LONDON)


def completion_url(action) -> str:
    return reverse("actions:completion", kwargs={"pk": action.pk})


def update_url(action) -> str:
    return reverse("actions:update", kwargs={"pk": action.pk})


def fresh(action) -> Action:
    return Action.objects.get(pk=action.pk)


@pytest.fixture
def proposed(joint_action, police_lead):
    with time_machine.travel(PROPOSED_AT, tick=False):
        action_update_status(
            action=joint_action,
            by=police_lead,
            status="completed",
            rag="green",
            narrative="Rolled out in every force.",
            expected_version=1,
        )
    return fresh(joint_action)


def decision(action, **changes) -> dict:
    return {"decision": "confirm", "reason": "", "version": str(action.version), **changes}


def error_summary(body: str) -> str:
    return body.split('class="govuk-error-summary"')[1].split("</ul>")[0]


# -- Proposing through the update form --------------------------------------------------------------------------


def test_the_update_form_says_a_joint_completion_is_confirmed_by_the_other_side(client, police_lead, joint_action):
    client.force_login(police_lead)
    body = client.get(update_url(joint_action)).content.decode()
    assert "As a joint action it is completed when the CPS lead confirms it" in body


def test_marking_a_joint_action_completed_proposes_it(client, police_lead, joint_action):
    client.force_login(police_lead)
    response = client.post(
        update_url(joint_action),
        {"status": "completed", "rag": "green", "narrative": "Delivered in every force area.", "version": "1"},
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == joint_action.get_absolute_url()
    assert "Completion of action 2.1 proposed: it is completed when the CPS lead confirms it" in body
    action = fresh(joint_action)
    assert action.status == Status.IN_PROGRESS and action.completion_is_proposed


# -- The action page ----------------------------------------------------------------------------------------------


def test_action_page_says_who_proposed_it_and_whom_it_awaits(client, board_member, proposed):
    client.force_login(board_member)
    body = client.get(proposed.get_absolute_url()).content.decode()
    assert "Completion proposed by Paula Police (police) on 1 March 2022: awaiting the CPS lead" in body
    assert "It is completed when the CPS lead (Carl Crown) confirms it." in body
    assert "Completion proposed by the police lead" in body  # the timeline
    assert completion_url(proposed) not in body and update_url(proposed) not in body


def test_the_other_sides_lead_gets_the_confirm_button_and_the_proposer_none(client, cps_lead, police_lead, proposed):
    client.force_login(cps_lead)
    body = client.get(proposed.get_absolute_url()).content.decode()
    assert "Confirm or decline completion" in body and completion_url(proposed) in body
    assert "Update status" not in body

    client.force_login(police_lead)
    body = client.get(proposed.get_absolute_url()).content.decode()
    assert completion_url(proposed) not in body
    assert "Update status" not in body


def test_the_timeline_shows_a_confirmation_on_behalf_with_its_reason(client, board_member, admin_user, proposed):
    action_completion_confirm(action=proposed, by=admin_user, expected_version=2, reason="Agreed at the board.")
    client.force_login(board_member)
    body = client.get(proposed.get_absolute_url()).content.decode()
    assert "Completion confirmed by an admin on the CPS lead’s behalf: status in progress to completed" in body
    assert "Reason: Agreed at the board." in body
    assert "Completion proposed by Paula Police" not in body


# -- The update page of a proposed action -------------------------------------------------------------------------


def test_the_update_page_sends_the_confirming_lead_to_the_decision(client, cps_lead, proposed):
    client.force_login(cps_lead)
    response = client.get(update_url(proposed))
    assert response.status_code == 302
    assert response.headers["Location"] == completion_url(proposed)


def test_the_update_page_tells_the_proposer_it_awaits_the_other_side(client, police_lead, proposed):
    client.force_login(police_lead)
    response = client.get(update_url(proposed))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Completion is awaiting confirmation" in body
    assert "is awaiting the CPS lead: it must be confirmed or declined before the action can be updated again" in body
    assert "<form" not in body.split('id="main-content"')[1]


def test_an_update_posted_while_a_completion_awaits_is_refused_with_the_text_kept(client, police_lead, proposed):
    client.force_login(police_lead)
    response = client.post(
        update_url(proposed),
        {"status": "in_progress", "rag": "amber", "narrative": "My <unsaved> note.", "version": "1"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Your update was not saved." in body
    assert "My &lt;unsaved&gt; note." in body
    assert "Completion proposed by the police lead" in body  # what changed since version 1
    assert StatusUpdate.objects.count() == 1 and fresh(proposed).version == 2


# -- The decision page --------------------------------------------------------------------------------------------


def test_the_confirming_lead_sees_the_decision_form(client, cps_lead, proposed):
    client.force_login(cps_lead)
    response = client.get(completion_url(proposed))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Confirm or decline completion</h1>' in body
    assert "Completion proposed by Paula Police (police) on 1 March 2022: awaiting the CPS lead" in body
    assert 'name="version" value="2"' in body
    assert "Comment, or your reason for declining" in body


def test_confirming_completes_the_action_and_says_so(client, cps_lead, proposed):
    client.force_login(cps_lead)
    response = client.post(completion_url(proposed), decision(proposed, reason="Checked in every Area."), follow=True)
    assert response.redirect_chain[-1][0] == proposed.get_absolute_url()
    body = response.content.decode()
    assert "Completion of action 2.1 confirmed: it is completed" in body
    assert "Completion confirmed by the CPS lead: status in progress to completed" in body
    assert "Comment: Checked in every Area." in body
    assert fresh(proposed).status == Status.COMPLETED


def test_declining_without_a_reason_shows_the_error_and_saves_nothing(client, cps_lead, proposed):
    client.force_login(cps_lead)
    response = client.post(completion_url(proposed), decision(proposed, decision="decline"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_reason">Give the reason you are declining the completion' in error_summary(body)
    assert "<title>Error: " in body
    assert fresh(proposed).completion_is_proposed
    assert StatusUpdate.objects.count() == 1


def test_declining_with_a_reason_returns_it_to_in_progress(client, cps_lead, proposed):
    client.force_login(cps_lead)
    response = client.post(
        completion_url(proposed), decision(proposed, decision="decline", reason="Not in use in Wales yet."), follow=True
    )
    body = response.content.decode()
    assert "Completion of action 2.1 declined: it is back in progress" in body
    assert "Reason: Not in use in Wales yet." in body
    action = fresh(proposed)
    assert action.status == Status.IN_PROGRESS and not action.completion_is_proposed


@pytest.mark.parametrize(
    "changes, anchor, message",
    [
        ({"decision": ""}, "id_decision_1", "Select whether you confirm or decline the completion"),
        ({"decision": "approve"}, "id_decision_1", "Select whether you confirm or decline the completion"),
        ({"version": ""}, "id_decision_1", "This form is out of date: reload the page and make your decision again"),
        ({"version": "x"}, "id_decision_1", "This form is out of date: reload the page and make your decision again"),
        ({"reason": "<script>x</script>"}, "id_reason", "The reason must not contain HTML or other markup"),
        ({"reason": "a\x00b"}, "id_reason", "The reason contains a character that cannot be saved"),
        ({"reason": "r" * 5001}, "id_reason", "The reason must be 5,000 characters or fewer"),
    ],
)
def test_bad_input_is_named_in_the_error_summary(client, cps_lead, proposed, changes, anchor, message):
    client.force_login(cps_lead)
    response = client.post(completion_url(proposed), decision(proposed, **changes))
    assert response.status_code == 400
    assert f'href="#{anchor}">{message}' in error_summary(response.content.decode())
    assert fresh(proposed).completion_is_proposed


def test_the_proposer_is_refused_the_decision_page_with_the_reason(client, police_lead, proposed):
    client.force_login(police_lead)
    for response in (client.get(completion_url(proposed)), client.post(completion_url(proposed), decision(proposed))):
        assert response.status_code == 403
        assert "You proposed this completion, so you cannot confirm or decline it: the CPS lead does." in (
            response.content.decode()
        )
    assert fresh(proposed).completion_is_proposed


def test_a_board_member_is_refused_and_an_outsider_cannot_see_the_action(client, board_member, outsider, proposed):
    client.force_login(board_member)
    assert client.post(completion_url(proposed), decision(proposed)).status_code == 403
    client.force_login(outsider)
    assert client.get(completion_url(proposed)).status_code == 403
    assert fresh(proposed).completion_is_proposed


def test_an_admin_must_give_the_reason_for_deciding_on_a_leads_behalf(client, admin_user, proposed):
    client.force_login(admin_user)
    body = client.get(completion_url(proposed)).content.decode()
    assert "Your decision, on the CPS lead’s behalf" in body
    assert "Why are you deciding on the CPS lead’s behalf?" in body

    response = client.post(completion_url(proposed), decision(proposed))
    assert response.status_code == 400
    assert "Give the reason you are confirming the completion on the CPS lead’s behalf" in response.content.decode()

    response = client.post(completion_url(proposed), decision(proposed, reason="Confirmed by the Area in writing."))
    assert response.status_code == 302
    update = StatusUpdate.objects.get(kind="completion_confirmed")
    assert (update.author, update.on_behalf, update.narrative) == (
        admin_user,
        True,
        "Confirmed by the Area in writing.",
    )


def test_a_second_confirmation_is_told_it_was_already_decided(client, cps_lead, admin_user, proposed):
    action_completion_confirm(action=proposed, by=admin_user, expected_version=2, reason="Agreed at the board.")
    client.force_login(cps_lead)
    response = client.post(completion_url(proposed), decision(proposed, reason="My own check."))
    assert response.status_code == 409
    body = response.content.decode()
    assert "No completion is awaiting confirmation" in body
    assert "Your decision was not saved" in body
    assert "Completion confirmed by an admin on the CPS lead’s behalf" in body
    assert "My own check." in body
    assert StatusUpdate.objects.filter(kind="completion_confirmed").count() == 1


def test_the_decision_page_of_an_action_with_nothing_to_decide_says_so(client, cps_lead, joint_action):
    client.force_login(cps_lead)
    response = client.get(completion_url(joint_action))
    assert response.status_code == 200
    assert "No completion is awaiting confirmation" in response.content.decode()


def test_a_decision_on_a_new_proposal_made_meanwhile_is_asked_again(client, cps_lead, police_lead, proposed):
    # Declined by the CPS lead in another tab and proposed again while this form was open at version 2.
    action_completion_decline(action=fresh(proposed), by=cps_lead, expected_version=2, reason="Not yet.")
    action_update_status(
        action=fresh(proposed),
        by=police_lead,
        status="completed",
        rag="green",
        narrative="Now done in every area.",
        expected_version=3,
    )
    client.force_login(cps_lead)
    response = client.post(completion_url(proposed), decision(proposed, reason="Looks fine."))
    assert response.status_code == 409
    body = response.content.decode()
    assert "The proposed completion changed while you were deciding" in body
    assert 'name="version" value="4"' in body
    assert "Looks fine." in body
    assert fresh(proposed).completion_is_proposed


def test_my_actions_flags_the_completion_awaiting_confirmation(client, cps_lead, proposed):
    client.force_login(cps_lead)
    body = client.get(reverse("actions:mine")).content.decode()
    assert "Completion proposed: awaiting the CPS lead" in body


def test_the_plan_pages_tag_the_proposed_action(client, board_member, proposed):
    client.force_login(board_member)
    body = client.get(proposed.theme.get_absolute_url()).content.decode()
    row = body.split(proposed.get_absolute_url())[1].split("</tr>")[0]
    assert "Completion proposed" in row
