from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def service(request: HttpRequest) -> dict:
    from .signin_middleware import session_seconds_left
    from .two_factor import second_factor_pending

    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    # Until the second factor is given, the header offers nothing but signing out.
    pending = signed_in and second_factor_pending(request)
    context = {
        "service_name": settings.SERVICE_NAME,
        "navigation": [] if pending else navigation_for(request),
        "second_factor_pending": pending,
        # How far ahead "due soon" looks, for the pages that say it.
        "due_soon_days": settings.DUE_SOON_DAYS,
    }
    if signed_in:
        seconds_left = session_seconds_left(request.session)
        context["session_timeout"] = {
            "seconds_left": max(
                0, seconds_left if seconds_left is not None else settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            ),
            "warning_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
        }
    return context
