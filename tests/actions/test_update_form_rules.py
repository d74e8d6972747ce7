"""The update form's rules for dates, narratives and evidence links, and the reasons a refused person is given."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import User
from actions.forms import StatusUpdateForm
from actions.models import StatusUpdate
from actions.services import action_update_status, evidence_url_normalise
from tests.factories import ActionFactory, OrganisationFactory, PoliceLeadFactory, UserFactory

pytestmark = pytest.mark.django_db


def update_url(action) -> str:
    return reverse("actions:update", kwargs={"pk": action.pk})


def post(action, **changes) -> dict:
    data = {
        "status": action.status,
        "rag": action.rag,
        "narrative": "Training rolled out to two more teams.",
        "evidence_url": "",
        "revised_target_date_0": "",
        "revised_target_date_1": "",
        "revised_target_date_2": "",
        "revision_reason": "",
        "version": str(action.version),
    }
    data.update(changes)
    return data


def revised(day: date, reason: str = "The supplier delivered the system late.") -> dict:
    return {
        "revised_target_date_0": str(day.day),
        "revised_target_date_1": str(day.month),
        "revised_target_date_2": str(day.year),
        "revision_reason": reason,
    }


def summary(response) -> str:
    return response.content.decode().split('class="govuk-error-summary"')[1].split("</ul>")[0]


# -- Revised target dates ---------------------------------------------------------------------------------------


def test_a_revised_target_date_in_the_past_is_refused_with_what_to_do_instead(client, police_lead, police_action):
    client.force_login(police_lead)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(update_url(police_action), post(police_action, **revised(yesterday)))

    assert response.status_code == 400
    assert (
        'href="#id_revised_target_date_0">A revised target date must be today or later; to record that an action '
        "was delivered, mark it completed</a>"
    ) in summary(response)
    assert not StatusUpdate.objects.exists()


def test_a_revised_target_date_of_today_is_accepted(client, police_lead, police_action):
    client.force_login(police_lead)
    today = timezone.localdate()

    response = client.post(update_url(police_action), post(police_action, **revised(today)))

    assert response.status_code == 302
    police_action.refresh_from_db()
    assert police_action.revised_target_date == today


def test_a_revised_date_before_a_future_start_still_names_the_start(client, police_lead, national_plan):
    today = timezone.localdate()
    action = ActionFactory(
        theme=national_plan.themes.first(),
        side="police",
        police_lead=police_lead,
        start_date=today + timedelta(days=30),
        target_date=today + timedelta(days=90),
    )
    client.force_login(police_lead)

    response = client.post(update_url(action), post(action, **revised(today + timedelta(days=10))))

    assert response.status_code == 400
    assert "The revised target date must be the same as or after the start date" in summary(response)


def test_the_date_hint_gives_a_future_date_as_its_example(client, police_lead, police_action):
    client.force_login(police_lead)
    example = timezone.localdate() + timedelta(days=90)

    body = client.get(update_url(police_action)).content.decode()

    assert f"For example, {example.day} {example.month} {example.year}" in body


@pytest.mark.parametrize("today, example", [(date(2026, 1, 15), "15 4 2026"), (date(2031, 12, 30), "29 3 2032")])
def test_the_date_hint_is_worked_out_from_the_day(police_lead, police_action, today, example):
    form = StatusUpdateForm(action=police_action, by=police_lead, today=today)

    assert form.fields["revised_target_date"].help_text.endswith(f"For example, {example}")


# -- Narratives --------------------------------------------------------------------------------------------------

SHORT_NARRATIVES = [
    ("confidence worsens", {"rag": "red"}, "Explain in a sentence why the delivery confidence has worsened"),
    ("completed", {"status": "completed"}, "Explain in a sentence how the action was completed"),
    ("closed", {"status": "closed_withdrawn"}, "Explain in a sentence why the action was closed"),
    (
        "target date revised",
        revised(date.today() + timedelta(days=60)),
        "Explain in a sentence what has happened that means the target date is revised",
    ),
    ("nothing else changes", {}, "Say in a sentence what has happened since the last update"),
]


@pytest.mark.parametrize("text", ["Done", "Done.", "ok ok ok", "Delayed again!!!", "x" * 40])
@pytest.mark.parametrize("case, changes, start", SHORT_NARRATIVES, ids=[case for case, _, _ in SHORT_NARRATIVES])
def test_a_needed_narrative_shorter_than_a_sentence_is_refused_with_a_hint(
    client, police_lead, police_action, case, changes, start, text
):
    client.force_login(police_lead)

    response = client.post(update_url(police_action), post(police_action, narrative=text, **changes))

    assert response.status_code == 400
    message = summary(response).split('href="#id_narrative">')[1].split("</a>")[0]
    assert message.startswith(f"{start}: at least 3 words and 15 characters, for example “")
    assert not StatusUpdate.objects.exists()


def test_a_short_sentence_is_enough(client, police_lead, police_action):
    client.force_login(police_lead)

    response = client.post(update_url(police_action), post(police_action, rag="red", narrative="Two trainers left."))

    assert response.status_code == 302, summary(response)


def test_a_short_narrative_that_is_not_needed_is_kept(client, police_lead, police_action):
    client.force_login(police_lead)

    response = client.post(update_url(police_action), post(police_action, status="not_started", narrative="Paused."))

    assert response.status_code == 302
    assert StatusUpdate.objects.get().narrative == "Paused."


def test_the_narrative_hint_says_how_much_to_write(client, police_lead, police_action):
    client.force_login(police_lead)

    body = client.get(update_url(police_action)).content.decode()

    assert "and when nothing else changes. Write a sentence: at least 3 words and 15 characters." in body


def test_the_service_refuses_a_short_narrative_from_any_caller(police_lead, police_action):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        action_update_status(
            action=police_action, by=police_lead, status="completed", rag="green", narrative="Done", expected_version=1
        )

    assert refused.value.message_dict["narrative"][0].startswith("Explain in a sentence how the action was completed")


# -- Evidence links ----------------------------------------------------------------------------------------------


def test_the_evidence_link_error_is_shown_as_govuk_shows_errors(client, police_lead, police_action):
    client.force_login(police_lead)

    response = client.post(update_url(police_action), post(police_action, evidence_url="javascript:alert(1)"))

    body = response.content.decode()
    group = body.split('id="div_id_evidence_url"')[1].split("<fieldset")[0]
    assert "govuk-form-group--error" in body.split('id="div_id_evidence_url"')[1].split(">")[0]
    assert '<span id="id_evidence_url_1_error" class="govuk-error-message">' in group
    field = group.split("<input")[1].split(">")[0]
    assert 'class="govuk-input govuk-input--error"' in field
    assert 'aria-describedby="id_evidence_url_hint id_evidence_url_1_error"' in field
    assert 'type="text"' in field and 'inputmode="url"' in field
    assert 'href="#id_evidence_url">Enter the evidence link as a web address' in summary(response)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("example.org/minutes", "https://example.org/minutes"),
        ("  sharepoint.example/sites/rasso?id=4  ", "https://sharepoint.example/sites/rasso?id=4"),
        ("www.cps.gov.uk", "https://www.cps.gov.uk"),
        ("10.0.0.1/papers", "https://10.0.0.1/papers"),
        ("localhost:8000/x", "https://localhost:8000/x"),
        ("intranet.police.uk:8443/x", "https://intranet.police.uk:8443/x"),
        ("//example.org/x", "https://example.org/x"),
        ("http://example.org/x", "http://example.org/x"),
        ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("mailto:lead@example.org", "mailto:lead@example.org"),
        ("see the minutes", "see the minutes"),
        ("minutes", "minutes"),
        ("", ""),
    ],
)
def test_a_link_typed_without_a_scheme_gets_https_and_nothing_else_does(typed, stored):
    assert evidence_url_normalise(typed) == stored


def test_a_link_without_a_scheme_is_saved_with_https_and_shown_on_the_timeline(
    client, police_lead, board_member, police_action
):
    client.force_login(police_lead)

    response = client.post(update_url(police_action), post(police_action, evidence_url="example.org/board/minutes"))

    assert response.status_code == 302
    assert StatusUpdate.objects.get().evidence_url == "https://example.org/board/minutes"
    client.force_login(board_member)
    body = client.get(police_action.get_absolute_url()).content.decode()
    assert (
        'Evidence: <a class="govuk-link govuk-!-text-break-word" href="https://example.org/board/minutes" '
        'rel="noopener noreferrer">https://example.org/board/minutes</a>'
    ) in body


@pytest.mark.parametrize("typed", ["minutes", "see the minutes", "mailto:lead@example.org"])
def test_text_that_is_not_a_web_address_is_refused_not_given_https(client, police_lead, police_action, typed):
    client.force_login(police_lead)

    response = client.post(update_url(police_action), post(police_action, evidence_url=typed))

    assert response.status_code == 400
    assert "evidence link" in summary(response)
    assert not StatusUpdate.objects.exists()


# -- Why a person may not update -----------------------------------------------------------------------------------


def refusal(client, person, action) -> str:
    client.force_login(person)
    response = client.get(update_url(action))
    assert response.status_code == 403
    post_response = client.post(update_url(action), post(action))
    assert post_response.status_code == 403
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">You cannot update this action</h1>' in body
    assert f'href="{action.get_absolute_url()}">Go back to action {action.reference}</a>' in body
    return " ".join(body.split())


def test_a_cps_lead_on_a_police_action_is_told_it_is_led_by_the_police(client, cps_lead, police_action):
    body = refusal(client, cps_lead, police_action)

    assert "This action is led by the police; you are a CPS lead." in body
    assert "It is led by Paula Police (police); its lead organisations are Avon and Somerset Constabulary." in body


def test_a_police_lead_on_a_cps_action_is_told_it_is_led_by_the_cps(client, police_lead, cps_lead, national_plan):
    action = ActionFactory(theme=national_plan.themes.first(), reference="1.5", side="cps", cps_lead=cps_lead)

    body = refusal(client, police_lead, action)

    assert "This action is led by the CPS; you are a police lead." in body
    assert "It is led by Carl Crown (CPS)." in body


def test_a_lead_of_another_force_is_told_they_are_not_a_lead_of_the_action(client, joint_action):
    other = PoliceLeadFactory(username="kent.lead", first_name="Kim", last_name="Kent")

    body = refusal(client, other, joint_action)

    assert (
        f"You are not a lead of this action, and {other.organisation.name} is not one of its lead organisations."
    ) in body
    assert "It is led by Paula Police (police) and Carl Crown (CPS)" in body
    assert "ask an admin of the plan to name you as its lead or add your organisation" in body


def test_a_lead_in_an_organisation_of_neither_side_is_told_so(client, joint_action):
    person = UserFactory(username="ho.lead", role=User.Role.LEAD, organisation=OrganisationFactory(name="Home Office"))

    body = refusal(client, person, joint_action)

    assert "Only leads in police or CPS organisations update actions, and Home Office is neither." in body


def test_a_board_member_is_told_board_members_read_but_do_not_update(client, board_member, police_action):
    body = refusal(client, board_member, police_action)

    assert "You are a board member: board members read the plan, dashboards and board packs" in body


def test_a_person_without_the_lead_role_is_told_to_ask_for_it(client, outsider, police_action):
    body = refusal(client, outsider, police_action)

    assert "Only leads update actions, and your account does not have the lead role." in body


def test_the_lead_of_a_closed_action_is_told_only_an_admin_can_reopen_it(client, police_lead, police_action):
    action_update_status(
        action=police_action, by=police_lead, status="closed", closure_reason="withdrawn", rag="green",
        narrative="The work is no longer needed.", expected_version=1,
    )  # fmt: skip

    client.force_login(police_lead)
    body = " ".join(client.get(update_url(police_action)).content.decode().split())

    assert "This action is closed (withdrawn). Only an admin can reopen it." in body


@pytest.mark.parametrize(
    "status, says",
    [
        ("draft", "Joint national action plan is a draft: its actions are updated once it is published."),
        ("archived", "Joint national action plan is archived: its actions are kept as a record"),
    ],
)
def test_an_admin_is_told_why_a_plan_not_in_force_takes_no_updates(client, admin_user, police_action, status, says):
    police_action.plan.status = status
    police_action.plan.save()

    body = refusal(client, admin_user, police_action)

    assert says in body
