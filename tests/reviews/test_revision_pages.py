"""The revision pages: who sees what, the forms and their mistakes, publishing, and the plan as it stood."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from actionplan.models import User
from actions.models import Status
from reviews.models import Revision, RevisionDecision
from reviews.revisions import revision_decide, revision_publish, revision_start
from tests.reviews.test_revisions import (  # noqa: F401
    decide_everything,
    in_spring_2022,
    new_action,
    plan_actions,
    proposal_from,
)

pytestmark = pytest.mark.django_db
Fate = RevisionDecision.Fate


@pytest.fixture
def draft(national_plan, admin_user, plan_actions):  # noqa: F811
    return revision_start(
        plan=national_plan, by=admin_user, name="2022 refresh", effective_on=date(2022, 5, 1), rationale="Findings"
    )


@pytest.fixture
def published(draft, admin_user, plan_actions, national_plan):  # noqa: F811
    decide_everything(draft, admin_user, plan_actions, national_plan)
    revision_decide(
        revision=draft, action=plan_actions["1.1"], by=admin_user, fate=Fate.CHANGED, reason="Agreed",
        proposal=proposal_from(plan_actions["1.1"], title="Police-only action, refreshed", description="New text"),
    )  # fmt: skip
    return revision_publish(revision=draft, by=admin_user)


def test_board_member_reads_what_a_published_revision_did(client, board_member, published):
    client.force_login(board_member)
    body = client.get(reverse("reviews:revision", kwargs={"pk": published.pk})).content.decode()
    assert "2022 refresh" in body
    changed = body.split('id="report-changed"')[1].split("</section>")[0]
    assert 'data-side="before">Police-only action</td>' in changed
    assert 'data-side="after">Police-only action, refreshed</td>' in changed
    assert 'data-side="after">New text</td>' in changed
    assert "Merged into <a" in body and "One joint standard" in body
    assert "Superseded by <a" in body and "2.6 Adopt the national operating model" in body
    assert "Check and publish" not in body and "Decide" not in body


def test_a_draft_is_for_admins_only(client, board_member, police_lead, admin_user, draft):
    url = reverse("reviews:revision", kwargs={"pk": draft.pk})
    for person in (board_member, police_lead):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(admin_user)
    body = client.get(url).content.decode()
    assert "Check and publish" in body
    assert 'Decide<span class="govuk-visually-hidden"> the fate of action 2.3</span>' in body
    assert 'data-decision="2.4">' in body and "Stays in the record" in body


def test_nobody_without_a_role_reads_revisions(client, outsider, published):
    client.force_login(outsider)
    assert client.get(reverse("reviews:revisions")).status_code == 403
    assert client.get(reverse("reviews:revision", kwargs={"pk": published.pk})).status_code == 403


def test_leads_and_board_cannot_reach_the_forms(client, police_lead, board_member, draft, plan_actions):  # noqa: F811
    for person in (police_lead, board_member):
        client.force_login(person)
        assert client.get(reverse("reviews:revision_start")).status_code == 403
        assert client.post(reverse("reviews:revision_start"), {"name": "x"}).status_code == 403
        decide = reverse(
            "reviews:revision_decide_fate",
            kwargs={"pk": draft.pk, "action_pk": plan_actions["2.3"].pk, "fate": "withdrawn"},
        )
        assert client.post(decide, {"reason": "x"}).status_code == 404
        assert client.post(reverse("reviews:revision_publish", kwargs={"pk": draft.pk})).status_code == 404
    assert not draft.decisions.exists()


def test_admin_starts_a_revision_through_the_form(client, admin_user, national_plan):
    client.force_login(admin_user)
    page = client.get(reverse("reviews:revision_start") + "?plan=national").content.decode()
    assert f'<option value="{national_plan.pk}" selected>' in page
    response = client.post(
        reverse("reviews:revision_start"),
        {
            "plan": national_plan.pk,
            "name": "2022 refresh",
            "effective_on_0": "1",
            "effective_on_1": "5",
            "effective_on_2": "2022",
            "rationale": "Findings of the joint inspection",
        },
    )
    revision = Revision.objects.get()
    assert response.status_code == 302 and response["Location"] == revision.get_absolute_url()
    assert revision.effective_on == date(2022, 5, 1)


def test_start_form_mistakes_are_listed_and_linked(client, admin_user, national_plan):
    client.force_login(admin_user)
    response = client.post(
        reverse("reviews:revision_start"),
        {"plan": "99999", "name": "", "effective_on_0": "31", "effective_on_1": "2", "effective_on_2": "2022"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert '<a href="#id_plan">Choose a published plan</a>' in body
    assert '<a href="#id_effective_on_0">The effective date must be a real date</a>' in body
    assert not Revision.objects.exists()


def decide_url(draft, action, fate: str = "") -> str:
    if fate:
        return reverse("reviews:revision_decide_fate", kwargs={"pk": draft.pk, "action_pk": action.pk, "fate": fate})
    return reverse("reviews:revision_decide", kwargs={"pk": draft.pk, "action_pk": action.pk})


def test_deciding_a_fate_through_the_pages(client, admin_user, draft, plan_actions):  # noqa: F811
    client.force_login(admin_user)
    a23 = plan_actions["2.3"]
    page = client.get(decide_url(draft, a23)).content.decode()
    assert 'value="carried" aria-describedby="id_fate-carried-hint" checked' in page
    # Nothing is hidden inside an answer: no radio reveals anything.
    form = page.split('<form method="post"')[1].split("</form>")[0]
    assert "aria-controls" not in form and "govuk-radios__conditional" not in form
    response = client.post(decide_url(draft, a23), {"fate": "withdrawn"})
    assert response.status_code == 302 and response["Location"] == decide_url(draft, a23, "withdrawn")
    assert "Reason" in client.get(response["Location"]).content.decode()
    response = client.post(decide_url(draft, a23, "withdrawn"), {"reason": "Work moved to the MoJ"})
    assert response.status_code == 302
    decision = draft.decisions.get()
    assert (decision.fate, decision.reason) == ("withdrawn", "Work moved to the MoJ")
    # Carried forward unchanged is saved from the first question and undoes the decision.
    assert client.post(decide_url(draft, a23), {"fate": "carried"}).status_code == 302
    assert not draft.decisions.exists()


def test_decision_form_mistakes(client, admin_user, draft, plan_actions):  # noqa: F811
    client.force_login(admin_user)
    a23 = plan_actions["2.3"]
    body = client.post(decide_url(draft, a23), {"fate": "exploded"}).content.decode()
    assert '<a href="#id_fate">Choose a fate</a>' in body
    body = client.post(decide_url(draft, a23, "merged"), {"reason": ""}).content.decode()
    assert '<a href="#id_merge_into">Choose the action it is merged into</a>' in body
    assert '<a href="#id_reason">Give the reason for merging the action</a>' in body
    body = client.post(decide_url(draft, a23, "merged"), {"merge_into": "abc", "reason": "x"}).content.decode()
    assert "Choose an open action of this plan from the list" in body
    body = client.post(decide_url(draft, a23, "superseded"), {"superseded_by": "new-abc", "reason": "x"}).content
    assert "Choose an action from the list" in body.decode()
    assert client.get(decide_url(draft, a23, "exploded")).status_code == 404
    assert client.get(decide_url(draft, a23, "added")).status_code == 404
    response = client.post(
        decide_url(draft, a23, "changed"),
        {
            "theme": a23.theme_id,
            "title": "",
            "side": "cps",
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2021",
            "target_date_0": "1",
            "target_date_1": "13",
            "target_date_2": "2022",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    # Every mistake at once: the date's own and the rules' (the title).
    assert '<a href="#id_target_date_0">The month of the target date must be between 1 and 12</a>' in body
    assert '<a href="#id_title">Enter the title</a>' in body
    assert not draft.decisions.exists()


def test_a_closed_action_has_no_decision_page(client, admin_user, draft, plan_actions):  # noqa: F811
    client.force_login(admin_user)
    url = reverse("reviews:revision_decide", kwargs={"pk": draft.pk, "action_pk": plan_actions["2.5"].pk})
    assert client.get(url).status_code == 404
    for pk in (10**20, 2**31):
        assert client.get(reverse("reviews:revision", kwargs={"pk": pk})).status_code == 404


def test_adding_an_action_through_the_form_and_removing_it(client, admin_user, draft, national_plan):
    client.force_login(admin_user)
    url = reverse("reviews:revision_add", kwargs={"pk": draft.pk})
    data = {
        "theme": national_plan.themes.get(number=2).pk,
        "title": "Adopt the national operating model",
        "side": "police",
        "police_lead": User.objects.get(username="police.lead").pk,
        "start_date_0": "1",
        "start_date_1": "5",
        "start_date_2": "2022",
        "target_date_0": "31",
        "target_date_1": "3",
        "target_date_2": "2023",
    }
    assert client.post(url, {**data, "reference": "2.1"}).status_code == 400
    assert client.post(url, data).status_code == 302
    decision = draft.decisions.get()
    page = client.get(reverse("reviews:revision", kwargs={"pk": draft.pk})).content.decode()
    assert "2.6 <span" in page  # the next free reference, shown as provisional
    remove = reverse("reviews:revision_remove", kwargs={"pk": draft.pk, "decision_pk": decision.pk})
    assert client.post(remove).status_code == 302
    assert not draft.decisions.exists()


def test_publishing_through_the_pages(client, admin_user, draft, plan_actions, national_plan):  # noqa: F811
    client.force_login(admin_user)
    url = reverse("reviews:revision_publish", kwargs={"pk": draft.pk})
    response = client.post(url)
    assert response.status_code == 400
    assert "This revision decides nothing yet" in response.content.decode()
    decide_everything(draft, admin_user, plan_actions, national_plan)
    page = client.get(url).content.decode()
    assert "Publish the revision" in page and "Superseded by new action 2.6" in page
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft
    assert national_plan.actions.get(reference="2.3").status == Status.CLOSED
    again = client.post(url)
    assert again.status_code == 400
    assert "a published revision cannot be changed" in again.content.decode()


def test_the_plan_before_and_after_a_revision(client, board_member, published):
    client.force_login(board_member)
    before = client.get(reverse("reviews:revision_plan", kwargs={"pk": published.pk, "which": "before"}))
    after = client.get(reverse("reviews:revision_plan", kwargs={"pk": published.pk, "which": "after"}))
    assert before.status_code == after.status_code == 200
    assert (
        '<span class="govuk-!-font-weight-bold" data-wording="title">Police-only action</span>'
        in before.content.decode()
    )
    assert 'data-wording="title">Police-only action, refreshed</span>' in after.content.decode()
    assert 'data-reference="2.6"' in after.content.decode() and 'data-reference="2.6"' not in before.content.decode()
    assert client.get(f"/reviews/revisions/{published.pk}/plan/sideways/").status_code == 404


def test_the_action_page_says_what_revisions_did(client, board_member, published, plan_actions):  # noqa: F811
    client.force_login(board_member)
    merged = client.get(plan_actions["2.2"].get_absolute_url()).content.decode()
    assert "merged this action into" in merged and "2.1 Joint action" in merged
    target = client.get(plan_actions["2.1"].get_absolute_url()).content.decode()
    assert "merged action <a" in target and "2.2 Agree file quality standards</a> into this one" in target
    plan = client.get(reverse("themes:plan", kwargs={"slug": "national"})).content.decode()
    assert "2022 refresh</a>, effective 1 May 2022" in plan
