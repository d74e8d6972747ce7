"""Signing a program in with a personal API token: `Authorization: Token <token>` (or `Bearer <token>`)."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from .services import api_token_authenticate

KEYWORDS = (b"token", b"bearer")
INVALID = (
    "The API token is not valid: it may have been revoked, or its person may no longer sign in. "
    "Create a new one on the API tokens page."
)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as the header: Authorization: Token <your token>")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A 401 rather than a 403 for a request without credentials, naming the scheme to use.
        return f'{self.keyword} realm="api"'
