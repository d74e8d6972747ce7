"""Writes of the API's own records: personal tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplan.text import prose_problem

from .models import ApiToken

if TYPE_CHECKING:
    from actionplan.models import User

TOKEN_PREFIX = "rasso_"
MAX_ACTIVE_TOKENS = 20
NAME_MAX_LENGTH = 100
# Recording every use would write on every request; once a minute is enough to tell people when it was last used.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; return it and the token text, which is never stored and cannot be shown again.

    Raises ValidationError (on `name`) for a blank, long or repeated name, or when the person already has
    MAX_ACTIVE_TOKENS tokens.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"The name must be {NAME_MAX_LENGTH} characters or fewer"})
    problem = prose_problem(name, what="The name")
    if problem:
        raise ValidationError({"name": problem})
    # One creation at a time per person, so two at once cannot both pass the checks below.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user).active()
    if active.filter(name__iexact=name).exists():
        raise ValidationError({"name": "You already have a token with that name: choose another name"})
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": f"You have {MAX_ACTIVE_TOKENS} tokens: revoke one you no longer use before creating another"}
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=key[: len(TOKEN_PREFIX) + 6], key_hash=token_hash(key))
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke the token: it stops working at once. Only its owner (or an admin) may; revoking twice is harmless."""
    if token.user_id != by.pk and not by.is_admin:
        raise PermissionError("Only the token's owner can revoke it.")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token with this text, with its person, if the person may sign in; records when it was used."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user", "user__organisation")
        .filter(key_hash=token_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
