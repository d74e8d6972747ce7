"""Two-factor authentication: who owes a second factor, the authenticator app (TOTP) and recovery codes.

The rule, in one place: admins always need a second factor, and so does everyone when OTP_REQUIRED_FOR_ALL is
true; anyone else who has set up an authenticator app is asked for it at sign-in too. A session is "verified"
when django-otp's middleware finds the device that verified it (`request.user.otp_device`).
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCode, User
from .security import log_event

# Session keys. OWED: the sign-in of this session still waits for a second factor (set at sign-in for people who
# have set one up without being required to). SETUP_KEY: the secret being set up, until the first code proves it.
# NEW_RECOVERY_CODES: codes just made, kept only until the page that shows them once.
OWED = "second_factor_owed"
SETUP_KEY = "two_factor_setup_key"
NEW_RECOVERY_CODES = "two_factor_new_recovery_codes"

DEVICE_NAME = "Authenticator app"
CODE_DIGITS = 6
# Recovery codes: 12 characters from 31 that cannot be mistaken for each other (no 0, 1, i, l, o): about 59 bits.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 12


# -- Who owes what ------------------------------------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Admins always; everyone when OTP_REQUIRED_FOR_ALL is on."""
    return bool(user.is_authenticated and (user.is_admin or settings.OTP_REQUIRED_FOR_ALL))


def is_verified(user) -> bool:
    """The session was completed with a second factor (False outside django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_pending(request) -> bool:
    """Signed in with a password (or single sign-on) but still owing the second factor."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    return second_factor_required(user) or bool(request.session.get(OWED))


def totp_device_for(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# -- The authenticator app -----------------------------------------------------------------------------------------


def totp_new_key() -> str:
    """A new secret: 20 random bytes, hex-encoded as django-otp stores it."""
    return secrets.token_hex(20)


def totp_key_text(key: str) -> str:
    """The secret as a person types it into an app: base32 in groups of four ("ABCD EFGH ...")."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_config_url(*, user, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = f"{issuer}:{user.get_username()}"
    params = {"secret": b32encode(unhexlify(key)).decode(), "issuer": issuer, "algorithm": "SHA1", "digits": 6}
    return f"otpauth://totp/{quote(label)}?{urlencode(params, quote_via=quote)}"


def totp_qr_data_uri(config_url: str) -> str:
    """The QR code as an SVG data: address for an <img>, drawn here: no outside service, no inline script or style."""
    return segno.make(config_url, error="m").svg_data_uri(scale=5, dark="#0b0c0c", light="#ffffff", border=4)


def totp_match(*, key: str, code: str) -> int | None:
    """The time step at which `code` is right for `key` (allowing one step either side), or None."""
    try:
        token = int(code)
    except (TypeError, ValueError):
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=CODE_DIGITS, drift=0)
    if totp.verify(token, tolerance=1):
        return totp.t()
    return None


def two_factor_enrol(*, user: User, key: str, code: str, request=None) -> list[str] | None:
    """Set up the authenticator app holding `key` once `code` proves it: replaces any earlier app and recovery codes.

    Returns the new recovery codes (to show once), or None when the code is wrong (nothing is written then).
    """
    step = totp_match(key=key, code=code)
    if step is None:
        return None
    with transaction.atomic():
        # One enrolment at a time per person: the row lock orders two tabs submitting at once.
        User.objects.select_for_update().filter(pk=user.pk).first()
        TOTPDevice.objects.filter(user=user).delete()
        # last_t: the code just used cannot be used again to sign in.
        TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=step)
        codes = _recovery_codes_replace(user=user)
    log_event("second_factor_enrolled", request, user=user.username)
    return codes


def totp_verify(*, user: User, code: str):
    """The person's authenticator app if `code` is right now (and not used before), else None."""
    device = totp_device_for(user)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, code)


# -- Recovery codes ------------------------------------------------------------------------------------------------


def recovery_code_normalise(value: str) -> str:
    return "".join(value.split()).replace("-", "").lower()


def recovery_code_is_well_formed(value: str) -> bool:
    return len(value) == RECOVERY_LENGTH and all(char in RECOVERY_ALPHABET for char in value)


def _recovery_hash(code: str, salt: str) -> str:
    # A fast hash is enough for a random 59-bit code (as for Django's own reset tokens); the salt makes each
    # stored value different even for equal codes.
    return "sha256$" + salt + "$" + hashlib.sha256(f"{salt}${code}".encode()).hexdigest()


def _recovery_code_matches(code: str, stored: str) -> bool:
    try:
        _algorithm, salt, _digest = stored.split("$", 2)
    except ValueError:
        return False
    return secrets.compare_digest(_recovery_hash(code, salt), stored)


def _recovery_codes_replace(*, user: User) -> list[str]:
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(settings.RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code, secrets.token_hex(8))) for code in codes
    )
    return [recovery_code_display(code) for code in codes]


def recovery_code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def recovery_codes_create(*, user: User, request=None) -> list[str]:
    """New recovery codes for the person; the earlier ones stop working. Returns the codes, to show once."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user=user)
    log_event("recovery_codes_created", request, user=user.username)
    return codes


def recovery_code_use(*, user: User, code: str) -> bool:
    """Spend one of the person's unused recovery codes: True if `code` was one of them (and is now used)."""
    normalised = recovery_code_normalise(code)
    if not recovery_code_is_well_formed(normalised):
        return False
    for stored in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if _recovery_code_matches(normalised, stored.code_hash):
            # Conditional: of two requests spending the same code at once, one wins.
            return RecoveryCode.objects.filter(pk=stored.pk, used_at__isnull=True).update(used_at=timezone.now()) == 1
    return False


def recovery_codes_remaining(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# -- Removing a second factor --------------------------------------------------------------------------------------


def two_factor_reset(*, user: User, by: User, request=None) -> None:
    """An admin removes a person's authenticator app and recovery codes (a lost phone).

    The person's verified sessions stop being verified at once; an admin (or anyone, with OTP_REQUIRED_FOR_ALL)
    is asked to set up an app again at the next page.
    """
    with transaction.atomic():
        devices, _ = TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    log_event("second_factor_reset", request, user=user.username, by=by.username, devices=devices)


def two_factor_turn_off(*, user: User, request=None) -> None:
    """A person who is not required to use a second factor stops using it."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    log_event("second_factor_turned_off", request, user=user.username)
