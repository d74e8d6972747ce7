"""Sign-in bookkeeping: the per-username limit on guessing, and what a completed sign-in clears.

django-axes counts wrong passwords and codes per (username, address). Someone with many addresses gets that many
guesses, so the service also counts failures per username across every address: after
SIGNIN_USERNAME_FAILURE_LIMIT of them within SIGNIN_USERNAME_WINDOW_MINUTES, sign-in with that username is
answered "Wait ... and try again" (HTTP 429) without looking at the password, until enough of those failures
have left the window. This slows guessing; it does not lock the real person out: an address from which that
username completed a sign-in within SIGNIN_KNOWN_ADDRESS_DAYS (their office, their home) is not slowed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from .auth import client_ip
from .models import SignInRecord
from .security import log_event

# The time at which this session's sign-in completed and its last activity, as Unix seconds (see middleware).
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"


@dataclass(frozen=True)
class Throttle:
    retry_after: int  # seconds

    @property
    def wait_words(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        return "a minute" if minutes <= 1 else f"{minutes} minutes"


def _window() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_USERNAME_WINDOW_MINUTES)


def username_is_recordable(username: str | None) -> bool:
    return bool(username) and len(username) <= 150


def address_is_known(*, username: str, ip_address: str, now: datetime | None = None) -> bool:
    """This username completed a sign-in from this address recently."""
    days = settings.SIGNIN_KNOWN_ADDRESS_DAYS
    if not ip_address or days <= 0:
        return False
    since = (now or timezone.now()) - timedelta(days=days)
    return SignInRecord.objects.filter(
        username=username, ip_address=ip_address[:64], outcome=SignInRecord.Outcome.COMPLETED, at__gt=since
    ).exists()


def username_throttle(*, username: str, ip_address: str, now: datetime | None = None) -> Throttle | None:
    """How long sign-in with `username` from `ip_address` must wait, or None when it may go ahead."""
    if not username_is_recordable(username):
        return None
    now = now or timezone.now()
    limit = settings.SIGNIN_USERNAME_FAILURE_LIMIT
    recent = list(
        SignInRecord.objects.filter(username=username, outcome=SignInRecord.Outcome.FAILED, at__gt=now - _window())
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    if address_is_known(username=username, ip_address=ip_address, now=now):
        return None
    # Sign-in opens again when the limit-th most recent failure leaves the window.
    return Throttle(retry_after=max(1, math.ceil((recent[-1] + _window() - now).total_seconds())))


def sign_in_throttled(*, request, username: str) -> Throttle | None:
    """The throttle for this request, logged as a security event when it applies."""
    throttle = username_throttle(username=username, ip_address=client_ip(request))
    if throttle is not None:
        log_event("sign_in_throttled", request, username=username, retry_after=throttle.retry_after)
    return throttle


def sign_in_failure_record(*, request, username: str) -> None:
    """Count one failed sign-in (a wrong password or code) for the username, and forget failures past the window."""
    if not username_is_recordable(username):
        return
    now = timezone.now()
    SignInRecord.objects.create(
        username=username, ip_address=client_ip(request)[:64], outcome=SignInRecord.Outcome.FAILED, at=now
    )
    SignInRecord.objects.filter(outcome=SignInRecord.Outcome.FAILED, at__lte=now - _window()).delete()
    failures = SignInRecord.objects.filter(
        username=username, outcome=SignInRecord.Outcome.FAILED, at__gt=now - _window()
    ).count()
    if failures == settings.SIGNIN_USERNAME_FAILURE_LIMIT:
        log_event(
            "sign_in_username_limit_reached",
            request,
            username=username,
            failures=failures,
            window_minutes=settings.SIGNIN_USERNAME_WINDOW_MINUTES,
        )


def sign_in_completed(*, request, user, **details) -> None:
    """The sign-in of this session is complete (password, and second factor when owed): record and log it.

    Clears the axes count for this username and address (what AXES_RESET_ON_SUCCESS would do, but only now, so a
    right password cannot clear the wrong codes typed after it), and remembers the address as known for the
    username.
    """
    from axes.handlers.proxy import AxesProxyHandler

    now = timezone.now()
    ip_address = client_ip(request)
    SignInRecord.objects.create(
        username=user.get_username(), ip_address=ip_address[:64], outcome=SignInRecord.Outcome.COMPLETED, at=now
    )
    SignInRecord.objects.filter(
        outcome=SignInRecord.Outcome.COMPLETED, at__lte=now - timedelta(days=settings.SIGNIN_KNOWN_ADDRESS_DAYS)
    ).delete()
    if ip_address:
        AxesProxyHandler.reset_attempts(ip_address=ip_address, username=user.get_username())
    else:
        AxesProxyHandler.reset_attempts(username=user.get_username())
    log_event("sign_in", request, user=user.get_username(), role=user.role, **details)


# -- Signals: every way of signing in (the password form, single sign-on, the admin) passes through these ------


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    """Start the session's clocks; then either the sign-in is complete, or it waits for the second factor."""
    from .two_factor import OWED, has_second_factor, second_factor_required

    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    details = {"method": "sso"} if getattr(user, "backend", "").endswith("SingleSignOnBackend") else {}
    if second_factor_required(user) or has_second_factor(user):
        request.session[OWED] = True
        log_event("sign_in_second_factor_needed", request, user=user.get_username(), role=user.role, **details)
    else:
        sign_in_completed(request=request, user=user, **details)


# What a failed attempt was, from the `stage` its sender put in the credentials; a wrong password by default.
FAILURE_EVENTS = {
    "password": "sign_in_failed",
    "code": "second_factor_failed",
    "recovery_code": "second_factor_failed",
    "password_change": "password_change_failed",
}


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    if "nonce" in credentials and "username" not in credentials:
        return  # single sign-on logs its own failures (actionplan.oidc)
    username = str(credentials.get("username", ""))
    stage = credentials.get("stage", "password")
    fields = {"username": username[:150]}
    if stage in ("code", "recovery_code"):
        fields["method"] = stage
    log_event(FAILURE_EVENTS.get(stage, "sign_in_failed"), request, **fields)
    if request is not None:
        sign_in_failure_record(request=request, username=username)
