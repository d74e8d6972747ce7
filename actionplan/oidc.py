"""Single sign-on through OpenID Connect (mozilla-django-oidc), on only when OIDC_RP_CLIENT_ID is set.

Who may come in this way: the one active person whose email address (compared without regard to case) is the
address the provider vouches for. An address that matches nobody, or more than one person, is refused, and so
is one the provider says is not verified: single sign-on never creates anyone, so it can never create an admin.
It replaces the password, not the second factor: anyone who owes one is asked for their code afterwards.
"""

from __future__ import annotations

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .security import log_event

# What can go wrong talking to a provider: it is down or slow, answers an error, or sends something that does
# not verify. Each ends in the "could not sign you in" page, never a server error.
PROVIDER_ERRORS = (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError, TypeError)


def _email_is_plausible(value) -> bool:
    return (
        isinstance(value, str)
        and 3 <= len(value) <= 254
        and "@" in value
        and value.isprintable()
        and not any(char.isspace() for char in value)
    )


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Matches the provider's verified email address to one existing, active person; creates nobody."""

    def __init__(self, *args, **kwargs) -> None:
        self.UserModel = get_user_model()
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        # Only the callback's call (with the nonce it keeps) is ours; a username and password are not.
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs or "username" in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The ID token must be signed with the agreed algorithm, for this client, by this issuer, and current."""
        header = jwt.get_unverified_header(payload)
        algorithm = header.get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER or None,
                options={"require": ["exp", "iat", "aud"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def verify_claims(self, claims) -> bool:
        return _email_is_plausible(claims.get("email")) and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"], is_active=True).exclude(email="")

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or not self.verify_claims(claims):
            log_event("sso_refused", self.request, reason="email missing or not verified")
            return None
        people = list(self.filter_users_by_claims(claims)[:2])
        if len(people) != 1:
            reason = "no person with this email" if not people else "several people with this email"
            log_event("sso_refused", self.request, reason=reason, email=claims["email"])
            return None
        return people[0]

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    # The role decides what a person may do (actionplan.auth.RoleBackend); this backend grants nothing.
    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()


def _failure_page(request, *, status: int):
    return render(
        request,
        "registration/sso_failed.html",
        {"provider_name": settings.OIDC_PROVIDER_NAME},
        status=status,
    )


@method_decorator([login_not_required, never_cache], name="dispatch")
class SingleSignOnStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, remembering state, nonce and PKCE verifier in the session."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up")
        return super().get(request)


@method_decorator([login_not_required, never_cache], name="dispatch")
class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; a refusal or a fault shows a page that says so."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up")
        if request.GET.get("error"):
            log_event("sso_failed", request, reason="provider answered an error", error=request.GET["error"][:100])
        try:
            return super().get(request)
        except requests.RequestException as error:
            log_event("sso_failed", request, reason="provider unreachable", error=type(error).__name__)
            return _failure_page(request, status=502)
        except PROVIDER_ERRORS as error:
            log_event("sso_failed", request, reason="response refused", error=str(error)[:200])
            return _failure_page(request, status=400)

    def login_failure(self):
        return _failure_page(self.request, status=403)

    def login_success(self):
        from .signin_views import second_factor_page
        from .two_factor import second_factor_pending

        response = super().login_success()
        if second_factor_pending(self.request):
            return HttpResponseRedirect(second_factor_page(self.request, response.url))
        return response
