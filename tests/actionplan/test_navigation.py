"""The header's navigation shows what a role can use and marks the page the person is on."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from actionplan.navigation import navigation_for

pytestmark = pytest.mark.django_db


def entries(user, path: str) -> dict[str, bool]:
    request = RequestFactory().get(path)
    request.user = user
    return {item.label: item.active for item in navigation_for(request)}


def test_each_role_sees_what_it_can_use(police_lead, board_member, admin_user, outsider):
    assert list(entries(police_lead, "/")) == [
        "Plan",
        "My actions",
        "Dashboard",
        "Reviews",
        "Recommendations",
        "Notifications",
        "API tokens",
    ]
    assert list(entries(board_member, "/")) == [
        "Plan",
        "Dashboard",
        "Reviews",
        "Recommendations",
        "Notifications",
        "API tokens",
    ]
    assert "Admin" in entries(admin_user, "/")
    assert list(entries(outsider, "/")) == ["Plan", "Notifications", "API tokens"]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Plan"),
        ("/plans/national/themes/2/", None),
        ("/actions/mine/", "My actions"),
        ("/reviews/dashboard/", "Dashboard"),
        ("/reviews/board-pack/", "Dashboard"),
        ("/reviews/", "Reviews"),
        ("/reviews/12/", "Reviews"),
        ("/reviews/revisions/3/", "Reviews"),
        ("/reviews/recommendations/", "Recommendations"),
        ("/reviews/recommendations/sources/4/", "Recommendations"),
    ],
)
def test_only_the_closest_entry_is_current(board_member, police_lead, path, current):
    shown = entries(police_lead, path)
    assert [label for label, active in shown.items() if active] == ([current] if current else [])
