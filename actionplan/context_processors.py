from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def service(request: HttpRequest) -> dict:
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
        # How far ahead "due soon" looks, for the pages that say it.
        "due_soon_days": settings.DUE_SOON_DAYS,
    }
