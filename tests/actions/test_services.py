"""The status update service: rules, audit record, review cycle link and the lost-update guards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from actionplan.append_only import AppendOnlyError
from actions.models import Action, StatusUpdate
from actions.services import StaleVersion, action_update_status
from tests.factories import ReviewCycleFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def update(action, by, **changes):
    values = {
        "status": action.status,
        "rag": action.rag,
        "narrative": "Progress as planned.",
        "evidence_url": "",
        "revised_target_date": None,
        "revision_reason": "",
        "closure_reason": "",
        "expected_version": action.version,
    }
    values.update(changes)
    return action_update_status(action=action, by=by, **values)


def test_lead_records_an_update_with_author_from_and_to(police_lead, police_action):
    result = update(
        police_action,
        police_lead,
        rag="amber",
        narrative="Training has been delayed by a month.",
        evidence_url="https://example.org/r",
    )

    police_action.refresh_from_db()
    assert (police_action.rag, police_action.version) == ("amber", 2)
    assert police_action.last_update_at is not None
    saved = StatusUpdate.objects.get()
    assert saved == result
    assert saved.author == police_lead
    assert (saved.status_from, saved.status_to, saved.rag_from, saved.rag_to) == (
        "in_progress",
        "in_progress",
        "green",
        "amber",
    )
    assert saved.narrative == "Training has been delayed by a month."
    assert saved.evidence_url == "https://example.org/r"
    assert saved.version == 2


def test_board_member_cannot_update_action(board_member, police_action):
    with pytest.raises(PermissionDenied):
        update(police_action, board_member)
    assert StatusUpdate.objects.count() == 0


def test_cps_lead_cannot_update_police_only_action(cps_lead, police_action):
    with pytest.raises(PermissionDenied):
        update(police_action, cps_lead)
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"rag": "red", "narrative": ""}, "narrative"),
        ({"status": "completed", "narrative": ""}, "narrative"),
        ({"status": "closed", "closure_reason": "withdrawn", "narrative": "  "}, "narrative"),
        ({"revised_target_date": date(2023, 3, 31), "revision_reason": "Funding", "narrative": ""}, "narrative"),
        ({"revised_target_date": date(2023, 3, 31), "revision_reason": ""}, "revision_reason"),
        ({"revised_target_date": date(2021, 1, 1), "revision_reason": "Earlier"}, "revised_target_date"),
        ({"revision_reason": "A reason with no date"}, "revised_target_date"),
        ({"status": "closed", "closure_reason": ""}, "closure_reason"),
        ({"status": "in_progress", "closure_reason": "withdrawn"}, "closure_reason"),
        ({"status": "finished"}, "status"),
        ({"rag": "purple"}, "rag"),
        ({"narrative": "x" * 5001}, "narrative"),
        ({"narrative": "<script>alert(1)</script>"}, "narrative"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"evidence_url": "https://example.org/<script>"}, "evidence_url"),
        ({"evidence_url": "ftp://example.org/file"}, "evidence_url"),
        ({"narrative": ""}, "narrative"),
    ],
)
def test_update_breaking_a_rule_is_refused_and_nothing_is_stored(police_lead, police_action, changes, field):
    with pytest.raises(ValidationError) as error:
        update(police_action, police_lead, **changes)

    assert field in error.value.message_dict
    police_action.refresh_from_db()
    assert (police_action.version, police_action.status, police_action.rag) == (1, "in_progress", "green")
    assert police_action.revised_target_date is None
    assert not StatusUpdate.objects.exists()


def test_improving_confidence_needs_no_narrative(police_lead, police_action):
    police_action.rag = "red"
    police_action.save()
    update(police_action, police_lead, rag="amber", narrative="")
    assert StatusUpdate.objects.get().rag_to == "amber"


def test_completing_sets_the_completion_date_and_reopening_clears_it(police_lead, police_action):
    with time_machine.travel(date(2022, 2, 14)):
        update(police_action, police_lead, status="completed", narrative="Delivered to every force in February.")
    police_action.refresh_from_db()
    assert police_action.completed_on == date(2022, 2, 14)

    update(police_action, police_lead, status="in_progress", narrative="Reopened: more to do.")
    police_action.refresh_from_db()
    assert police_action.completed_on is None
    assert police_action.status == "in_progress"


def test_revising_the_target_date_records_it_on_action_and_timeline(police_lead, police_action):
    with time_machine.travel(date(2022, 3, 1)):
        update(
            police_action,
            police_lead,
            revised_target_date=date(2023, 3, 31),
            revision_reason="Funding came late.",
            narrative="Funding for the training came six months late.",
        )
    police_action.refresh_from_db()
    assert police_action.revised_target_date == date(2023, 3, 31)
    assert police_action.revision_reason == "Funding came late."
    saved = StatusUpdate.objects.get()
    assert (saved.target_date_from, saved.target_date_to) == (date(2022, 3, 31), date(2023, 3, 31))
    assert saved.revision_reason == "Funding came late."


def test_closed_action_cannot_be_updated_by_a_lead(police_lead, police_action):
    update(police_action, police_lead, status="closed", closure_reason="superseded", narrative="Replaced by 1.4.")
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason) == ("closed", "superseded")

    with pytest.raises(PermissionDenied):
        update(police_action, police_lead, status="in_progress", narrative="Work has started again.")
    assert StatusUpdate.objects.count() == 1


def test_admin_reopens_closed_action(admin_user, police_lead, police_action):
    update(police_action, police_lead, status="closed", closure_reason="withdrawn", narrative="No longer needed.")
    police_action.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        update(police_action, admin_user, status="closed", closure_reason="withdrawn", narrative="Still closed.")
    assert "status" in error.value.message_dict

    update(police_action, admin_user, status="in_progress", narrative="Reopened at the board's request.")
    police_action.refresh_from_db()
    assert (police_action.status, police_action.closure_reason, police_action.version) == ("in_progress", "", 3)


def test_update_is_linked_to_the_review_cycle_whose_window_contains_today(police_lead, police_action, national_plan):
    ReviewCycleFactory(plan=national_plan, name="Q2", opens_on=date(2021, 6, 1), updates_due_on=date(2021, 6, 21))
    cycle = ReviewCycleFactory(
        plan=national_plan, name="Q3", opens_on=date(2021, 9, 1), updates_due_on=date(2021, 9, 21)
    )
    with time_machine.travel(date(2021, 9, 10)):
        in_window = update(police_action, police_lead, narrative="Update written in the window.")
    with time_machine.travel(date(2021, 9, 30)):
        out_of_window = update(police_action, police_lead, narrative="After the window.")
    assert in_window.review_cycle == cycle
    assert out_of_window.review_cycle is None


def test_update_from_an_old_version_is_refused_with_what_changed(police_lead, cps_lead, joint_action):
    stale_copy = Action.objects.get(pk=joint_action.pk)
    first = update(joint_action, cps_lead, rag="amber", narrative="CPS data is two weeks late.")

    with pytest.raises(StaleVersion) as stale:
        update(stale_copy, police_lead, rag="green", narrative="All is well with this action.", expected_version=1)

    assert stale.value.action.version == 2
    assert stale.value.action.rag == "amber"
    assert stale.value.updates_since == [first]
    assert StatusUpdate.objects.count() == 1
    joint_action.refresh_from_db()
    assert (joint_action.version, joint_action.rag) == (2, "amber")


def test_form_version_older_than_the_action_in_hand_is_refused(police_lead, police_action):
    update(police_action, police_lead, narrative="First update of the action.")
    police_action.refresh_from_db()
    with pytest.raises(StaleVersion):
        update(police_action, police_lead, narrative="Second update of the action.", expected_version=1)
    assert StatusUpdate.objects.count() == 1


def test_unique_version_of_status_updates_is_the_second_guard(police_lead, police_action):
    # A status update for version 2 already exists although the action still says version 1: the insert clashes,
    # the conditional update is rolled back with it, and the person is told.
    StatusUpdateFactory(action=police_action, author=police_lead, version=2)

    with pytest.raises(StaleVersion):
        update(police_action, police_lead, rag="amber", narrative="This update clashes with another.")

    police_action.refresh_from_db()
    assert (police_action.version, police_action.rag) == (1, "green")
    assert StatusUpdate.objects.count() == 1


def test_status_updates_are_append_only(police_lead, police_action):
    saved = update(police_action, police_lead, narrative="This update is kept for ever.")
    saved.narrative = "Rewritten."
    with pytest.raises(AppendOnlyError):
        saved.save()
    with pytest.raises(AppendOnlyError):
        saved.delete()


@pytest.mark.parametrize("field", ["narrative", "revision_reason"])
def test_control_characters_are_refused_by_the_service_not_left_to_the_database(police_lead, police_action, field):
    # PostgreSQL cannot store a NUL: an import or API call must get a field error, not a database error.
    texts = {"narrative": "Done", "revision_reason": "Late supplier"}
    texts[field] += "\x00"
    with pytest.raises(ValidationError) as error:
        action_update_status(
            action=police_action,
            by=police_lead,
            status="in_progress",
            rag="green",
            revised_target_date=police_action.target_date + timedelta(days=30),
            expected_version=police_action.version,
            **texts,
        )
    assert field in error.value.message_dict
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize(
    "character", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
@pytest.mark.parametrize("field", ["narrative", "revision_reason"])
def test_direction_changing_characters_are_refused_like_control_characters(
    police_lead, police_action, field, character
):
    texts = {"narrative": "Done", "revision_reason": "Late supplier"}
    texts[field] = f"Approved by {character}draob eht"
    with pytest.raises(ValidationError) as error:
        action_update_status(
            action=police_action,
            by=police_lead,
            status="in_progress",
            rag="green",
            revised_target_date=police_action.target_date + timedelta(days=30),
            expected_version=police_action.version,
            **texts,
        )
    assert "changes the direction of the text" in error.value.message_dict[field][0]
    assert not StatusUpdate.objects.exists()


def test_right_to_left_text_itself_is_welcome(police_lead, police_action):
    # Arabic and Hebrew need no override characters: the letters carry their own direction.
    saved = update(
        police_action, police_lead, narrative="Met the Urdu-speaking ISVA team: \u0634\u06a9\u0631\u06cc\u06c1"
    )
    assert saved.narrative.endswith("\u0634\u06a9\u0631\u06cc\u06c1")


def test_service_stores_line_breaks_as_lf(police_lead, police_action):
    update = action_update_status(
        action=police_action,
        by=police_lead,
        status="in_progress",
        rag="green",
        narrative="First line\r\nSecond line\rThird line",
        expected_version=police_action.version,
    )
    assert update.narrative == "First line\nSecond line\nThird line"
