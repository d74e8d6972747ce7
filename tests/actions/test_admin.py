"""The admin edits an action's content within one plan, offering only that plan's choices; its progress changes
only through status updates."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from actionplan.models import Organisation, User
from actions.admin import ActionAdmin
from actions.models import Action
from actions.services import action_update_status
from tests.admin_support import admin_form_data, page_errors
from tests.factories import (
    ActionFactory,
    CpsAreaFactory,
    LocalPlanFactory,
    OrganisationFactory,
    PoliceForceFactory,
    PoliceLeadFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_content_edit_does_not_overwrite_a_status_update_saved_meanwhile(admin_user, police_lead, police_action):
    loaded_by_admin = Action.objects.get(pk=police_action.pk)
    action_update_status(
        action=police_action,
        by=police_lead,
        status="in_progress",
        rag="red",
        narrative="Stalled for want of trainers.",
        expected_version=1,
    )

    loaded_by_admin.title = "Reworded title"
    request = RequestFactory().post("/")
    request.user = admin_user
    ActionAdmin(Action, site).save_model(request, loaded_by_admin, form=None, change=True)

    police_action.refresh_from_db()
    assert police_action.title == "Reworded title"
    assert (police_action.rag, police_action.version) == ("red", 2)


def test_admin_content_edit_is_recorded_in_the_history_with_its_author(client, admin_user, police_action):
    client.force_login(admin_user)
    url = reverse("admin:actions_action_change", args=[police_action.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["lead_organisations"] = [o.pk for o in police_action.lead_organisations.all()]
    data["title"] = "Police-only action, reworded"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    police_action.refresh_from_db()
    assert police_action.title == "Police-only action, reworded"
    latest = police_action.history.first()
    assert latest.history_user == admin_user
    body = client.get(police_action.get_absolute_url()).content.decode()
    assert "Title: Police-only action to Police-only action, reworded" in body


# -- The action form: one plan's choices, each named with its plan ------------------------------------------------

ADD_URL = reverse("admin:actions_action_add")


def change_url(action) -> str:
    return reverse("admin:actions_action_change", args=[action.pk])


@pytest.fixture
def local_plans(national_plan):
    """Three local plans, each with a "1. Supporting victims" mirroring the national one, and a local action."""
    plans = []
    for number, name in enumerate(["Avon and Somerset", "Greater Manchester", "West Yorkshire"], start=1):
        plan = LocalPlanFactory(mirrors=national_plan, title=f"{name} joint action plan", slug=f"local-{number}")
        theme = ThemeFactory(
            plan=plan, number=1, title="Supporting victims", mirrors=national_plan.themes.get(number=1)
        )
        ActionFactory(theme=theme, reference="1.1", title=f"{name} ISVA service")
        plans.append(plan)
    return plans


def options(response, name: str) -> list[str]:
    """The labels of a select's choices on the page, without the empty one."""
    form = response.context["adminform"].form
    return [str(label) for value, label in form.fields[name].choices if value != ""]


