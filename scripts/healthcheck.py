"""Container health checks (docker-compose.yml): `python scripts/healthcheck.py web|worker|beat`.

web: /healthz answers 200 (database and broker reachable). worker: this container's Celery worker answers a ping
through the broker. beat: the schedule file was written recently (beat rewrites it as it sends tasks, and the
heartbeat task is due every minute). Exit status 0 when healthy, 1 otherwise, with the reason on stdout.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

BEAT_SCHEDULE = os.environ.get("CELERY_BEAT_SCHEDULE_FILE", "/app/var/beat/celerybeat-schedule")
BEAT_STALE_SECONDS = 10 * 60


def web() -> str | None:
    host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".") or "localhost"
    request = urllib.request.Request(
        "http://127.0.0.1:8000/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return None if response.status == 200 else f"/healthz answered {response.status}"
    except OSError as error:
        return f"/healthz: {error}"


def worker() -> str | None:
    node = f"celery@{socket.gethostname()}"
    result = subprocess.run(
        ["celery", "-A", "actionplan", "inspect", "ping", "--destination", node, "--timeout", "10"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return None if result.returncode == 0 and "pong" in result.stdout else f"{node} did not answer a ping"


def beat() -> str | None:
    candidates = [BEAT_SCHEDULE, *(BEAT_SCHEDULE + suffix for suffix in (".db", ".dat", ".dir"))]
    ages = [time.time() - os.path.getmtime(path) for path in candidates if os.path.exists(path)]
    if not ages:
        return f"no schedule file at {BEAT_SCHEDULE}"
    return None if min(ages) < BEAT_STALE_SECONDS else f"schedule file not written for {min(ages):.0f} s"


if __name__ == "__main__":
    checks = {"web": web, "worker": worker, "beat": beat}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        print(f"usage: healthcheck.py {'|'.join(checks)}")
        sys.exit(2)
    problem = checks[sys.argv[1]]()
    print(problem or "ok")
    sys.exit(1 if problem else 0)
