"""Second factors in tests: an authenticator app for a person, the code it would show, a verified session."""

from __future__ import annotations

import time
from binascii import unhexlify

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_for(user) -> TOTPDevice:
    """The person's confirmed authenticator app (set up now if they have none), as enrolment would leave it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def code_for_key(key: str, *, at: float | None = None, step_offset: int = 0) -> str:
    step = int((time.time() if at is None else at) // 30) + step_offset
    return f"{hotp(unhexlify(key), step, digits=6):06d}"


def next_code(device: TOTPDevice) -> str:
    """A code the app would show that the service will still accept: never one already used (django-otp refuses
    a time step at or before the last one accepted), so signing in twice within 30 seconds works."""
    device.refresh_from_db()
    now_step = int(time.time() // 30)
    step = max(now_step, device.last_t + 1)
    if step > now_step + 1:  # both this step and the next are used up: wait for the one after
        time.sleep((step - 1) * 30 - time.time() + 0.5)
    return f"{hotp(device.bin_key, step, digits=6):06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code the app shows at no step near now."""
    device.refresh_from_db()
    now_step = int(time.time() // 30)
    near = {f"{hotp(device.bin_key, now_step + offset, digits=6):06d}" for offset in (-2, -1, 0, 1, 2)}
    return next(code for code in (f"{n:06d}" for n in range(1000000)) if code not in near)


def verify_client_session(client, user) -> None:
    """Make the test client's session one completed with the person's authenticator app, as the code page does."""
    from actionplan.two_factor import OWED

    device = authenticator_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop(OWED, None)
    session.save()
