from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_plan_page_lists_the_five_themes_and_their_actions(client, board_member, national_plan, police_action):
    client.force_login(board_member)
    response = client.get(reverse("themes:home"))
    assert response.status_code == 200
    body = response.content.decode()
    for title in ["Supporting victims", "Casework quality", "Right to privacy", "Training", "Collaboration"]:
        assert title in body
    assert "Police-only action" in body
    assert reverse("themes:theme", kwargs={"slug": "national", "number": 1}) in body


def test_theme_page_shows_its_actions_with_status_and_rag(client, police_lead, police_action):
    client.force_login(police_lead)
    response = client.get(reverse("themes:theme", kwargs={"slug": "national", "number": 1}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Police-only action" in body
    assert "In progress" in body
    assert "Green" in body


def test_unknown_theme_is_404(client, police_lead, national_plan):
    client.force_login(police_lead)
    assert client.get(reverse("themes:theme", kwargs={"slug": "national", "number": 9})).status_code == 404
