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
