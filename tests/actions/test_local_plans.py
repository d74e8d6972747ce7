"""Local plans made from the national plan: the copy, local additions, "not applicable locally", answering a change
of the national wording, the roll-up, and every refusal changing nothing and saying why."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from actionplan.models import User
from actions.admin import ActionAdmin
from actions.local_plans import (
    local_action_add,
    local_action_set_not_applicable,
    local_plan_create,
    national_change_accept,
    national_change_keep_local,
    national_wording_changed,
)
from actions.models import Action, ClosureReason, NationalChange, Side, Status
from actions.services import action_change_content
from actions.validation import accountability_problem
from tests.factories import ActionFactory, CpsAreaFactory, PoliceForceFactory, UserFactory
from themes.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(national_plan, police_action, joint_action, admin_user, board_member):
    """The national plan: 1.1 (police), 2.1 (joint), 2.2 (CPS, revised date), 3.1 closed, 4.1 completed."""
    national_plan.admins.add(admin_user)
    national_plan.board_members.add(board_member)
    ActionFactory(
        theme=national_plan.themes.get(number=2), reference="2.2", side=Side.CPS, title="CPS action",
        target_date=date(2022, 3, 31), revised_target_date=date(2022, 9, 30), revision_reason="Consultation",
    )  # fmt: skip
    ActionFactory(
        theme=national_plan.themes.get(number=3), reference="3.1", status=Status.CLOSED,
        closure_reason=ClosureReason.WITHDRAWN,
    )  # fmt: skip
    ActionFactory(
        theme=national_plan.themes.get(number=4), reference="4.1", status=Status.COMPLETED,
        completed_on=date(2022, 1, 1),
    )  # fmt: skip
    return national_plan


@pytest.fixture
def local_leads(police_force, cps_area):
    police = UserFactory(username="avon.lead", role=User.Role.LEAD, organisation=police_force)
    cps = UserFactory(username="sw.lead", role=User.Role.LEAD, organisation=cps_area)
    return police, cps


@pytest.fixture
def local(national, police_force, cps_area, admin_user, local_leads):
    police, cps = local_leads
    return local_plan_create(
        national=national, police_force=police_force, cps_area=cps_area, by=admin_user, police_lead=police, cps_lead=cps
    )


# -- Making a local plan ------------------------------------------------------------------------------------------


def test_a_local_plan_is_made_from_the_national_plan_in_one_step(local, national, local_leads, admin_user):
    police, cps = local_leads
    assert (local.kind, local.status, local.mirrors_id) == (Plan.Kind.LOCAL, Plan.Status.PUBLISHED, national.pk)
    assert local.title == "Avon and Somerset Constabulary and CPS South West joint RASSO action plan"
    assert [(t.number, t.title, t.mirrors.number) for t in local.themes.order_by("number")] == [
        (t.number, t.title, t.number) for t in national.themes.order_by("number")
    ]
    copies = {a.reference: a for a in local.actions.select_related("mirrors", "theme")}
    assert set(copies) == {"1.1", "2.1", "2.2", "4.1"}  # the closed national action is not copied
    for copy in copies.values():
        original = copy.mirrors
        assert (copy.title, copy.side, copy.status) == (original.title, original.side, Status.NOT_STARTED)
        assert copy.start_date == original.start_date
        assert copy.target_date == original.current_target_date  # the national dates, revised ones included
        assert copy.theme.mirrors_id == original.theme_id
    assert copies["2.2"].target_date == date(2022, 9, 30)
    assert (copies["1.1"].police_lead, copies["1.1"].cps_lead) == (police, None)
    assert (copies["2.1"].police_lead, copies["2.1"].cps_lead) == (police, cps)
    assert (copies["2.2"].police_lead, copies["2.2"].cps_lead) == (None, cps)
    assert list(copies["2.1"].lead_organisations.order_by("kind")) == [local.cps_area, local.police_force]
    assert admin_user in local.admins.all() and set(local.board_members.all()) == set(national.board_members.all())


def test_leads_can_be_assigned_later(national, admin_user):
    plan = local_plan_create(
        national=national, police_force=PoliceForceFactory(), cps_area=CpsAreaFactory(), by=admin_user, publish=False
    )
    assert plan.status == Plan.Status.DRAFT
    assert not plan.actions.filter(police_lead__isnull=False).exists()


@pytest.mark.parametrize("with_leads", [True, False], ids=["leads named", "leads to assign"])
def test_a_new_local_plan_meets_every_rule_the_admin_checks(national, police_force, cps_area, admin_user, with_leads):
    police, cps = (
        (
            UserFactory(role=User.Role.LEAD, organisation=police_force),
            UserFactory(role=User.Role.LEAD, organisation=cps_area),
        )
        if with_leads
        else (None, None)
    )
    local = local_plan_create(
        national=national, police_force=police_force, cps_area=cps_area, by=admin_user, police_lead=police, cps_lead=cps
    )
    local.full_clean()
    for theme in local.themes.select_related("mirrors__plan"):
        theme.full_clean()  # it mirrors a theme of the national plan its plan mirrors
        assert theme.mirrors.plan_id == national.pk
    for action in local.actions.prefetch_related("lead_organisations"):
        action.full_clean()  # the constraints with their messages, the leads' sides, the mirrored action's plan
        organisations = list(action.lead_organisations.all())
        assert (
            accountability_problem(
                side=action.side,
                police_lead=action.police_lead,
                cps_lead=action.cps_lead,
                lead_organisations=organisations,
            )
            is None
        )


def test_a_second_local_plan_for_the_same_pair_is_refused(local, national, police_force, cps_area, admin_user):
    with pytest.raises(ValidationError) as caught:
        local_plan_create(national=national, police_force=police_force, cps_area=cps_area, by=admin_user)
    assert caught.value.messages == [
        "Avon and Somerset Constabulary and CPS South West already have a local plan mirroring this plan: "
        f"“{local.title}”"
    ]
    assert Plan.objects.filter(kind=Plan.Kind.LOCAL).count() == 1


def test_wrong_kinds_and_leads_from_elsewhere_are_refused(national, police_force, cps_area, admin_user, local_leads):
    police, cps = local_leads
    other_lead = UserFactory(username="kent.lead", role=User.Role.LEAD, organisation=PoliceForceFactory(name="Kent"))
    with pytest.raises(ValidationError) as caught:
        local_plan_create(
            national=national, police_force=cps_area, cps_area=police_force, by=admin_user, police_lead=other_lead
        )
    errors = caught.value.message_dict
    assert errors["police_force"] == ["Choose a police force"]
    assert errors["cps_area"] == ["Choose a CPS Area"]
    assert errors["police_lead"] == ["Choose a lead of the police force, or none to assign later"]
    with pytest.raises(ValidationError) as caught:
        local_plan_create(
            national=national, police_force=police_force, cps_area=cps_area, by=admin_user, police_lead=other_lead
        )
    assert caught.value.message_dict == {"police_lead": ["Choose a lead of the police force, or none to assign later"]}
    assert not Plan.objects.filter(kind=Plan.Kind.LOCAL).exists()


def test_only_an_admin_makes_a_local_plan_from_a_published_national_plan(
    national, police_force, cps_area, board_member, police_lead, admin_user
):
    for person in (board_member, police_lead):
        with pytest.raises(PermissionDenied):
            local_plan_create(national=national, police_force=police_force, cps_area=cps_area, by=person)
    national.status = Plan.Status.DRAFT
    national.save()
    with pytest.raises(ValidationError, match="A local plan is made from a published national plan"):
        local_plan_create(national=national, police_force=police_force, cps_area=cps_area, by=admin_user)
    assert not Plan.objects.filter(kind=Plan.Kind.LOCAL).exists()


# -- Local additions and "not applicable locally" -----------------------------------------------------------------


def addition(local, admin_user, **changes):
    values = {
        "local_plan": local,
        "by": admin_user,
        "theme": local.themes.get(number=1),
        "title": "Set up a victim liaison panel",
        "side": Side.JOINT,
        "start_date": date(2022, 4, 1),
        "target_date": date(2023, 3, 31),
    }
    values.update(changes)
    return local_action_add(**values)


def test_local_additions_are_numbered_apart(local, admin_user):
    first, second = addition(local, admin_user), addition(local, admin_user, title="Another")
    assert (first.reference, second.reference, first.mirrors_id) == ("1.L1", "1.L2", None)
    assert list(first.lead_organisations.order_by("kind")) == [local.cps_area, local.police_force]


def test_a_local_addition_in_another_plans_theme_is_refused(local, national, admin_user, police_lead):
    with pytest.raises(ValidationError) as caught:
        addition(local, admin_user, theme=national.themes.get(number=1), title="")
    assert caught.value.message_dict == {"title": ["Enter the title"], "theme": ["Choose a theme of this local plan"]}
    with pytest.raises(PermissionDenied):
        addition(local, police_lead)
    assert not local.actions.filter(mirrors__isnull=True).exists()


def test_not_applicable_locally_needs_a_reason_and_a_mirrored_open_action(local, admin_user):
    copy = local.actions.get(reference="1.1")
    with pytest.raises(ValidationError) as caught:
        local_action_set_not_applicable(action=copy, by=admin_user, not_applicable=True, reason=" ")
    assert caught.value.message_dict == {"reason": ["Say why it does not apply here"]}
    local_action_set_not_applicable(action=copy, by=admin_user, not_applicable=True, reason="Done regionally")
    copy.refresh_from_db()
    assert (copy.not_applicable, copy.not_applicable_reason) == (True, "Done regionally")
    assert copy.history.filter(history_change_reason="Not applicable locally: Done regionally").exists()
    with pytest.raises(ValidationError, match="is a local addition"):
        local_action_set_not_applicable(
            action=addition(local, admin_user), by=admin_user, not_applicable=True, reason="x"
        )
    done = local.actions.get(reference="4.1")
    done.status, done.completed_on = Status.COMPLETED, date(2022, 5, 1)
    done.save()
    with pytest.raises(ValidationError, match="Action 4.1 is completed: only an open action can be not applicable"):
        local_action_set_not_applicable(action=done, by=admin_user, not_applicable=True, reason="x")
    local_action_set_not_applicable(action=copy, by=admin_user, not_applicable=False)
    copy.refresh_from_db()
    assert (copy.not_applicable, copy.not_applicable_reason) == (False, "")


# -- National wording changes -------------------------------------------------------------------------------------


def test_a_change_of_national_wording_marks_each_local_copy(local, national, admin_user):
    national_action = national.actions.get(reference="1.1")
    copy = local.actions.get(reference="1.1")
    copy.status = Status.IN_PROGRESS
    copy.save()
    action_change_content(action=national_action, by=admin_user, reason="Revision “2022 refresh”", title="New words")
    change = copy.national_changes.get()
    assert (change.title_before, change.title_after, change.answer) == ("Police-only action", "New words", "pending")
    assert change.source == "Revision “2022 refresh”"
    # A second change before the answer: one change awaits, from the first wording to the latest.
    action_change_content(action=national_action, by=admin_user, reason="Typo", title="Newer words")
    change = copy.national_changes.get()
    assert (change.title_before, change.title_after) == ("Police-only action", "Newer words")
    # Nothing else is marked; the copy's wording and status are left alone until answered.
    copy.refresh_from_db()
    assert (copy.title, copy.status) == ("Police-only action", Status.IN_PROGRESS)
    assert NationalChange.objects.count() == 1


def test_an_admin_edit_of_national_wording_marks_the_copies(local, national, admin_user):
    national_action = national.actions.get(reference="2.1")
    national_action.title = "Joint action, edited"
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    ActionAdmin(Action, AdminSite()).save_model(request, national_action, None, change=True)
    change = NationalChange.objects.get()
    assert (change.local_action.plan_id, change.title_after, change.source) == (
        local.pk,
        "Joint action, edited",
        "Changed by an admin",
    )


def test_the_local_lead_accepts_the_new_wording_and_the_status_stays(local, national, admin_user, local_leads):
    police, _ = local_leads
    copy = local.actions.get(reference="1.1")
    copy.status, copy.rag = Status.IN_PROGRESS, "amber"
    copy.save()
    [change] = national_wording_changed(
        national_action=_reworded(national, "1.1", "New words"), old_title="Police-only action", old_description="",
        by=admin_user, source="Revision",
    )  # fmt: skip
    national_change_accept(change=change, by=police)
    copy.refresh_from_db()
    assert (copy.title, copy.status, copy.rag) == ("New words", Status.IN_PROGRESS, "amber")
    change.refresh_from_db()
    assert (change.answer, change.answered_by) == ("accepted", police)
    with pytest.raises(ValidationError, match="This change was already answered on .*: new national wording accepted"):
        national_change_accept(change=change, by=police)


def test_keeping_the_local_wording_needs_a_reason(local, national, admin_user, local_leads):
    _, cps = local_leads
    [change] = national_wording_changed(
        national_action=_reworded(national, "2.2", "New CPS words"), old_title="CPS action", old_description="",
        by=admin_user, source="Revision",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        national_change_keep_local(change=change, by=cps, reason="")
    assert caught.value.message_dict == {"reason": ["Say why the local wording is kept"]}
    change.refresh_from_db()
    assert change.is_pending
    national_change_keep_local(change=change, by=cps, reason="Our wording names the local ISVA service.")
    change.refresh_from_db()
    assert (change.answer, change.reason) == ("kept", "Our wording names the local ISVA service.")
    assert local.actions.get(reference="2.2").title == "CPS action"


def test_only_the_local_lead_or_an_admin_answers(local, national, admin_user, board_member, local_leads):
    _, cps = local_leads
    [change] = national_wording_changed(
        national_action=_reworded(national, "1.1", "New words"), old_title="Police-only action", old_description="",
        by=admin_user, source="Revision",
    )  # fmt: skip
    # A lead of another force, the CPS Area's lead (on a police action) and a board member may not.
    elsewhere = UserFactory(username="kent.lead", role=User.Role.LEAD, organisation=PoliceForceFactory(name="Kent"))
    for person in (elsewhere, cps, board_member):
        with pytest.raises(PermissionDenied):
            national_change_accept(change=change, by=person)
    change.refresh_from_db()
    assert change.is_pending
    national_change_accept(change=change, by=admin_user)


def _reworded(national, reference: str, title: str) -> Action:
    action = national.actions.get(reference=reference)
    action.title = title
    action.save()
    return action


# -- Pages --------------------------------------------------------------------------------------------------------


def test_making_a_local_plan_through_the_page(client, admin_user, national, police_force, cps_area, local_leads):
    police, cps = local_leads
    client.force_login(admin_user)
    page = client.get(reverse("themes:plan", kwargs={"slug": "national"})).content.decode()
    assert "Make a local plan from this plan" in page
    url = reverse("themes:local_plan_new", kwargs={"slug": "national"})
    data = {
        "police_force": police_force.pk,
        "cps_area": cps_area.pk,
        "police_lead": police.pk,
        "cps_lead": cps.pk,
        "publish": "yes",
    }
    response = client.post(url, data)
    plan = Plan.objects.get(kind=Plan.Kind.LOCAL)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    again = client.post(url, data)
    assert again.status_code == 400
    assert "already have a local plan mirroring this plan" in again.content.decode()
    bad = client.post(url, {"police_force": cps_area.pk, "cps_area": "x", "publish": "maybe"})
    body = bad.content.decode()
    assert '<a href="#id_police_force">Choose a police force from the list</a>' in body
    assert "Choose a CPS Area from the list" in body and "Choose an answer" in body
    assert Plan.objects.filter(kind=Plan.Kind.LOCAL).count() == 1


def test_leads_and_board_cannot_make_local_plans(client, police_lead, board_member, national):
    for person in (police_lead, board_member):
        client.force_login(person)
        assert client.get(reverse("themes:local_plan_new", kwargs={"slug": "national"})).status_code == 403
        assert "Make a local plan" not in client.get(reverse("themes:home")).content.decode()


def test_local_plan_page_tags_additions_not_applicable_and_changed_copies(client, admin_user, local, national):
    addition(local, admin_user)
    local_action_set_not_applicable(
        action=local.actions.get(reference="2.1"), by=admin_user, not_applicable=True, reason="Regional"
    )
    action_change_content(action=national.actions.get(reference="1.1"), by=admin_user, reason="Edit", title="New")
    client.force_login(admin_user)
    body = client.get(local.get_absolute_url()).content.decode()
    assert re.search(r"Set up a victim liaison panel</a><br><strong[^>]*data-tag=\"local-addition\"", body)
    assert 'data-tag="not-applicable">Not applicable locally' in body
    assert 'data-tag="national-change">National action changed' in body
    assert "Add a local action" in body


def test_not_applicable_through_the_page(client, admin_user, police_lead, local):
    copy = local.actions.get(reference="1.1")
    url = reverse("actions:not_applicable", kwargs={"pk": copy.pk})
    client.force_login(police_lead)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert "Mark as not applicable locally" in client.get(copy.get_absolute_url()).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert '<a href="#id_reason">Say why it does not apply here</a>' in response.content.decode()
    assert client.post(url, {"reason": "Delivered by the regional unit"}).status_code == 302
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "data-not-applicable" in page and "Delivered by the regional unit" in page
    assert client.post(url, {"reason": "", "applies": "yes"}).status_code == 302
    copy.refresh_from_db()
    assert not copy.not_applicable


def test_answering_a_national_change_through_the_page(client, local, national, admin_user, local_leads, board_member):
    police, _ = local_leads
    action_change_content(action=national.actions.get(reference="1.1"), by=admin_user, reason="Edit", title="New")
    copy = local.actions.get(reference="1.1")
    url = reverse("actions:national_change", kwargs={"pk": copy.pk})
    client.force_login(board_member)
    page = client.get(url).content.decode()
    assert 'data-wording="title-before">Police-only action' in page and 'data-wording="title-after">New' in page
    assert "Use the new national wording</button>" not in page
    assert client.post(url, {"answer": "accept"}).status_code == 403
    client.force_login(police)
    assert "See the change and answer it" in client.get(copy.get_absolute_url()).content.decode()
    response = client.post(url, {"answer": "keep", "reason": ""})
    assert response.status_code == 400 and "Say why the local wording is kept" in response.content.decode()
    assert client.post(url, {"answer": "shrug"}).status_code == 400
    assert client.post(url, {"answer": "accept"}).status_code == 302
    copy.refresh_from_db()
    assert copy.title == "New"
    assert client.get(url).status_code == 404  # nothing awaits an answer now
    assert "new national wording accepted by" in client.get(copy.get_absolute_url()).content.decode()


def test_my_actions_tells_the_local_lead_of_a_national_change(client, local, national, admin_user, local_leads):
    police, _ = local_leads
    action_change_content(action=national.actions.get(reference="1.1"), by=admin_user, reason="Edit", title="New")
    client.force_login(police)
    body = client.get(reverse("actions:mine")).content.decode()
    row = body.split(f'href="{local.actions.get(reference="1.1").get_absolute_url()}"')[1].split("</tr>")[0]
    assert "National action changed" in row
