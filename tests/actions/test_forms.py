"""The status update form on its own: what each answer to the status question means for the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from actions.forms import STATUS_ANSWERS, StatusUpdateForm, status_choice
from actions.models import Action, ClosureReason, Status

pytestmark = pytest.mark.django_db


def form_for(action: Action, by, **changes) -> StatusUpdateForm:
    data = {
        "status": action.status,
        "rag": action.rag,
        "narrative": "Replaced by action 1.4.",
        "version": str(action.version),
        **changes,
    }
    return StatusUpdateForm(data, action=action, by=by)


def test_every_status_and_closure_reason_has_exactly_one_answer():
    meanings = set(STATUS_ANSWERS.values())
    open_or_done = {(status, "") for status in Status.values if status != Status.CLOSED}
    closed = {(Status.CLOSED, reason) for reason in ClosureReason.values}
    assert meanings == open_or_done | closed
    assert len(STATUS_ANSWERS) == len(meanings)


@pytest.mark.parametrize(
    "status, reason, answer",
    [
        ("not_started", "", "not_started"),
        ("in_progress", "", "in_progress"),
        ("completed", "", "completed"),
        ("closed", "superseded", "closed_superseded"),
        ("closed", "withdrawn", "closed_withdrawn"),
    ],
)
def test_an_action_is_shown_with_the_answer_that_means_its_status_and_reason(status, reason, answer):
    assert status_choice(status, reason) == answer
    assert STATUS_ANSWERS[answer] == (status, reason)


@pytest.mark.parametrize("answer, reason", [("closed_superseded", "superseded"), ("closed_withdrawn", "withdrawn")])
def test_a_closed_answer_gives_the_service_status_closed_and_its_reason(police_lead, police_action, answer, reason):
    form = form_for(police_action, police_lead, status=answer)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["status"], form.cleaned_data["closure_reason"]) == ("closed", reason)


def test_an_open_answer_gives_the_service_no_closure_reason(police_lead, police_action):
    form = form_for(police_action, police_lead, status="completed", closure_reason="withdrawn")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["status"], form.cleaned_data["closure_reason"]) == ("completed", "")


@pytest.mark.parametrize(
    "answer, message",
    [
        ("closed", "Select why the action is closed: superseded or withdrawn"),
        ("closed_bored", "Select a status"),
        ("withdrawn", "Select a status"),
    ],
)
def test_an_unknown_answer_is_an_error_on_the_status_question(police_lead, police_action, answer, message):
    form = form_for(police_action, police_lead, status=answer)

    assert not form.is_valid()
    assert form.errors["status"] == [message]
    assert form.error_links() == [("id_status_1", message)]


def test_a_service_error_about_the_closure_reason_is_shown_on_the_status_question(police_lead, police_action):
    form = form_for(police_action, police_lead, status="closed_withdrawn")
    assert form.is_valid(), form.errors

    form.add_rule_errors(ValidationError({"closure_reason": ["Select why the action is closed"]}))

    assert form.errors == {"status": ["Select why the action is closed"]}
    assert form.error_links() == [("id_status_1", "Select why the action is closed")]


def test_the_status_question_has_no_reveal_and_no_separate_closure_reason(police_lead, police_action):
    form = StatusUpdateForm(action=police_action, by=police_lead)

    assert "closure_reason" not in form.fields
    assert [label for _, label in form.fields["status"].choices] == [
        "Not started",
        "In progress",
        "Completed",
        "Closed: superseded",
        "Closed: withdrawn",
    ]
    assert [choice.hint for choice in form.fields["status"].choices][3:] == [
        "Another action carries this work forward.",
        "The work is no longer needed.",
    ]
