"""The admin edits an action's content; its progress changes only through status updates."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from actions.admin import ActionAdmin
from actions.models import Action
from actions.services import action_update_status

pytestmark = pytest.mark.django_db


def test_content_edit_does_not_overwrite_a_status_update_saved_meanwhile(admin_user, police_lead, police_action):
    loaded_by_admin = Action.objects.get(pk=police_action.pk)
    action_update_status(
        action=police_action, by=police_lead, status="in_progress", rag="red", narrative="Stalled.", expected_version=1
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
