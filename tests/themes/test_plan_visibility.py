"""Drafts are for admins: anyone else gets 404 for a draft plan and everything in it. Archived plans are read by
everyone and updated by nobody. Only published plans' actions take updates and get reminders."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Side, Status
from notifications.services import reminders_send
from tests.factories import ActionFactory, PlanFactory, ReviewCycleFactory, ThemeFactory
from themes.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(police_lead):
    plan = PlanFactory(title="Draft refresh of the plan", slug="draft-refresh", status=Plan.Status.DRAFT)
    theme = ThemeFactory(plan=plan, number=1, title="Supporting victims")
    action = ActionFactory(
        theme=theme, reference="1.1", title="Draft-only action", side=Side.POLICE, police_lead=police_lead
    )
    cycle = ReviewCycleFactory(plan=plan, name="Draft cycle")
    return plan, theme, action, cycle


@pytest.fixture
def archived(police_lead):
    plan = PlanFactory(title="The 2019 plan", slug="plan-2019", status=Plan.Status.ARCHIVED)
    theme = ThemeFactory(plan=plan, number=1, title="Supporting victims")
    action = ActionFactory(
        theme=theme, reference="1.1", title="Archived action", side=Side.POLICE, police_lead=police_lead
    )
    return plan, action


def pages_of(plan, action, cycle) -> list[str]:
    return [
        reverse("themes:plan", kwargs={"slug": plan.slug}),
        reverse("themes:theme", kwargs={"slug": plan.slug, "number": 1}),
        reverse("actions:detail", kwargs={"pk": action.pk}),
        reverse("actions:update", kwargs={"pk": action.pk}),
        reverse("reviews:detail", kwargs={"pk": cycle.pk}),
    ]


@pytest.mark.parametrize("person", ["police_lead", "board_member", "outsider"])
def test_a_draft_plan_and_everything_in_it_is_not_found_for_anyone_but_admins(client, draft, person, request):
    plan, _theme, action, cycle = draft
    user = request.getfixturevalue(person)
    client.force_login(user)
    for url in pages_of(plan, action, cycle):
        # A person with no role reads no review cycle at all (403) before the draft question arises.
        expected = 403 if url.startswith("/reviews/") and not user.reads_dashboards else 404
        assert client.get(url).status_code == expected, url


def test_admins_read_draft_plans(client, draft, admin_user):
    plan, _theme, action, cycle = draft
    client.force_login(admin_user)
    for url in pages_of(plan, action, cycle)[:3] + pages_of(plan, action, cycle)[4:]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Draft-only action" in client.get(reverse("themes:plan", kwargs={"slug": plan.slug})).content.decode()


def test_dashboard_board_pack_and_exports_do_not_show_a_draft_to_a_board_member(
    client, draft, national_plan, board_member, admin_user
):
    plan, *_ = draft
    client.force_login(board_member)
    dashboard = client.get(reverse("reviews:dashboard"), {"plan": plan.slug}).content.decode()
    assert "Draft refresh of the plan" not in dashboard
    assert national_plan.title in dashboard
    assert "Draft-only action" not in client.get(reverse("reviews:board_pack"), {"plan": plan.slug}).content.decode()
    export = client.get(reverse("reviews:export", kwargs={"fmt": "csv"}), {"plan": plan.slug})
    assert b"Draft-only action" not in export.content
    assert "Draft cycle" not in client.get(reverse("reviews:list")).content.decode()
    # The admin's copy of the dashboard is not the one served to the board member, nor the other way round.
    client.force_login(admin_user)
    assert "Draft refresh of the plan" in client.get(reverse("reviews:dashboard"), {"plan": plan.slug}).content.decode()
    client.force_login(board_member)
    dashboard = client.get(reverse("reviews:dashboard"), {"plan": plan.slug}).content.decode()
    assert "Draft refresh of the plan" not in dashboard


def test_my_actions_lists_only_actions_of_published_plans(client, draft, archived, police_action, police_lead):
    client.force_login(police_lead)
    body = client.get(reverse("actions:mine")).content.decode()
    assert "Police-only action" in body
    assert "Draft-only action" not in body
    assert "Archived action" not in body


@pytest.mark.parametrize("person", ["police_lead", "admin_user"])
def test_an_archived_plan_is_read_by_everyone_and_updated_by_nobody(client, archived, person, request):
    plan, action = archived
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("themes:plan", kwargs={"slug": plan.slug})).status_code == 200
    page = client.get(reverse("actions:detail", kwargs={"pk": action.pk})).content.decode()
    assert "Archived action" in page
    assert reverse("actions:update", kwargs={"pk": action.pk}) not in page
    update = reverse("actions:update", kwargs={"pk": action.pk})
    assert client.get(update).status_code == 403
    response = client.post(
        update, {"status": Status.COMPLETED, "rag": "green", "narrative": "Done.", "version": action.version}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS and not action.updates.exists()


def test_no_reminder_about_an_action_or_cycle_of_a_draft_or_archived_plan(draft, archived, police_lead):
    police_lead.email = "police.lead@example.org"
    police_lead.save()
    draft_plan, _theme, draft_action, cycle = draft
    _plan, archived_action = archived
    published = PlanFactory(title="Published plan", slug="published")
    overdue = ActionFactory(
        theme=ThemeFactory(plan=published, number=1),
        reference="1.1",
        title="Published overdue action",
        side=Side.POLICE,
        police_lead=police_lead,
    )
    # Every action is well past its target date, and the draft plan's cycle is open for updates.
    cycle.opens_on, cycle.updates_due_on, cycle.board_meeting_on = date(2022, 6, 1), date(2022, 6, 20), date(2022, 7, 1)
    cycle.save()
    result = reminders_send(as_of=date(2022, 6, 6))
    assert result.recorded >= 1
    about = {r.action_id for r in police_lead.reminders.all()}
    assert overdue.pk in about
    assert draft_action.pk not in about and archived_action.pk not in about
    assert not police_lead.reminders.filter(review_cycle=cycle).exists()
    assert len(mail.outbox) == 1
    assert "Draft-only action" not in mail.outbox[0].body and "Archived action" not in mail.outbox[0].body


@pytest.mark.parametrize("person", ["police_lead", "board_member", "outsider", "admin_user"])
def test_one_plan_and_the_queryset_agree_on_who_reads_it(draft, archived, national_plan, person, request):
    user = request.getfixturevalue(person)
    readable = set(Plan.objects.readable_by(user).values_list("pk", flat=True))
    assert {plan.pk for plan in Plan.objects.all() if plan.is_readable_by(user)} == readable
    assert national_plan.pk in readable and archived[0].pk in readable
    assert (draft[0].pk in readable) is user.is_admin
