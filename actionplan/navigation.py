"""The header's service navigation: only what the signed-in person's role can use, the current page marked."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, url name, who sees it). Entries whose URL does not exist yet are left out.
NAVIGATION = [
    ("Plan", "themes:home", lambda user: True),
    ("My actions", "actions:mine", lambda user: user.is_lead or user.is_admin),
    ("Dashboard", "reviews:dashboard", lambda user: user.is_board_member or user.is_admin or user.is_lead),
    ("Reviews", "reviews:list", lambda user: user.is_board_member or user.is_admin or user.is_lead),
    ("Notifications", "notifications:list", lambda user: user.is_active),
    ("Admin", "admin:index", lambda user: user.is_admin),
]


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[NavItem] = []
    for label, name, allowed in NAVIGATION:
        if not allowed(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append(NavItem(label=label, url=url, active=active))
    # When one entry's URL lies under another's (/reviews/dashboard/ under /reviews/), only the closest is current.
    active_items = [item for item in items if item.active]
    if len(active_items) > 1:
        closest = max(active_items, key=lambda item: len(item.url))
        items = [item if item is closest or not item.active else NavItem(item.label, item.url, False) for item in items]
    return items
