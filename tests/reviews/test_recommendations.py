"""Inspection recommendations: their state from the actions answering them, links from either side, entry one by
one or as a pasted list, closing with evidence, and every refusal changing nothing and saying why."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ClosureReason, Side, Status
from actions.services import action_update_status
from reviews.models import FindingSource, Recommendation, RecommendationLink
from reviews.recommendation_selectors import recommendation_progress, recommendation_summary
from reviews.recommendations import (
    addressee_from_text,
    recommendation_close,
    recommendation_link,
    recommendation_reopen,
    recommendation_save,
    recommendation_unlink,
    recommendations_add_pasted,
    recommendations_parse,
    source_save,
)
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db
State = Recommendation.State


@pytest.fixture
def source(admin_user):
    return source_save(
        by=admin_user,
        title="Joint thematic inspection of the police and CPS response to rape, phase 1",
        short_title="Phase 1",
        publisher="HMICFRS and HMCPSI",
        published_on=date(2021, 7, 27),
    )


@pytest.fixture
def recommendation(source, admin_user):
    return recommendation_save(
        source=source, by=admin_user, number="1", text="Police and CPS should agree joint standards.", addressee="both"
    )


@pytest.fixture
def actions(national_plan):
    theme = national_plan.themes.get(number=2)
    return {
        # Police actions: an admin completes one directly (a joint one is proposed by one side, confirmed by the other).
        ref: ActionFactory(
            theme=theme, reference=ref, title=f"Action {ref}", status=Status.IN_PROGRESS, side=Side.POLICE
        )
        for ref in ("2.1", "2.2", "2.3")
    }


def state_of(recommendation) -> str:
    annotated = Recommendation.objects.with_progress().get(pk=recommendation.pk)
    progress = recommendation_progress(recommendation=recommendation)
    assert annotated.state == progress.state  # the database's rule and the one-object rule agree
    assert (annotated.planned, annotated.completed) == (progress.planned, progress.completed)
    return progress.state


def complete(action):
    action.refresh_from_db()
    action.status, action.completed_on = Status.COMPLETED, date(2022, 1, 1)
    action.save()


# -- States -------------------------------------------------------------------------------------------------------


def test_state_follows_the_linked_actions(recommendation, actions, admin_user):
    assert state_of(recommendation) == State.NOT_PLANNED
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    recommendation_link(recommendation=recommendation, action=actions["2.2"], by=admin_user)
    assert state_of(recommendation) == State.IN_PROGRESS
    complete(actions["2.1"])
    progress = recommendation_progress(recommendation=recommendation)
    assert progress.label == "In progress (1 of 2 completed)"
    complete(actions["2.2"])
    assert state_of(recommendation) == State.ADDRESSED
    assert recommendation_progress(recommendation=recommendation).label == "Addressed (awaiting evidence)"
    recommendation_close(recommendation=recommendation, by=admin_user, evidence="Standards published May 2022.")
    recommendation.refresh_from_db()
    assert state_of(recommendation) == State.CLOSED
    recommendation_reopen(recommendation=recommendation, by=admin_user)
    recommendation.refresh_from_db()
    assert state_of(recommendation) == State.ADDRESSED
    assert recommendation.history.filter(history_change_reason="Closed with evidence").exists()


def test_a_closed_action_does_not_plan_a_recommendation(recommendation, actions, admin_user):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    actions["2.1"].status, actions["2.1"].closure_reason = Status.CLOSED, ClosureReason.WITHDRAWN
    actions["2.1"].save()
    assert state_of(recommendation) == State.NOT_PLANNED


# -- Links --------------------------------------------------------------------------------------------------------


def test_linking_twice_is_refused(recommendation, actions, admin_user):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    with pytest.raises(ValidationError) as caught:
        recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    assert caught.value.messages == [
        "Recommendation 1 of Phase 1 is already linked to action 2.1 of Joint national action plan"
    ]
    assert RecommendationLink.objects.count() == 1


def test_linking_a_closed_action_names_its_successor(recommendation, actions, admin_user):
    old = actions["2.3"]
    old.status, old.closure_reason, old.superseded_by = Status.CLOSED, ClosureReason.SUPERSEDED, actions["2.1"]
    old.save()
    with pytest.raises(ValidationError) as caught:
        recommendation_link(recommendation=recommendation, action=old, by=admin_user)
    assert caught.value.messages == [
        "Action 2.3 is closed (superseded): link action 2.1, which carries its work forward"
    ]
    assert not RecommendationLink.objects.exists()


@pytest.mark.parametrize("who", ["board_member", "police_lead", "outsider"])
def test_only_an_admin_links_records_and_closes(request, recommendation, actions, source, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        recommendation_link(recommendation=recommendation, action=actions["2.1"], by=person)
    with pytest.raises(PermissionDenied):
        recommendation_save(source=source, by=person, number="2", text="x", addressee="cps")
    with pytest.raises(PermissionDenied):
        recommendation_close(recommendation=recommendation, by=person, evidence="x")
    with pytest.raises(PermissionDenied):
        source_save(by=person, title="Another")
    assert Recommendation.objects.count() == 1 and not RecommendationLink.objects.exists()


def test_unlinking_keeps_the_link_in_history(recommendation, actions, admin_user):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    recommendation_unlink(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    assert not RecommendationLink.objects.exists()
    assert RecommendationLink.history.filter(history_type="-").count() == 1
    with pytest.raises(ValidationError, match="is not linked to action 2.1: nothing to remove"):
        recommendation_unlink(recommendation=recommendation, action=actions["2.1"], by=admin_user)


# -- Closing ------------------------------------------------------------------------------------------------------


def test_closing_before_every_action_is_completed_is_refused(recommendation, actions, admin_user):
    with pytest.raises(ValidationError, match="cannot be closed yet: no action answering it is planned yet"):
        recommendation_close(recommendation=recommendation, by=admin_user, evidence="Done")
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    recommendation_link(recommendation=recommendation, action=actions["2.2"], by=admin_user)
    complete(actions["2.1"])
    with pytest.raises(ValidationError, match="cannot be closed yet: 1 of its 2 actions are completed"):
        recommendation_close(recommendation=recommendation, by=admin_user, evidence="Done")
    recommendation.refresh_from_db()
    assert recommendation.closed_at is None


def test_closing_needs_evidence_and_a_safe_link(recommendation, actions, admin_user):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    complete(actions["2.1"])
    with pytest.raises(ValidationError) as caught:
        recommendation_close(recommendation=recommendation, by=admin_user, evidence=" ", evidence_url="javascript:x")
    assert caught.value.message_dict == {
        "evidence": ["Describe the evidence that it is met"],
        "evidence_url": [
            "Enter the evidence link as a web address, for example https://sharepoint.example/sites/rasso/minutes"
        ],
    }
    recommendation.refresh_from_db()
    assert recommendation.closed_at is None


# -- Entry --------------------------------------------------------------------------------------------------------


def test_a_number_used_in_the_source_is_refused(recommendation, source, admin_user):
    with pytest.raises(ValidationError) as caught:
        recommendation_save(source=source, by=admin_user, number="1", text="Again", addressee="cps")
    assert caught.value.message_dict["number"] == ["Phase 1 already has a recommendation 1"]
    with pytest.raises(ValidationError) as caught:
        recommendation_save(source=source, by=admin_user, number="one", text="", addressee="judges")
    errors = caught.value.message_dict
    assert errors["number"] == ["The number must be digits, with a letter after them if the source uses one: 3 or 3a"]
    assert errors["text"] == ["Enter the text of the recommendation"]
    assert errors["addressee"] == ["Choose who the recommendation is addressed to"]


def test_a_source_title_is_recorded_once(source, admin_user):
    with pytest.raises(ValidationError) as caught:
        source_save(by=admin_user, title=source.title.upper())
    assert caught.value.message_dict["title"] == [f"“{source.title}” is already recorded"]


PASTED = """
1. Chief constables should make sure every rape investigation has a suspect-focused plan.
2) The CPS should give early advice in every suitable case.
Recommendation 3: Police and CPS should publish joint data.
4 - The Home Office should fund independent advisers.
"""


def test_a_pasted_list_is_read_line_by_line(source):
    parsed = recommendations_parse(source=source, text=PASTED, default_addressee="other")
    assert parsed.problems == []
    assert [(i.line, i.number, i.addressee) for i in parsed.items] == [
        (2, "1", "police"),
        (3, "2", "cps"),
        (4, "3", "both"),
        (5, "4", "other"),
    ]
    assert parsed.items[2].text == "Police and CPS should publish joint data."


def test_a_pasted_list_is_saved_whole_or_not_at_all(source, recommendation, admin_user):
    bad = "2. Fine.\nNo number here\n3. Also fine.\n3. Twice.\n1. Already there.\n5. <script>x</script>"
    parsed = recommendations_parse(source=source, text=bad, default_addressee="both")
    assert parsed.problems == [
        "Line 2 does not start with a number: start each recommendation with its number, "
        "for example “3. Chief constables should…”",
        "Line 4: number 3 is also on line 3",
        "Line 5: Phase 1 already has a recommendation 1",
        "Line 6: The recommendation must not contain HTML or other markup: remove the < > tags",
    ]
    with pytest.raises(ValidationError):
        recommendations_add_pasted(source=source, by=admin_user, text=bad, default_addressee="both")
    assert source.recommendations.count() == 1
    created = recommendations_add_pasted(
        source=source, by=admin_user, text="2. Fine.\n3. Also fine.", default_addressee="cps"
    )
    assert [(r.number, r.addressee) for r in created] == [("2", "cps"), ("3", "cps")]


def test_an_empty_paste_is_refused(source):
    assert recommendations_parse(source=source, text=" \n ", default_addressee="both").problems == [
        "Paste the recommendations, one per line, each starting with its number"
    ]


def test_addressee_from_the_words():
    assert addressee_from_text("Chief Crown Prosecutors should review...", default="other") == "cps"
    assert addressee_from_text("Forces and the CPS should...", default="other") == "both"
    assert addressee_from_text("The Ministry of Justice should...", default="both") == "both"


# -- Pages --------------------------------------------------------------------------------------------------------


def test_recommendation_page_shows_its_state_and_actions(client, board_member, recommendation, actions, admin_user):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    client.force_login(board_member)
    body = client.get(recommendation.get_absolute_url()).content.decode()
    assert 'data-state="in_progress">In progress (0 of 1 completed)</strong>' in body
    assert 'data-linked="2.1"' in body
    assert "Link the action" not in body and "Unlink" not in body
    response = client.post(recommendation.get_absolute_url(), {"action": actions["2.2"].pk})
    assert response.status_code == 403
    assert RecommendationLink.objects.count() == 1


def test_the_action_page_shows_the_recommendations_it_answers(
    client, board_member, recommendation, actions, admin_user
):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    client.force_login(board_member)
    body = client.get(actions["2.1"].get_absolute_url()).content.decode()
    assert f'data-answers="{recommendation.source_id}-1"' in body
    assert "Phase 1, recommendation 1</a>" in body


def test_admin_links_from_both_sides_and_mistakes_are_named(client, admin_user, recommendation, actions):
    client.force_login(admin_user)
    # From the recommendation's page.
    response = client.post(recommendation.get_absolute_url(), {"link": "yes", "action": actions["2.1"].pk})
    assert response.status_code == 302
    response = client.post(recommendation.get_absolute_url(), {"link": "yes", "action": "99999"})
    assert response.status_code == 400
    assert '<a href="#id_action">Choose an action from the list</a>' in response.content.decode()
    # From the action's side.
    url = reverse("reviews:action_recommendations", kwargs={"action_pk": actions["2.2"].pk})
    assert client.post(url, {"recommendation": recommendation.pk}).status_code == 302
    response = client.post(url, {"recommendation": recommendation.pk})
    assert response.status_code == 400
    assert "Choose a recommendation from the list" in response.content.decode()  # already linked: not offered
    assert set(recommendation.links.values_list("action__reference", flat=True)) == {"2.1", "2.2"}
    unlink = reverse("reviews:recommendation_unlink", kwargs={"pk": recommendation.pk, "action_pk": actions["2.2"].pk})
    response = client.post(unlink, {"back": "action"})
    assert response["Location"] == actions["2.2"].get_absolute_url()
    assert set(recommendation.links.values_list("action__reference", flat=True)) == {"2.1"}


def test_closing_through_the_page(client, admin_user, recommendation, actions):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    client.force_login(admin_user)
    assert "Close the recommendation" not in client.get(recommendation.get_absolute_url()).content.decode()
    response = client.post(recommendation.get_absolute_url(), {"close": "yes", "evidence": "Done"})
    assert response.status_code == 400
    assert "cannot be closed yet: 0 of its 1 actions are completed" in response.content.decode()
    complete(actions["2.1"])
    assert "Close the recommendation" in client.get(recommendation.get_absolute_url()).content.decode()
    response = client.post(recommendation.get_absolute_url(), {"close": "yes", "evidence": ""})
    assert '<a href="#id_evidence">Describe the evidence that it is met</a>' in response.content.decode()
    response = client.post(recommendation.get_absolute_url(), {"close": "yes", "evidence": "Published."})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.closure_evidence == "Published." and recommendation.closed_by == admin_user


def test_pasting_previews_then_saves(client, admin_user, source):
    client.force_login(admin_user)
    url = reverse("reviews:recommendation_paste", kwargs={"source_pk": source.pk})
    preview = client.post(url, {"text": PASTED, "default_addressee": "other", "preview": "yes"})
    body = preview.content.decode()
    assert preview.status_code == 200 and 'data-preview="4"' in body and "Save these recommendations" in body
    assert not source.recommendations.exists()
    bad = client.post(url, {"text": "1. x\nnope", "default_addressee": "other", "preview": "yes"})
    assert bad.status_code == 400 and "Line 2 does not start with a number" in bad.content.decode()
    assert 'name="save"' not in bad.content.decode()
    saved = client.post(url, {"text": PASTED, "default_addressee": "other", "save": "yes"})
    assert saved.status_code == 302
    assert list(source.recommendations.values_list("number", flat=True)) == ["1", "2", "3", "4"]


def test_adding_one_by_one_through_the_form(client, admin_user, source):
    client.force_login(admin_user)
    url = reverse("reviews:recommendation_add", kwargs={"source_pk": source.pk})
    response = client.post(url, {"number": "", "text": "", "addressee": "nobody"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose who the recommendation is addressed to" in body
    response = client.post(
        url, {"number": "3a", "text": "Forces should...", "addressee": "police", "due_on_0": "31", "due_on_1": "3",
              "due_on_2": "2022", "another": "yes"}
    )  # fmt: skip
    assert response["Location"] == url
    assert source.recommendations.get().due_on == date(2022, 3, 31)


def test_the_list_filters_and_names_bad_filters(client, board_member, source, recommendation, admin_user, actions):
    other = recommendation_save(source=source, by=admin_user, number="2", text="CPS...", addressee="cps")
    recommendation_link(recommendation=other, action=actions["2.1"], by=admin_user)
    client.force_login(board_member)
    url = reverse("reviews:recommendations")
    body = client.get(url, {"state": "in_progress"}).content.decode()
    assert f'data-recommendation="{source.pk}-2"' in body and f'data-recommendation="{source.pk}-1"' not in body
    body = client.get(url, {"addressee": "both"}).content.decode()
    assert f'data-recommendation="{source.pk}-1"' in body and f'data-recommendation="{source.pk}-2"' not in body
    response = client.get(url, {"state": "exploded", "source": "x", "addressee": "cps"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose a state from the list" in body and "Choose a source from the list" in body
    assert f'data-recommendation="{source.pk}-2"' in body and f'data-recommendation="{source.pk}-1"' not in body


def test_readers_only(client, outsider, recommendation):
    client.force_login(outsider)
    assert client.get(reverse("reviews:recommendations")).status_code == 403
    assert client.get(recommendation.get_absolute_url()).status_code == 403


# -- Dashboard and board pack -------------------------------------------------------------------------------------


def test_dashboard_and_board_pack_show_recommendations_by_state(client, board_member, source, admin_user, actions):
    early = timezone.make_aware(datetime(2022, 1, 10, 12))
    # The actions existed before the links were made.
    Action.objects.filter(pk__in=[a.pk for a in actions.values()]).update(created_at=early - timedelta(days=30))
    with time_machine.travel(early, tick=False):
        first = recommendation_save(source=source, by=admin_user, number="1", text="A", addressee="both")
        recommendation_save(source=source, by=admin_user, number="2", text="B", addressee="cps")
        recommendation_link(recommendation=first, action=actions["2.1"], by=admin_user)
    with time_machine.travel(early + timedelta(days=30), tick=False):
        action_update_status(
            action=actions["2.1"], by=admin_user, status=Status.COMPLETED, rag="green",
            narrative="Delivered to every force.", expected_version=actions["2.1"].version,
        )  # fmt: skip
    now = recommendation_summary()
    assert (now.totals[State.ADDRESSED], now.totals[State.NOT_PLANNED]) == (1, 1)
    then = recommendation_summary(moment=early + timedelta(days=1))
    assert (then.totals[State.IN_PROGRESS], then.totals[State.NOT_PLANNED]) == (1, 1)
    before = recommendation_summary(moment=early - timedelta(days=1))
    assert before.total == 0

    client.force_login(board_member)
    body = client.get(reverse("reviews:dashboard")).content.decode()
    assert f'data-figure="recommendations-{source.pk}-addressed"><a class="govuk-link"' in body
    assert 'data-figure="recommendations-all-not_planned">1</td>' in body
    pack = client.get(reverse("reviews:board_pack"), {"date": "2022-01-11"}).content.decode()
    assert 'data-figure="recommendations-all-in_progress">1</td>' in pack
    assert "In progress (0 of 1 completed)" in pack


def test_a_revision_carries_links_to_the_successor(recommendation, actions, admin_user, national_plan):
    from reviews.models import RevisionDecision
    from reviews.revisions import revision_decide, revision_publish, revision_start

    recommendation_link(recommendation=recommendation, action=actions["2.3"], by=admin_user)
    draft = revision_start(
        plan=national_plan, by=admin_user, name="Refresh", effective_on=date(2022, 5, 1), rationale="Findings"
    )
    revision_decide(
        revision=draft, action=actions["2.3"], by=admin_user, fate=RevisionDecision.Fate.MERGED,
        into_action=actions["2.1"], reason="One process",
    )  # fmt: skip
    revision_publish(revision=draft, by=admin_user)
    assert set(recommendation.links.values_list("action__reference", flat=True)) == {"2.1", "2.3"}
    assert state_of(recommendation) == State.IN_PROGRESS


def test_the_dashboard_cache_moves_when_a_link_is_removed(client, board_member, recommendation, actions, admin_user):
    recommendation_link(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    client.force_login(board_member)
    assert (
        'data-figure="recommendations-all-in_progress">1</td>'
        in client.get(reverse("reviews:dashboard")).content.decode()
    )
    recommendation_unlink(recommendation=recommendation, action=actions["2.1"], by=admin_user)
    assert (
        'data-figure="recommendations-all-not_planned">1</td>'
        in client.get(reverse("reviews:dashboard")).content.decode()
    )


def test_finding_source_kinds_are_checked(admin_user):
    with pytest.raises(ValidationError) as caught:
        source_save(by=admin_user, title="X", kind="rumour", url="ftp://x")
    assert caught.value.message_dict["kind"] == ["Choose whether the source is an inspection, a review or other"]
    assert caught.value.message_dict["url"] == [
        "Enter the web address, for example https://sharepoint.example/sites/rasso/minutes"
    ]
    assert not FindingSource.objects.exists()


def test_a_web_address_typed_without_its_scheme_is_kept_with_https(admin_user):
    source = source_save(by=admin_user, title="End-to-end review", url="gov.uk/government/publications/review")
    assert source.url == "https://gov.uk/government/publications/review"
