"""The action page and the update status form, as a browser without JavaScript would use them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Side, StatusUpdate
from actions.services import action_update_status
from tests.factories import ActionFactory, LocalPlanFactory, StatusUpdateFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def update_url(action) -> str:
    return reverse("actions:update", kwargs={"pk": action.pk})


def valid_post(action, **changes) -> dict:
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


# -- Action page ----------------------------------------------------------------------------------------------


def test_lead_sees_update_button_on_action_page(client, police_lead, police_action):
    client.force_login(police_lead)
    body = client.get(police_action.get_absolute_url()).content.decode()
    assert "Update status" in body
    assert update_url(police_action) in body


@pytest.mark.parametrize("person", ["board_member", "outsider", "cps_lead"])
def test_those_who_may_not_update_see_no_button(client, police_action, person, request):
    client.force_login(request.getfixturevalue(person))
    response = client.get(police_action.get_absolute_url())
    assert response.status_code == 200
    assert "Police-only action" in response.content.decode()
    assert update_url(police_action) not in response.content.decode()


def test_action_page_shows_timeline_with_escaped_text_and_only_http_evidence(
    client, board_member, police_lead, police_action
):
    StatusUpdateFactory(
        action=police_action,
        author=police_lead,
        narrative="Fewer than <5 cases & rising",
        evidence_url="javascript:alert(1)",
        version=2,
    )
    StatusUpdateFactory(
        action=police_action,
        author=police_lead,
        narrative="Report",
        evidence_url="https://example.org/report",
        version=3,
    )
    client.force_login(board_member)
    body = client.get(police_action.get_absolute_url()).content.decode()
    assert "Fewer than &lt;5 cases &amp; rising" in body
    assert "javascript:" not in body
    assert 'href="https://example.org/report"' in body
    assert "by Paula Police" in body


def test_national_action_page_lists_its_local_mirrors_and_where_each_stands(
    client, board_member, police_force, cps_area, national_plan, police_action
):
    local = LocalPlanFactory(
        title="Avon and Somerset plan", slug="avon", mirrors=national_plan, police_force=police_force, cps_area=cps_area
    )
    mirror = ActionFactory(
        theme=ThemeFactory(plan=local, number=1),
        reference="L1.1",
        title="Local victims action",
        side=Side.POLICE,
        mirrors=police_action,
        rag="red",
    )
    client.force_login(board_member)
    body = client.get(police_action.get_absolute_url()).content.decode()
    assert "Local actions mirroring this action" in body
    assert "Avon and Somerset plan" in body
    assert mirror.get_absolute_url() in body
    assert "Local victims action" in body

    local_body = client.get(mirror.get_absolute_url()).content.decode()
    assert "This local action mirrors national action" in local_body
    assert police_action.get_absolute_url() in local_body


def test_action_page_shows_the_history_of_content_edits(client, admin_user, board_member, police_action):
    client.force_login(admin_user)
    police_action.title = "Police-only action, reworded"
    police_action._history_user = admin_user
    police_action.save()
    client.force_login(board_member)
    body = client.get(police_action.get_absolute_url()).content.decode()
    assert "History of changes to the action" in body
    assert "Title: Police-only action to Police-only action, reworded" in body
    assert "Ada Admin" in body
    assert "Lead organisations: (none) to Avon and Somerset Constabulary" in body


@pytest.mark.parametrize("pk", [999999, 2**31, 2**63, 10**20])
def test_unknown_action_is_404(client, police_lead, national_plan, pk):
    # Ids beyond the database's integer range too: a 404, never a database error.
    client.force_login(police_lead)
    assert client.get(reverse("actions:detail", kwargs={"pk": pk})).status_code == 404
    assert client.get(reverse("actions:update", kwargs={"pk": pk})).status_code == 404
    assert client.post(reverse("actions:update", kwargs={"pk": pk}), {"version": "1"}).status_code == 404


# -- Update form: who --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["board_member", "outsider", "cps_lead"])
def test_those_who_may_not_update_get_403_on_form_and_post(client, police_action, person, request):
    client.force_login(request.getfixturevalue(person))
    assert client.get(update_url(police_action)).status_code == 403
    assert client.post(update_url(police_action), valid_post(police_action)).status_code == 403
    assert not StatusUpdate.objects.exists()


def test_signed_out_visitor_is_sent_to_sign_in(client, police_action):
    response = client.get(update_url(police_action))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_forged_action_id_is_404_and_stores_nothing(client, police_lead, police_action):
    client.force_login(police_lead)
    response = client.post(reverse("actions:update", kwargs={"pk": police_action.pk + 1000}), valid_post(police_action))
    assert response.status_code == 404
    assert not StatusUpdate.objects.exists()


def test_closed_action_update_is_403_for_lead_but_admin_may_reopen(client, police_lead, admin_user, police_action):
    action_update_status(
        action=police_action,
        by=police_lead,
        status="closed",
        rag="green",
        narrative="Withdrawn: the work is no longer needed.",
        closure_reason="withdrawn",
        expected_version=1,
    )
    client.force_login(police_lead)
    assert client.get(update_url(police_action)).status_code == 403
    client.force_login(admin_user)
    response = client.post(
        update_url(police_action),
        valid_post(police_action, status="in_progress", narrative="Reopened at the board's request."),
    )
    assert response.status_code == 302
    police_action.refresh_from_db()
    assert police_action.status == "in_progress"


def test_lead_whose_action_was_closed_while_writing_is_told_and_given_their_text_back(
    client, police_lead, cps_lead, board_member, joint_action
):
    action_update_status(
        action=joint_action,
        by=cps_lead,
        status="closed",
        rag="green",
        narrative="Superseded: fewer than <5 forces & a new framework.",
        closure_reason="superseded",
        expected_version=1,
    )
    client.force_login(police_lead)

    response = client.post(
        update_url(joint_action), valid_post(joint_action, narrative="Training in 2 forces & <3 to go.", version="1")
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "This action has been closed" in body
    assert "Someone closed this action (superseded) while you were writing your update" in body
    assert "What changed while you were writing" in body
    assert "Superseded: fewer than &lt;5 forces &amp; a new framework." in body
    assert "Training in 2 forces &amp; &lt;3 to go." in body
    assert 'name="save"' not in body
    assert StatusUpdate.objects.filter(action=joint_action).count() == 1

    # Nobody else learns anything from a POST: a board member still gets 403.
    client.force_login(board_member)
    assert client.post(update_url(joint_action), valid_post(joint_action, version="1")).status_code == 403


@pytest.mark.parametrize("version", ["", "abc", "99999999999999999999", "-3"])
def test_closed_meanwhile_page_takes_any_version_without_error(client, police_lead, police_action, version):
    Action.objects.filter(pk=police_action.pk).update(status="closed", closure_reason="withdrawn")
    client.force_login(police_lead)
    response = client.post(update_url(police_action), valid_post(police_action, version=version))
    assert response.status_code == 409
    assert not StatusUpdate.objects.exists()


# -- Update form: saving ----------------------------------------------------------------------------------------


def test_form_shows_radios_with_hints_character_count_and_date_input(client, police_lead, police_action):
    client.force_login(police_lead)
    body = client.get(update_url(police_action)).content.decode()
    assert "On track to deliver by the target date." in body
    assert "At risk: delivery by the target date needs attention." in body
    assert "Will not be delivered by the target date without intervention." in body
    assert 'data-module="govuk-character-count"' in body and 'data-maxlength="5000"' in body
    assert "govuk-date-input" in body
    for part in range(3):
        assert 'inputmode="numeric"' in body.split(f'name="revised_target_date_{part}"')[1].split(">")[0]
    assert 'name="version" value="1"' in body
    assert "maxlength" not in body.split('name="narrative"')[1].split(">")[0]


def test_lead_updates_and_sees_it_on_the_timeline_with_a_success_banner(client, police_lead, police_action):
    client.force_login(police_lead)
    with time_machine.travel(date(2022, 3, 1)):
        response = client.post(
            update_url(police_action),
            valid_post(
                police_action,
                rag="amber",
                narrative="Recruitment of trainers is behind.",
                evidence_url="https://example.org/minutes",
                revised_target_date_0="30",
                revised_target_date_1="9",
                revised_target_date_2="2022",
                revision_reason="Trainers recruited late.",
            ),
            follow=True,
        )
    assert response.redirect_chain == [(police_action.get_absolute_url(), 302)]
    body = response.content.decode()
    assert "govuk-notification-banner--success" in body
    assert "Status of action 1.1 updated" in body
    assert "confidence green to amber" in body
    assert "Recruitment of trainers is behind." in body
    assert "Target date revised from 31 March 2022 to 30 September 2022" in body
    assert 'href="https://example.org/minutes"' in body
    police_action.refresh_from_db()
    assert (police_action.rag, police_action.revised_target_date, police_action.version) == (
        "amber",
        date(2022, 9, 30),
        2,
    )


# -- Update form: bad input -------------------------------------------------------------------------------------

BAD_INPUT = [
    ("blank form", {"status": "", "rag": "", "narrative": ""}, "Select the status of the action"),
    ("no change and no narrative", {"narrative": "   "}, "Say what has happened since the last update"),
    (
        "worse confidence without narrative",
        {"rag": "red", "narrative": ""},
        "Explain why the delivery confidence has worsened",
    ),
    ("oversized narrative", {"narrative": "x" * 100_000}, "The narrative must be 5,000 characters or fewer"),
    ("HTML in narrative", {"narrative": "<b>Done</b>"}, "must not contain HTML"),
    ("script in narrative", {"narrative": "<script>alert(1)</script>"}, "must not contain HTML"),
    (
        "script in revision reason",
        {
            "revised_target_date_0": "1",
            "revised_target_date_1": "1",
            "revised_target_date_2": "2023",
            "revision_reason": "<script>x</script>",
        },
        "The reason must not contain HTML",
    ),
    ("javascript URL", {"evidence_url": "javascript:alert(1)"}, "Enter the evidence link as a web address"),
    ("HTML in link", {"evidence_url": 'https://example.org/"><script>alert(1)</script>'}, "must not contain spaces"),
    ("data URL", {"evidence_url": "data:text/html,<script>alert(1)</script>"}, "must not contain spaces"),
    ("oversized link", {"evidence_url": "https://example.org/" + "a" * 600}, "500 characters or fewer"),
    (
        "date year out of range",
        {
            "revised_target_date_0": "1",
            "revised_target_date_1": "1",
            "revised_target_date_2": "1800",
            "revision_reason": "Why",
        },
        "The year must be between 2000 and 2100",
    ),
    (
        "impossible date",
        {
            "revised_target_date_0": "31",
            "revised_target_date_1": "2",
            "revised_target_date_2": "2023",
            "revision_reason": "Why",
        },
        "must be a real date",
    ),
    (
        "month out of range",
        {
            "revised_target_date_0": "1",
            "revised_target_date_1": "13",
            "revised_target_date_2": "2023",
            "revision_reason": "Why",
        },
        "The month must be between 1 and 12",
    ),
    (
        "huge year",
        {
            "revised_target_date_0": "1",
            "revised_target_date_1": "1",
            "revised_target_date_2": "99999999999999999999",
            "revision_reason": "Why",
        },
        "must be a real date",
    ),
    (
        "letters in date",
        {
            "revised_target_date_0": "a",
            "revised_target_date_1": "b",
            "revised_target_date_2": "c",
            "revision_reason": "Why",
        },
        "must be a number",
    ),
    ("part of a date", {"revised_target_date_0": "1", "revision_reason": "Why"}, "must include a month and year"),
    (
        "revised date in the past",
        {
            "revised_target_date_0": "1",
            "revised_target_date_1": "1",
            "revised_target_date_2": "2021",
            "revision_reason": "Why",
        },
        "A revised target date must be today or later; to record that an action was delivered, mark it completed",
    ),
    (
        "revised date without reason",
        {"revised_target_date_0": "1", "revised_target_date_1": "1", "revised_target_date_2": "2023"},
        "Give the reason the target date is revised",
    ),
    ("unknown status", {"status": "finished"}, "Select a status"),
    ("unknown RAG", {"rag": "purple"}, "Select a delivery confidence"),
    ("unknown closed answer", {"status": "closed_bored", "narrative": "Stopped."}, "Select a status"),
    (
        "closed without a reason",
        {"status": "closed", "closure_reason": "withdrawn", "narrative": "Stopped."},
        "Select why the action is closed: superseded or withdrawn",
    ),
    ("missing version", {"version": ""}, "This form is out of date"),
    ("garbled version", {"version": "1; DROP TABLE"}, "This form is out of date"),
    ("negative version", {"version": "-1"}, "This form is out of date"),
    ("null character", {"narrative": "Done\x00"}, "The narrative contains a character that cannot be saved"),
    (
        "null character in reason",
        {
            "revised_target_date_0": "1",
            "revised_target_date_1": "1",
            "revised_target_date_2": "2023",
            "revision_reason": "Why\x00",
        },
        "The reason contains a character",
    ),
    ("control character in link", {"evidence_url": "https://example.org/\x07"}, "hidden characters"),
    (
        "right-to-left override in narrative",
        {"narrative": "Delivered \u202etxt.exe"},
        "The narrative contains an invisible character that changes the direction of the text",
    ),
    (
        "directional isolate in reason",
        {
            "revised_target_date_0": "1",
            "revised_target_date_1": "1",
            "revised_target_date_2": "2023",
            "revision_reason": "Supplier \u2067late\u2069",
        },
        "The reason contains an invisible character that changes the direction of the text",
    ),
]


@pytest.mark.parametrize("case, changes, message", BAD_INPUT, ids=[case for case, _, _ in BAD_INPUT])
def test_bad_input_gets_a_field_error_in_the_summary_and_stores_nothing(
    client, police_lead, police_action, case, changes, message
):
    client.force_login(police_lead)
    data = valid_post(police_action, **changes)
    if case == "missing version":
        del data["version"]

    response = client.post(update_url(police_action), data)

    assert response.status_code == 400
    body = response.content.decode()
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary
    assert "<title>Error: " in body
    assert "<script>alert" not in body
    assert not StatusUpdate.objects.exists()
    police_action.refresh_from_db()
    assert (police_action.version, police_action.rag, police_action.status) == (1, "green", "in_progress")
    assert police_action.revised_target_date is None


def test_every_mistake_is_listed_at_once_not_in_two_rounds(client, police_lead, police_action):
    client.force_login(police_lead)
    data = valid_post(
        police_action,
        status="completed",
        narrative="",
        evidence_url="javascript:alert(1)",
        revised_target_date_0="1",
    )

    response = client.post(update_url(police_action), data)

    assert response.status_code == 400
    summary = response.content.decode().split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert 'href="#id_evidence_url">Enter the evidence link as a web address' in summary
    assert 'href="#id_revised_target_date_0">The revised target date must include a month and year' in summary
    assert 'href="#id_narrative">Explain how the action was completed' in summary
    assert not StatusUpdate.objects.exists()


def test_stale_submission_is_told_what_changed_before_any_rule_judged_on_the_new_version(
    client, police_lead, cps_lead, joint_action
):
    # Seen green; meanwhile someone set amber. Judged on the new version, "amber, no narrative" changes nothing,
    # which would be a plain field error that hides the other update from the person.
    action_update_status(
        action=Action.objects.get(pk=joint_action.pk),
        by=cps_lead,
        status="in_progress",
        rag="amber",
        narrative="The supplier is two months late.",
        expected_version=1,
    )
    client.force_login(police_lead)
    data = valid_post(joint_action, status="in_progress", rag="amber", narrative="", version="1")

    response = client.post(update_url(joint_action), data)

    assert response.status_code == 409
    body = response.content.decode()
    assert '<a href="#changed-meanwhile">Someone else updated this action' in body
    form_start = body.index(f'<form method="post" action="{update_url(joint_action)}"')
    assert body.index("<h1") < body.index('id="changed-meanwhile"') < form_start
    assert "The supplier is two months late." in body
    assert 'name="version" value="2"' in body
    assert StatusUpdate.objects.filter(action=joint_action).count() == 1


def test_line_breaks_count_as_one_character_as_the_character_count_shows(client, police_lead, police_action):
    # The browser sends each line break as CR LF; the counter on the page counted it as one character.
    narrative = ("a" * 499 + "\r\n") * 10
    assert len(narrative) == 5010
    client.force_login(police_lead)

    response = client.post(update_url(police_action), valid_post(police_action, narrative=narrative))

    assert response.status_code == 302
    saved = StatusUpdate.objects.get().narrative
    assert "\r" not in saved and len(saved) == 4999  # the final line break is stripped


def test_a_field_with_its_own_error_is_not_given_a_second_one(client, police_lead, police_action):
    client.force_login(police_lead)
    data = valid_post(police_action, narrative="x" * 6000, rag="red")

    body = client.post(update_url(police_action), data).content.decode()

    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert summary.count('href="#id_narrative"') == 1
    assert "5,000 characters or fewer" in summary


@time_machine.travel(date(2026, 3, 20), tick=False)
def test_update_form_says_where_the_action_stands_with_relative_wording(client, police_lead, police_action):
    Action.objects.filter(pk=police_action.pk).update(
        start_date=date(2026, 1, 1), target_date=date(2026, 3, 8), status="in_progress", rag="amber"
    )
    client.force_login(police_lead)

    body = client.get(update_url(police_action)).content.decode()

    stands = body.split("Where the action stands now")[1].split("</dl>")[0]
    assert "In progress" in stands and "Amber" in stands
    assert "8 March 2026 (overdue by 12 days)" in stands


def test_update_form_for_a_closed_action_says_saving_reopens_it(client, admin_user, police_action):
    Action.objects.filter(pk=police_action.pk).update(status="closed", closure_reason="withdrawn")
    client.force_login(admin_user)

    body = client.get(update_url(police_action)).content.decode()

    assert "This action is closed (withdrawn). Saving an update reopens it" in body


def test_action_page_names_the_theme_as_elsewhere(client, board_member, police_action):
    client.force_login(board_member)
    body = client.get(police_action.get_absolute_url()).content.decode()
    summary = body.split('class="govuk-summary-list"')[1].split("</dl>")[0]
    assert ">Theme 1: Supporting victims</a>" in summary
    assert "1. Supporting victims" not in body


def test_text_with_angle_brackets_that_is_not_markup_is_saved_and_shown_escaped(client, police_lead, police_action):
    client.force_login(police_lead)
    response = client.post(
        update_url(police_action), valid_post(police_action, narrative="Cases < 5 & falling"), follow=True
    )
    assert "Cases &lt; 5 &amp; falling" in response.content.decode()
    assert StatusUpdate.objects.get().narrative == "Cases < 5 & falling"


def test_stale_version_is_refused_showing_what_changed_and_keeping_the_text(
    client, police_lead, cps_lead, joint_action
):
    action_update_status(
        action=Action.objects.get(pk=joint_action.pk),
        by=cps_lead,
        status="in_progress",
        rag="amber",
        narrative="CPS case files are late.",
        expected_version=1,
    )
    client.force_login(police_lead)
    mine = valid_post(joint_action, rag="red", narrative="Police training has stalled.", version="1")

    response = client.post(update_url(joint_action), mine)

    assert response.status_code == 409
    body = response.content.decode()
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "Someone else updated this action" in summary
    assert "What changed while you were writing" in body
    assert "confidence green to amber" in body
    assert "CPS case files are late." in body
    assert "by Carl Crown" in body
    assert "Police training has stalled." in body
    assert 'name="version" value="2"' in body
    assert StatusUpdate.objects.count() == 1

    resubmitted = client.post(update_url(joint_action), {**mine, "version": "2"})
    assert resubmitted.status_code == 302
    joint_action.refresh_from_db()
    assert (joint_action.version, joint_action.rag) == (3, "red")
    assert StatusUpdate.objects.count() == 2


def test_times_are_shown_the_govuk_way(client, board_member, police_lead, police_action):
    with time_machine.travel("2021-07-01 08:30:00+00:00"):
        StatusUpdateFactory(action=police_action, author=police_lead, version=2)
    client.force_login(board_member)
    body = client.get(police_action.get_absolute_url()).content.decode()
    assert "1 July 2021 at 9:30am" in body


def test_action_page_query_count_does_not_grow_with_timeline_mirrors_and_history(
    client,
    board_member,
    police_lead,
    police_force,
    cps_area,
    national_plan,
    police_action,
    django_assert_max_num_queries,
):
    client.force_login(board_member)
    StatusUpdateFactory(action=police_action, author=police_lead, version=2)
    with CaptureQueriesContext(connection) as few:
        client.get(police_action.get_absolute_url())

    for n in range(3, 23):
        StatusUpdateFactory(action=police_action, author=police_lead, version=n)
    for _ in range(5):
        local = LocalPlanFactory(mirrors=national_plan)
        ActionFactory(theme=ThemeFactory(plan=local, number=1), side=Side.POLICE, mirrors=police_action)
    for n in range(5):
        police_action.title = f"Reworded {n}"
        police_action.save()
    with django_assert_max_num_queries(len(few)):
        response = client.get(police_action.get_absolute_url())
    assert response.content.decode().count("moj-timeline__item") == 21


# -- Closing: each way of closing is an answer to the status question --------------------------------------------


def status_group(body: str) -> str:
    """The HTML of the status question."""
    return body.split('id="div_id_status"')[1].split('id="div_id_rag"')[0]


def status_inputs(body: str) -> list[str]:
    """Each radio of the status question, its attributes on one line."""
    group = status_group(body)
    return [" ".join(part.split(">")[0].split()) for part in group.split("<input")[1:]]


def test_status_question_offers_each_way_of_closing_as_an_answer_with_its_hint(client, police_lead, police_action):
    client.force_login(police_lead)
    body = client.get(update_url(police_action)).content.decode()

    group = status_group(body)
    inputs = status_inputs(body)
    values = [item.split('value="')[1].split('"')[0] for item in inputs]
    assert values == ["not_started", "in_progress", "completed", "closed_superseded", "closed_withdrawn"]
    assert [item.split('id="')[1].split('"')[0] for item in inputs] == [f"id_status_{n}" for n in range(1, 6)]
    labels = [" ".join(label.split(">", 1)[1].split("</label>")[0].split()) for label in group.split("<label")[1:]]
    assert labels == ["Not started", "In progress", "Completed", "Closed: superseded", "Closed: withdrawn"]
    assert 'id="id_status_4_hint" class="govuk-hint govuk-radios__hint">' in group
    assert "Another action carries this work forward." in group.split('id="id_status_4_hint"')[1].split("</span>")[0]
    assert "The work is no longer needed." in group.split('id="id_status_5_hint"')[1].split("</span>")[0]
    # Nothing is hidden inside an answer, so no radio controls, expands or reveals anything.
    form = body.split(f'<form method="post" action="{update_url(police_action)}"')[1].split("</form>")[0]
    for marker in ("aria-controls", "aria-expanded", "govuk-radios__conditional", 'name="closure_reason"'):
        assert marker not in form
    # The action is in progress: that answer is chosen, and only that one.
    assert [("checked" in item) for item in inputs] == [False, True, False, False, False]


@pytest.mark.parametrize("answer, reason", [("closed_superseded", "superseded"), ("closed_withdrawn", "withdrawn")])
def test_each_closed_answer_closes_the_action_with_its_reason(client, police_lead, police_action, answer, reason):
    client.force_login(police_lead)

    response = client.post(
        update_url(police_action), valid_post(police_action, status=answer, narrative="Replaced by 1.4."), follow=True
    )

    assert response.redirect_chain == [(police_action.get_absolute_url(), 302)]
    status_row = response.content.decode().split('<dt class="govuk-summary-list__key">Status</dt>')[1].split("</dd>")[0]
    assert re.sub(r"<[^>]+>", "", status_row).strip() == f"Closed ({reason})"
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason, police_action.version) == ("closed", reason, 2)
    update = StatusUpdate.objects.get()
    assert (update.status_from, update.status_to) == ("in_progress", "closed")


UNKNOWN_ANSWERS = [
    ("closed_bored", "Select a status"),
    ("closed_", "Select a status"),
    ("superseded", "Select a status"),
    ("Closed: withdrawn", "Select a status"),
    ("closed_withdrawn<script>alert(1)</script>", "Select a status"),
    # What a page opened before closing named its reason sends: asked again for the reason.
    ("closed", "Select why the action is closed: superseded or withdrawn"),
]


@pytest.mark.parametrize("answer, message", UNKNOWN_ANSWERS)
def test_an_unknown_status_answer_gets_a_clear_error_linked_to_the_question_and_saves_nothing(
    client, police_lead, police_action, answer, message
):
    client.force_login(police_lead)

    response = client.post(
        update_url(police_action),
        valid_post(police_action, status=answer, closure_reason="withdrawn", narrative="Stopped."),
    )

    assert response.status_code == 400
    body = response.content.decode()
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert f'href="#id_status_1">{message}</a>' in summary
    assert summary.count("<li>") == 1
    assert "govuk-form-group--error" in body.split('id="div_id_status"')[1].split(">")[0]
    assert message in status_group(body)
    assert "<script>alert" not in body
    assert not any("checked" in item for item in status_inputs(body))
    assert not StatusUpdate.objects.exists()
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason, police_action.version) == ("in_progress", "", 1)


def test_a_closed_answer_needs_a_narrative_like_closing_always_did(client, police_lead, police_action):
    client.force_login(police_lead)

    response = client.post(
        update_url(police_action), valid_post(police_action, status="closed_withdrawn", narrative="")
    )

    assert response.status_code == 400
    body = response.content.decode()
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert 'href="#id_narrative">Explain how the action was closed</a>' in summary
    # The answer given is kept.
    assert 'value="closed_withdrawn" checked' in " ".join(status_group(body).split())
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("reason", ["withdrawn", "bored", "<script>"])
def test_a_closure_reason_sent_beside_the_status_answer_is_ignored(client, police_lead, police_action, reason):
    # The form has no closure reason question of its own: one sent (or forged) beside the status answers nothing.
    client.force_login(police_lead)

    response = client.post(
        update_url(police_action),
        valid_post(
            police_action, status="completed", closure_reason=reason, narrative="Done and signed off by the board."
        ),
    )

    assert response.status_code == 302
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason) == ("completed", "")


def test_a_stale_closed_answer_comes_back_chosen_and_closes_the_action_when_saved_again(
    client, police_lead, cps_lead, joint_action
):
    action_update_status(
        action=Action.objects.get(pk=joint_action.pk),
        by=cps_lead,
        status="in_progress",
        rag="amber",
        narrative="CPS case files are late.",
        expected_version=1,
    )
    client.force_login(police_lead)
    mine = valid_post(joint_action, status="closed_superseded", narrative="Replaced by action 1.4.", version="1")

    response = client.post(update_url(joint_action), mine)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else updated this action" in body
    assert [("checked" in item) for item in status_inputs(body)] == [False, False, False, True, False]
    assert "Replaced by action 1.4." in body
    assert 'name="version" value="2"' in body

    resubmitted = client.post(update_url(joint_action), {**mine, "version": "2"})

    assert resubmitted.status_code == 302
    joint_action.refresh_from_db()
    assert (joint_action.status, joint_action.closure_reason, joint_action.version) == ("closed", "superseded", 3)


# -- Reopening a closed action ------------------------------------------------------------------------------------


def close(action, by) -> None:
    action_update_status(
        action=action,
        by=by,
        status="closed",
        rag="green",
        narrative="Withdrawn: the work is no longer needed.",
        closure_reason="withdrawn",
        expected_version=action.version,
    )


def test_admin_sees_reopen_action_on_a_closed_action_and_update_status_on_an_open_one(
    client, admin_user, police_lead, police_action, joint_action
):
    close(police_action, police_lead)
    client.force_login(admin_user)

    closed_page = client.get(police_action.get_absolute_url()).content.decode()
    header = closed_page.split('class="moj-page-header-actions"')[1].split("</div>\n</div>")[0]
    assert f'href="{update_url(police_action)}"' in header
    assert ">Reopen action</a>" in header
    assert "Update status" not in header

    open_page = client.get(joint_action.get_absolute_url()).content.decode()
    assert ">Update status</a>" in open_page
    assert "Reopen action" not in open_page


def test_form_for_a_closed_action_is_headed_and_submitted_as_reopen_action(
    client, admin_user, police_lead, police_action
):
    close(police_action, police_lead)
    client.force_login(admin_user)

    body = client.get(update_url(police_action)).content.decode()

    assert "<title>Reopen action 1.1" in body
    assert '<h1 class="govuk-heading-l">Reopen action</h1>' in body
    assert 'value="Reopen action"' in body
    assert 'value="Save update"' not in body
    # The way it was closed is the answer chosen.
    assert [("checked" in item) for item in status_inputs(body)] == [False, False, False, False, True]
    assert 'value="closed_withdrawn" checked' in " ".join(status_group(body).split())

    response = client.post(
        update_url(police_action),
        valid_post(police_action, status="in_progress", narrative="Board restarted it."),
        follow=True,
    )
    assert "Action 1.1 reopened" in response.content.decode()
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason) == ("in_progress", "")


def test_reopen_form_with_errors_keeps_its_heading_and_button(client, admin_user, police_lead, police_action):
    close(police_action, police_lead)
    client.force_login(admin_user)

    response = client.post(update_url(police_action), valid_post(police_action, status="closed_withdrawn"))

    assert response.status_code == 400
    body = response.content.decode()
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert 'href="#id_status_1">This action is closed: to update it, reopen it by choosing another status' in summary
    assert '<h1 class="govuk-heading-l">Reopen action</h1>' in body
    assert 'value="Reopen action"' in body


def test_open_action_form_still_says_update_status(client, admin_user, police_action):
    client.force_login(admin_user)
    body = client.get(update_url(police_action)).content.decode()
    assert '<h1 class="govuk-heading-l">Update status</h1>' in body
    assert 'value="Save update"' in body
    assert "Reopen action" not in body


# -- History of content edits: who ------------------------------------------------------------------------------


def who_cells(body: str) -> list[str]:
    table = body.split("History of changes to the action")[1].split("</table>")[0]
    rows = table.split('<tbody class="govuk-table__body">')[1].split("</tr>")[:-1]
    return [row.split('data-label="Who">')[1].split("</td>")[0].strip() for row in rows]


def test_content_edits_from_the_demo_data_say_so_instead_of_unknown(client, board_member):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", password="demo-horse-battery-staple", scale=1, stdout=StringIO())
    action = Action.objects.filter(plan__kind="national").order_by("reference_sort").first()
    client.force_login(board_member)

    body = client.get(action.get_absolute_url()).content.decode()

    assert who_cells(body) == ["Set up with the demo data"]


def test_content_edit_with_no_person_recorded_says_not_recorded(client, admin_user, board_member, police_action):
    police_action.title = "Reworded in a shell"
    police_action.save()  # no request, so nobody is recorded
    police_action.title = "Reworded by an admin"
    police_action._history_user = admin_user
    police_action.save()
    client.force_login(board_member)

    body = client.get(police_action.get_absolute_url()).content.decode()

    who = who_cells(body)
    # Newest first: the admin's edit, the shell's edit, then the records the test's factories made.
    assert who[0] == "Ada Admin"
    assert set(who[1:]) == {"Not recorded"} and len(who) >= 3
