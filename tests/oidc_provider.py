"""A small OpenID Connect provider for tests, served over HTTP on 127.0.0.1 from a thread.

It does what a police force's or the CPS's identity provider does for the authorization code flow: the
authorization endpoint (approving at once, as the person named in `person`), the token endpoint (checking the
client, the code, the redirect address and the PKCE verifier, and answering an ID token signed RS256), the
userinfo endpoint and the JWKS. Tests change `person` and `id_token_changes` to play other people or a provider
that misbehaves.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "rasso-action-plan"
CLIENT_SECRET = "a-client-secret-for-tests-only"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - the name wsgiref uses
        pass


def _json(start_response, body: dict, status: str = "200 OK"):
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


class FakeProvider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "key-1"
        self.person: dict = {"sub": "p-1", "email": "paula@police.example", "email_verified": True}
        # Applied to every ID token issued: e.g. {"aud": "someone-else"}, or "_key" to sign with another key.
        self.id_token_changes: dict = {}
        self.token_status = "200 OK"
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}
        self._server = make_server("127.0.0.1", 0, self.app, handler_class=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- Running ---------------------------------------------------------------------------------------------

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict:
        """The OIDC_* settings that point the service at this provider."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_PROVIDER_NAME": "Police single sign-on",
        }

    # -- The endpoints -----------------------------------------------------------------------------------------

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/authorize":
            return self._authorize(environ, start_response)
        if path == "/token" and environ["REQUEST_METHOD"] == "POST":
            return self._token(environ, start_response)
        if path == "/userinfo":
            return self._userinfo(environ, start_response)
        if path == "/jwks":
            jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return _json(start_response, {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]})
        return _json(start_response, {"error": "not_found"}, "404 Not Found")

    def _authorize(self, environ, start_response):
        query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return _json(start_response, {"error": "unauthorized_client"}, "400 Bad Request")
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
            "person": dict(self.person),
        }
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        start_response("302 Found", [("Location", location)])
        return [b""]

    def _token(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {key: values[0] for key, values in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        grant = self._codes.pop(form.get("code", ""), None)
        if (
            form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or grant is None
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return _json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        if grant["challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return _json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        if self.token_status != "200 OK":
            return _json(start_response, {"error": "server_error"}, self.token_status)
        access_token = secrets.token_urlsafe(16)
        self._tokens[access_token] = grant["person"]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant["person"]["sub"],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **{key: value for key, value in self.id_token_changes.items() if not key.startswith("_")},
        }
        key = self.id_token_changes.get("_key", self.key)
        algorithm = self.id_token_changes.get("_alg", "RS256")
        id_token = jwt.encode(claims, key, algorithm=algorithm, headers={"kid": self.kid})
        return _json(start_response, {"access_token": access_token, "token_type": "Bearer", "id_token": id_token})

    def _userinfo(self, environ, start_response):
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        person = self._tokens.get(token)
        if person is None:
            return _json(start_response, {"error": "invalid_token"}, "401 Unauthorized")
        return _json(start_response, person)


def follow_provider(authorize_url: str) -> str:
    """What the browser does at the provider: returns the service's callback path and query it is sent back to."""
    import requests

    response = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["Location"])
    return f"{location.path}?{location.query}"
