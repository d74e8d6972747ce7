"""The header's service navigation: only what the signed-in person's role can use, the current page marked."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, url name, who sees it, other pages that belong to it).
NAVIGATION = [
    ("Plan", "themes:home", lambda user: True, ()),
    ("My actions", "actions:mine", lambda user: user.is_lead or user.is_admin, ()),
    (
        "Dashboard",
        "reviews:dashboard",
        lambda user: user.reads_dashboards,
        ("reviews:board_pack",),
    ),
    ("Reviews", "reviews:list", lambda user: user.reads_dashboards, ()),
    ("Recommendations", "reviews:recommendations", lambda user: user.reads_dashboards, ()),
    ("Notifications", "notifications:list", lambda user: user.is_active, ()),
    ("API tokens", "api_tokens:list", lambda user: user.is_active, ()),
    ("Admin", "admin:index", lambda user: user.is_admin, ()),
]


def _matches(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries: list[tuple[str, str, list[str]]] = []
    for label, name, allowed, others in NAVIGATION:
        if not allowed(user):
            continue
        url = reverse(name)
        section = [url, *(reverse(other) for other in others)]
        entries.append((label, url, section))
    # The current entry is the one with the closest match: /reviews/dashboard/ lies under /reviews/ too.
    best_label, best_length = None, -1
    for label, _url, section in entries:
        for prefix in section:
            if _matches(request.path, prefix) and len(prefix) > best_length:
                best_label, best_length = label, len(prefix)
    return [NavItem(label=label, url=url, active=label == best_label) for label, url, _section in entries]
