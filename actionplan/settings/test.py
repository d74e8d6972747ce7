"""Settings for the test suite."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ["DJANGO_DEBUG"] = "false"

from .base import *  # noqa: E402,F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests keep mail in memory; a test that runs a real worker against an SMTP sink sets TEST_EMAIL_BACKEND.
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CELERY_TASK_ALWAYS_EAGER = False
SITE_URL = "http://testserver"
# Each test starts with an empty cache of its own (tests/conftest.py clears it), never the broker's Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
