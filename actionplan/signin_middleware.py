"""Middleware of signing in: session timeouts, the second-factor gate, and no caching of signed-in pages."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .signin import LAST_SEEN, SIGNED_IN_AT
from .two_factor import has_second_factor, second_factor_pending

# Activity is written to the session at most once a minute, so most pages cost no session write.
ACTIVITY_RESOLUTION_SECONDS = 60


def session_seconds_left(session, now: float | None = None) -> int | None:
    """Seconds before this session ends (idle or absolute, whichever is first), or None without its clocks."""
    signed_in_at, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen, int):
        return None
    now = int(time.time()) if now is None else now
    idle_end = last_seen + settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    absolute_end = signed_in_at + settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 60 * 60
    return int(min(idle_end, absolute_end) - now)


def session_expiry_reason(session, now: float) -> str | None:
    signed_in_at, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen, int):
        return None
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 60 * 60:
        return "absolute"
    if now - last_seen >= settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
        return "idle"
    return None


def keeps_session_alive(view_func) -> bool:
    return getattr(view_func, "session_keepalive", True)


def not_session_activity(view_func):
    """Mark a view whose requests do not count as activity (the timeout warning asking how long is left)."""
    view_func.session_keepalive = False
    return view_func


def second_factor_not_required(view_func):
    """Mark a view reachable while the second factor is still owed (the code and enrolment pages, sign-out)."""
    view_func.second_factor_exempt = True
    return view_func


class SessionTimeoutMiddleware:
    """Ends a signed-in session idle for SESSION_IDLE_TIMEOUT_MINUTES or begun SESSION_ABSOLUTE_TIMEOUT_HOURS
    ago, on the server, whatever the browser does: without JavaScript the next page simply asks to sign in."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        session = request.session
        now = int(time.time())
        reason = session_expiry_reason(session, now)
        if reason is not None:
            request.sign_out_reason = reason
            logout(request)
            if reason == "idle":
                text = (
                    f"You were signed out because you did nothing for {settings.SESSION_IDLE_TIMEOUT_MINUTES} "
                    "minutes. Sign in again to carry on."
                )
            else:
                text = (
                    f"You were signed out because you signed in more than {settings.SESSION_ABSOLUTE_TIMEOUT_HOURS} "
                    "hours ago. Sign in again to carry on."
                )
            messages.info(request, text)
            return None
        if not isinstance(session.get(SIGNED_IN_AT), int):
            session[SIGNED_IN_AT] = now  # a session from before these clocks: they start now
        last_seen = session.get(LAST_SEEN)
        if keeps_session_alive(view_func) and (
            not isinstance(last_seen, int) or now - last_seen >= ACTIVITY_RESOLUTION_SECONDS or now < last_seen
        ):
            session[LAST_SEEN] = now
        return None


class SecondFactorMiddleware:
    """Someone signed in who owes a second factor reaches only the code and enrolment pages and sign-out:
    everything else sends them to enter their code, or to set up an app when they have none (an admin's first
    sign-in). Pages open to everyone stay open."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or getattr(view_func, "second_factor_exempt", False):
            return None
        if not second_factor_pending(request):
            return None
        target = reverse("login_code") if has_second_factor(request.user) else reverse("two_factor_setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in request says `Cache-Control: no-store`: after signing out, the back button
    asks the server again (and is sent to sign in) instead of showing plan data from the browser's cache."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        signed_in = SESSION_KEY in request.session
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
