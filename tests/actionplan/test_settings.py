"""Configuration comes from the environment and fails loudly where production would otherwise guess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "actionplan.settings.production",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-enough-0123456789abcdef",
    "EMAIL_URL": "smtp+tls://user:secret@mail.rasso.example:587",
    "SITE_URL": "https://rasso.example",
}
PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.CELERY_BROKER_URL, "
    "s.CACHES['default']['BACKEND'], s.DEBUG, s.SITE_URL, s.TIME_ZONE)"
)


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "REDIS_URL", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", PRINT], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_production_reads_email_site_and_redis_from_the_environment():
    result = run_settings({**PRODUCTION, "REDIS_URL": "redis://cache.internal:6379/0"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend", "mail.rasso.example", "587", "True",
        "redis://cache.internal:6379/0", "django.core.cache.backends.redis.RedisCache", "False",
        "https://rasso.example", "Europe/London",
    ]  # fmt: skip


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "EMAIL_URL", "SITE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = run_settings(env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_without_redis_celery_uses_the_filesystem_transport():
    result = run_settings({"DJANGO_SETTINGS_MODULE": "actionplan.settings.local"})
    assert result.returncode == 0, result.stderr
    words = result.stdout.split()
    assert words[0] == "django.core.mail.backends.console.EmailBackend"
    assert "filesystem://" in words
    assert "django.core.cache.backends.locmem.LocMemCache" in words


def test_a_malformed_debug_flag_is_an_error_not_a_guess():
    result = run_settings(
        {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "actionplan.settings.base", "DJANGO_DEBUG": "perhaps"}
    )
    assert result.returncode != 0


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("SESSION_IDLE_TIMEOUT_MINUTES", "2", "SESSION_IDLE_TIMEOUT_MINUTES must be at least 3, not 2"),
        ("SESSION_ABSOLUTE_TIMEOUT_HOURS", "0", "SESSION_ABSOLUTE_TIMEOUT_HOURS must be at least 1, not 0"),
        ("SIGNIN_USERNAME_FAILURE_LIMIT", "0", "SIGNIN_USERNAME_FAILURE_LIMIT must be at least 1, not 0"),
        ("OTP_REQUIRED_FOR_ALL", "perhaps", "OTP_REQUIRED_FOR_ALL must be true or false, not 'perhaps'"),
        ("SESSION_IDLE_TIMEOUT_MINUTES", "thirty", "invalid literal for int()"),
    ],
)
def test_sign_in_settings_that_make_no_sense_stop_the_service(name, value, message):
    result = run_settings({**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_sign_in_settings_are_read_from_the_environment():
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OTP_REQUIRED_FOR_ALL, s.SESSION_IDLE_TIMEOUT_MINUTES, s.SESSION_COOKIE_AGE, s.OIDC_ENABLED)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "REDIS_URL", "DATABASE_URL"}}
    env = {**clean, **PRODUCTION, "OTP_REQUIRED_FOR_ALL": "true", "SESSION_IDLE_TIMEOUT_MINUTES": "15",
           "SESSION_ABSOLUTE_TIMEOUT_HOURS": "8"}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", show], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "15", "28800", "False"]