def test_adding_an_action_without_a_plan_asks_for_the_plan_first(client, admin_user, national_plan, local_plans):
    client.force_login(admin_user)

    response = client.get(ADD_URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose the plan of the new action" in body
    assert f'<option value="{national_plan.pk}">Joint national action plan (national, published)</option>' in body
    assert "Avon and Somerset joint action plan (local, published)" in body
    assert 'name="theme"' not in body


@pytest.mark.parametrize("given", ["", "abc", "999999", "1; DROP TABLE", "-1", "9" * 40])
def test_a_plan_that_is_missing_or_unknown_is_asked_for_again_with_a_message(client, admin_user, national_plan, given):
    client.force_login(admin_user)

    response = client.get(ADD_URL, {"plan": given})

    assert response.status_code == 200
    assert "Choose a plan from the list" in response.content.decode()
    assert not Action.objects.exists()


def test_plan_page_links_to_adding_an_action_to_that_plan(client, admin_user, local_plans):
    client.force_login(admin_user)
    plan = local_plans[0]

    body = client.get(reverse("admin:themes_plan_change", args=[plan.pk])).content.decode()

    assert f'href="{ADD_URL}?plan={plan.pk}"' in body
    assert "Add an action to this plan" in body


def test_action_form_offers_only_the_plans_themes_each_named_with_its_plan(
    client, admin_user, national_plan, local_plans
):
    client.force_login(admin_user)

    national = client.get(ADD_URL, {"plan": national_plan.pk})
    local = client.get(ADD_URL, {"plan": local_plans[1].pk})

    assert options(national, "theme") == [
        "Joint national action plan: 1. Supporting victims",
        "Joint national action plan: 2. Casework quality",
        "Joint national action plan: 3. Right to privacy",
        "Joint national action plan: 4. Training",
        "Joint national action plan: 5. Collaboration",
    ]
    assert options(local, "theme") == ["Greater Manchester joint action plan: 1. Supporting victims"]
    # The plan is fixed: shown read-only, linking to its page.
    readonly_plan = local.content.decode().split('class="form-row field-plan"')[1].split('<div class="readonly">')[1]
    plan = local_plans[1]
    assert readonly_plan.startswith(
        f'<a href="/admin/themes/plan/{plan.pk}/change/">Greater Manchester joint action plan'
    )


def test_local_action_may_mirror_only_the_national_plans_actions(
    client, admin_user, national_plan, local_plans, police_action
):
    client.force_login(admin_user)

    local = client.get(ADD_URL, {"plan": local_plans[0].pk})
    national = client.get(ADD_URL, {"plan": national_plan.pk})

    assert options(local, "mirrors") == ["Joint national action plan: 1.1 Police-only action"]
    assert options(national, "mirrors") == []
    assert "An action of a national plan mirrors no other action: leave this empty." in national.content.decode()


def test_lead_pickers_offer_only_active_leads_of_that_side(
    client, admin_user, board_member, outsider, police_lead, cps_lead, national_plan
):
    PoliceLeadFactory(username="gone", first_name="Gina", last_name="Gone", is_active=False)
    UserFactory(username="police.board", first_name="Pat", last_name="Board", role=User.Role.BOARD,
                organisation=police_lead.organisation)  # fmt: skip
    UserFactory(username="police.admin", first_name="Alex", last_name="Admin", role=User.Role.ADMIN,
                organisation=police_lead.organisation)  # fmt: skip
    UserFactory(username="home.lead", first_name="Hal", last_name="Home", role=User.Role.LEAD,
                organisation=OrganisationFactory(name="Home Office"))  # fmt: skip
    client.force_login(admin_user)

    response = client.get(ADD_URL, {"plan": national_plan.pk})

    assert options(response, "police_lead") == ["Paula Police (Avon and Somerset)"]
    assert options(response, "cps_lead") == ["Carl Crown (South West)"]


def new_action_data(response, **changes) -> dict:
    defaults = {
        "reference": "1.9",
        "title": "Publish the ISVA framework",
        "side": "joint",
        "start_date": "2021-04-01",
        "target_date": "2022-03-31",
        "status": "not_started",
        "rag": "green",
    }
    return admin_form_data(response, **{**defaults, **changes})


def test_an_action_is_added_to_the_fixed_plan_without_javascript(
    client, admin_user, national_plan, local_plans, police_lead, police_force
):
    client.force_login(admin_user)
    plan = local_plans[0]
    page = client.get(ADD_URL, {"plan": plan.pk})
    theme = plan.themes.get()

    response = client.post(
        f"{ADD_URL}?plan={plan.pk}",
        new_action_data(page, theme=theme.pk, police_lead=police_lead.pk, plan=national_plan.pk, _addanother="1"),
    )

    assert response.status_code == 302, page_errors(response)
    assert response["Location"] == f"{ADD_URL}?plan={plan.pk}"  # the next one goes into the same plan
    action = Action.objects.get(reference="1.9")
    assert (action.plan, action.theme) == (plan, theme)  # a plan sent in the form is ignored


def test_a_theme_of_another_plan_is_refused(client, admin_user, national_plan, local_plans, police_lead):
    client.force_login(admin_user)
    page = client.get(ADD_URL, {"plan": local_plans[0].pk})
    other_theme = local_plans[1].themes.get()

    response = client.post(
        f"{ADD_URL}?plan={local_plans[0].pk}", new_action_data(page, theme=other_theme.pk, police_lead=police_lead.pk)
    )

    assert response.status_code == 200
    assert page_errors(response) == ["Choose a theme of Avon and Somerset joint action plan from the list"]
    assert not Action.objects.filter(reference="1.9").exists()


def test_editing_an_action_keeps_its_plan_and_offers_its_plans_choices(
    client, admin_user, national_plan, local_plans, police_action
):
    client.force_login(admin_user)
    local_action = Action.objects.get(plan=local_plans[2])

    page = client.get(change_url(local_action))

    assert options(page, "theme") == ["West Yorkshire joint action plan: 1. Supporting victims"]
    assert options(page, "mirrors") == ["Joint national action plan: 1.1 Police-only action"]
    assert "plan" not in page.context["adminform"].form.fields


@pytest.mark.parametrize(
    "who, message",
    [
        ("board", "Bea Board is a board member, not a lead"),
        ("admin", "Ada Admin is an admin, not a lead"),
    ],
)
def test_an_admin_or_board_member_posted_as_lead_is_refused(
    client, admin_user, board_member, national_plan, police_force, who, message
):
    person = board_member if who == "board" else admin_user
    person.organisation = police_force
    person.save()
    client.force_login(admin_user)
    page = client.get(ADD_URL, {"plan": national_plan.pk})

    response = client.post(
        f"{ADD_URL}?plan={national_plan.pk}",
        new_action_data(page, theme=national_plan.themes.first().pk, police_lead=person.pk),
    )

    assert page_errors(response) == [
        "Choose a police lead from the list: a person with the lead role in a police organisation"
    ]
    assert not Action.objects.filter(reference="1.9").exists()


def test_a_lead_who_has_since_lost_the_lead_role_stays_on_offer_and_the_refusal_names_them(
    client, admin_user, police_action, police_lead
):
    police_lead.role = User.Role.BOARD
    police_lead.save()
    client.force_login(admin_user)
    page = client.get(change_url(police_action))
    assert options(page, "police_lead") == ["Paula Police (Avon and Somerset)"]  # never dropped unseen

    response = client.post(change_url(police_action), admin_form_data(page, title="Reworded"))

    assert page_errors(response) == [
        "Paula Police is a board member, not a lead: choose a person with the lead role, "
        "or give Paula Police the lead role in Users first"
    ]
    police_action.refresh_from_db()
    assert police_action.title == "Police-only action"


@pytest.mark.parametrize(
    "side, organisations, saved",
    [
        ("joint", [], False),
        ("joint", ["Home Office"], False),
        ("police", ["CPS South West"], False),
        ("cps", [], False),
        ("joint", ["Avon and Somerset Constabulary"], True),
        ("cps", ["CPS South West"], True),
    ],
)
def test_an_action_nobody_is_accountable_for_is_refused(
    client, admin_user, national_plan, police_force, cps_area, side, organisations, saved
):
    OrganisationFactory(name="Home Office")
    client.force_login(admin_user)
    page = client.get(ADD_URL, {"plan": national_plan.pk})
    chosen = [Organisation.objects.get(name=name).pk for name in organisations]

    response = client.post(
        f"{ADD_URL}?plan={national_plan.pk}",
        new_action_data(page, theme=national_plan.themes.first().pk, side=side, lead_organisations=chosen or None),
    )

    assert Action.objects.filter(reference="1.9").exists() == saved
    if not saved:
        messages = page_errors(response)
        assert len(messages) == 1
        assert messages[0].endswith("so that someone sees this action in My actions and can update it")
        assert messages[0].startswith({"joint": "Name a police lead or a CPS lead", "police": "Name a police lead",
                                       "cps": "Name a CPS lead"}[side])  # fmt: skip


CLOSURE_RULE = (
    "Select why the action is closed: superseded or withdrawn (and give no closure reason for an action that is "
    "not closed)"
)
LEADS_RULE = (
    "A police action has no CPS lead and a CPS action has no police lead: remove the lead of the other side or "
    "make the action joint"
)
BAD_ACTIONS = [
    (
        "completed without a date",
        {"status": "completed"},
        "A completed action needs its completion date, and an action that is not completed has none",
    ),
    (
        "completion date on an open action",
        {"completed_on": "2022-01-01"},
        "A completed action needs its completion date, and an action that is not completed has none",
    ),
    (
        "closed without a reason",
        {"status": "closed"},
        CLOSURE_RULE,
    ),
    (
        "closure reason on an open action",
        {"closure_reason": "withdrawn"},
        CLOSURE_RULE,
    ),
    (
        "target before start",
        {"start_date": "2022-04-01", "target_date": "2022-03-31"},
        "The target date must be the same as or after the start date",
    ),
    (
        "revised date without reason",
        {"revised_target_date": "2022-09-30"},
        "Give the reason the target date was revised",
    ),
    (
        "revised date before start",
        {"revised_target_date": "2021-01-01", "revision_reason": "Moved"},
        "The revised target date must be the same as or after the start date",
    ),
    (
        "CPS lead on a police action",
        {"side": "police", "cps_lead": "cps"},
        LEADS_RULE,
    ),
    ("unknown side", {"side": "navy"}, "Select a valid choice. navy is not one of the available choices."),
    ("impossible date", {"target_date": "2022-02-31"}, "That date does not exist: check the day and the month"),
]


@pytest.mark.parametrize("case, changes, message", BAD_ACTIONS, ids=[case for case, _, _ in BAD_ACTIONS])
def test_bad_action_content_is_refused_with_a_plain_message(
    client, admin_user, national_plan, police_lead, cps_lead, case, changes, message
):
    client.force_login(admin_user)
    page = client.get(ADD_URL, {"plan": national_plan.pk})
    people = {"cps": cps_lead.pk}
    changes = {name: people.get(value, value) for name, value in changes.items()}

    response = client.post(
        f"{ADD_URL}?plan={national_plan.pk}",
        new_action_data(page, theme=national_plan.themes.first().pk, police_lead=police_lead.pk, **changes),
    )

    assert response.status_code == 200
    assert message in page_errors(response)
    assert "Constraint “" not in response.content.decode()
    assert not Action.objects.filter(reference="1.9").exists()


def test_a_reference_already_used_in_the_plan_is_refused_not_a_server_error(
    client, admin_user, police_action, police_lead
):
    client.force_login(admin_user)
    plan = police_action.plan
    page = client.get(ADD_URL, {"plan": plan.pk})

    response = client.post(
        f"{ADD_URL}?plan={plan.pk}",
        new_action_data(page, reference="1.1", theme=police_action.theme_id, police_lead=police_lead.pk),
    )

    assert response.status_code == 200
    assert "The plan already has an action with this reference: choose another reference" in page_errors(response)
    assert Action.objects.filter(plan=plan, reference="1.1").count() == 1


def test_a_content_edit_that_breaks_a_rule_about_a_read_only_field_names_it(
    client, admin_user, police_action, police_lead
):
    Action.objects.filter(pk=police_action.pk).update(revised_target_date=date(2022, 6, 30), revision_reason="Late")
    client.force_login(admin_user)
    page = client.get(change_url(police_action))

    response = client.post(change_url(police_action), admin_form_data(page, start_date="2022-07-01",
                                                                      target_date="2022-07-31"))  # fmt: skip

    assert response.status_code == 200
    assert page_errors(response) == ["The revised target date must be the same as or after the start date"]


def test_a_cps_force_and_police_area_are_not_mixed_up_by_the_pickers(client, admin_user, national_plan):
    # An organisation's kind decides the side, whatever its name says.
    odd = CpsAreaFactory(name="Police Liaison Unit (CPS)")
    UserFactory(username="odd.lead", first_name="Olly", last_name="Odd", role=User.Role.LEAD, organisation=odd)
    PoliceForceFactory(name="Kent Police")
    client.force_login(admin_user)

    response = client.get(ADD_URL, {"plan": national_plan.pk})

    assert options(response, "cps_lead") == ["Olly Odd (Police Liaison Unit (CPS))"]
    assert options(response, "police_lead") == []


def test_admin_action_list_filters_themes_by_plan_with_their_plan_named(client, admin_user, national_plan, local_plans):
    client.force_login(admin_user)

    body = client.get(reverse("admin:actions_action_changelist"), {"plan__id__exact": local_plans[0].pk})

    text = body.content.decode()
    assert "Avon and Somerset joint action plan: 1. Supporting victims" in text
    assert "Greater Manchester joint action plan: 1. Supporting victims" not in text
    assert client.get(reverse("admin:actions_action_changelist"), {"theme__id__exact": "x'"}).status_code == 200


@pytest.mark.parametrize("name", ["title", "description"])
@pytest.mark.parametrize("text", ["Evidence \u202egnirahs", "Bell\x07 rings"])
def test_admin_refuses_hidden_and_direction_changing_characters_in_action_content(
    client, admin_user, police_action, name, text
):
    client.force_login(admin_user)
    url = reverse("admin:actions_action_change", args=[police_action.pk])
    form = client.get(url).context["adminform"].form
    data = {key: ("" if form[key].value() is None else form[key].value()) for key in form.fields}
    data["lead_organisations"] = [o.pk for o in police_action.lead_organisations.all()]
    data[name] = text

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[name]
    assert "cannot be saved" in errors[0] or "changes the direction of the text" in errors[0]
    police_action.refresh_from_db()
    assert getattr(police_action, name) != text


def test_plan_and_theme_prose_refuse_direction_changing_characters(national_plan):
    from django.core.exceptions import ValidationError

    national_plan.summary = "Agreed \u2066by the board\u2069"
    with pytest.raises(ValidationError) as error:
        national_plan.full_clean()
    assert "changes the direction of the text" in error.value.message_dict["summary"][0]
    theme = national_plan.themes.get(number=1)
    theme.purpose = "Victims\x00 first"
    with pytest.raises(ValidationError) as error:
        theme.full_clean()
    assert "cannot be saved" in error.value.message_dict["purpose"][0]
