"""Production settings: every secret from the environment, HTTPS only."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env, env_flag

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# No silent defaults in production: emails must go somewhere real and link to the real address.
vars().update(env.email_url("EMAIL_URL"))
SITE_URL = env.url("SITE_URL").geturl().rstrip("/")
