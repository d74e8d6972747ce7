"""Shared fixtures: the named people of the suite, a national plan, and the service-backed test switches.

Tests that need PostgreSQL, Redis or Chromium skip with a reason when the service is missing, so `make test`
passes on a bare machine; with CI=true every skip fails the run (see pytest_sessionfinish below).
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.test import Client as DjangoClient

# Playwright drives the browser from an event loop; Django's live_server tests touch the ORM from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery"


# -- Service switches -------------------------------------------------------------------------------------------


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def postgres_in_use() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@functools.cache
def weasyprint_can_run() -> bool:
    """WeasyPrint is installed and the Pango libraries it loads are there (checked without importing it)."""
    import ctypes.util
    import importlib.util

    return importlib.util.find_spec("weasyprint") is not None and all(
        ctypes.util.find_library(name) for name in ("pango-1.0", "pangoft2-1.0", "harfbuzz-subset")
    )


def pytest_collection_modifyitems(config, items):
    redis_url = os.environ.get("REDIS_URL", "")
    has_weasyprint = weasyprint_can_run()
    has_chromium = shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)
    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith(("postgres://", "postgresql://", "pgsql://"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://..."))
        if "redis" in item.keywords:
            if not redis_url:
                item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://..."))
            elif not _reachable(redis_url, 6379):
                item.add_marker(pytest.mark.skip(reason=f"needs Redis: cannot reach {urlsplit(redis_url).netloc}"))
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (Debian package chromium)"))
        if "pdf" in item.keywords and not has_weasyprint:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs WeasyPrint and Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                    "libharfbuzz-subset0)"
                )
            )


def pytest_sessionfinish(session, exitstatus):
    """In CI every service is present: a skipped test means a service was missing, which is a failure."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; in CI a skip is a failure.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# -- Browser ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# -- Signing in ----------------------------------------------------------------------------------------------------


class Client(DjangoClient):
    """Django's test client, whose `force_login` signs in as the service would let the person: someone who owes a
    second factor (admins; everyone with OTP_REQUIRED_FOR_ALL; anyone who set up an app) gets a session verified by
    their authenticator app (set up for them if they have none). The requirement stays on: pass
    `second_factor=False` for a session that has given only the password."""

    def force_login(self, user, backend=None, *, second_factor: bool = True) -> None:
        from actionplan.two_factor import has_second_factor, second_factor_required
        from tests.otp import verify_client_session

        super().force_login(user, backend)
        if second_factor and (second_factor_required(user) or has_second_factor(user)):
            verify_client_session(self, user)


@pytest.fixture
def client() -> Client:
    return Client()


# -- People -------------------------------------------------------------------------------------------------------


@pytest.fixture
def police_force(db):
    from tests.factories import PoliceForceFactory

    return PoliceForceFactory(name="Avon and Somerset Constabulary", short_name="Avon and Somerset")


@pytest.fixture
def cps_area(db):
    from tests.factories import CpsAreaFactory

    return CpsAreaFactory(name="CPS South West", short_name="South West")


@pytest.fixture
def police_lead(police_force):
    from actionplan.models import User
    from tests.factories import UserFactory

    return UserFactory(
        username="police.lead", first_name="Paula", last_name="Police", organisation=police_force, role=User.Role.LEAD
    )


@pytest.fixture
def cps_lead(cps_area):
    from actionplan.models import User
    from tests.factories import UserFactory

    return UserFactory(
        username="cps.lead", first_name="Carl", last_name="Crown", organisation=cps_area, role=User.Role.LEAD
    )


@pytest.fixture
def board_member(db):
    from actionplan.models import User
    from tests.factories import OrganisationFactory, UserFactory

    return UserFactory(
        username="board.member",
        first_name="Bea",
        last_name="Board",
        role=User.Role.BOARD,
        organisation=OrganisationFactory(name="Home Office"),
    )


@pytest.fixture
def admin_user(db):
    from actionplan.models import User
    from tests.factories import UserFactory
    from tests.otp import authenticator_for

    admin = UserFactory(username="admin", first_name="Ada", last_name="Admin", role=User.Role.ADMIN)
    # Admins cannot work without a second factor: this one has set up an authenticator app.
    authenticator_for(admin)
    return admin


@pytest.fixture
def outsider(db):
    from actionplan.models import User
    from tests.factories import UserFactory

    return UserFactory(username="outsider", first_name="Oscar", last_name="Outside", role=User.Role.NONE)


# -- Plan ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def national_plan(db):
    from tests.factories import PlanFactory, ThemeFactory

    plan = PlanFactory(title="Joint national action plan", slug="national")
    for number, title in enumerate(
        ["Supporting victims", "Casework quality", "Right to privacy", "Training", "Collaboration"], start=1
    ):
        ThemeFactory(plan=plan, number=number, title=title)
    return plan


@pytest.fixture
def police_action(national_plan, police_lead, police_force):
    from actions.models import Side
    from tests.factories import ActionFactory

    action = ActionFactory(
        theme=national_plan.themes.get(number=1),
        reference="1.1",
        title="Police-only action",
        side=Side.POLICE,
        police_lead=police_lead,
    )
    action.lead_organisations.add(police_force)
    return action


@pytest.fixture
def joint_action(national_plan, police_lead, cps_lead, police_force, cps_area):
    from actions.models import Side
    from tests.factories import ActionFactory

    action = ActionFactory(
        theme=national_plan.themes.get(number=2),
        reference="2.1",
        title="Joint action",
        side=Side.JOINT,
        police_lead=police_lead,
        cps_lead=cps_lead,
    )
    action.lead_organisations.add(police_force, cps_area)
    return action


@pytest.fixture
def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


# -- Celery in subprocesses ----------------------------------------------------------------------------------------


class CeleryProcesses:
    """A Celery worker (and beat processes) started by `celery_worker_process`, with their logs."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.procs: list = []

    def start(self, args: list[str], env: dict[str, str], name: str, ready: str, timeout: float) -> None:
        import subprocess
        import sys
        import time

        log_path = self.log_dir / f"{name}.log"
        log = open(log_path, "w")  # noqa: SIM115 - closed at teardown with the process
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "actionplan", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=os.path.dirname(os.path.dirname(__file__)),
        )
        self.procs.append((proc, log))
        deadline = time.monotonic() + timeout
        while ready not in log_path.read_text():
            if proc.poll() is not None:
                raise RuntimeError(f"celery {args[0]} exited with {proc.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"celery {args[0]} not ready after {timeout}s:\n{log_path.read_text()}")
            time.sleep(0.2)

    def logs(self) -> str:
        return "\n".join(f"== {path.name}\n{path.read_text()}" for path in sorted(self.log_dir.glob("*.log")))

    def stop(self) -> None:
        import subprocess

        for proc, log in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            log.close()
        self.procs.clear()


@pytest.fixture
def celery_worker_process(tmp_path):
    """Start `celery -A actionplan worker` (and optionally beat) against the test database and REDIS_URL.

    A factory: `celery_worker_process(beat=1, env={...})` returns the running processes once the worker is ready;
    they are stopped at teardown. Use it with `transactional_db` so the worker sees committed rows. The worker
    uses actionplan.settings.test with DATABASE_URL pointing at this run's test database; `env` adds variables
    (for example TEST_EMAIL_BACKEND and EMAIL_URL for a real SMTP server). The Redis queue is purged first.
    """
    import subprocess
    import sys

    from django.db import connection

    started: list[CeleryProcesses] = []

    def start(*, beat: int = 0, env: dict[str, str] | None = None, concurrency: int = 2, timeout: float = 60):
        db = connection.settings_dict
        if db["ENGINE"].endswith("sqlite3"):
            database_url = f"sqlite:///{db['NAME']}"
        else:
            auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            database_url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        full_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "actionplan.settings.test",
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        root = os.path.dirname(os.path.dirname(__file__))
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "actionplan", "purge", "-f"],
            env=full_env,
            cwd=root,
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        processes = CeleryProcesses(tmp_path)
        started.append(processes)
        processes.start(
            [
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            full_env,
            "worker",
            ready=" ready.",
            timeout=timeout,
        )
        for number in range(beat):
            processes.start(
                [
                    "beat",
                    "--loglevel=INFO",
                    "-s",
                    str(tmp_path / f"beat-{number}-schedule"),
                    "--pidfile",
                    str(tmp_path / f"beat-{number}.pid"),
                ],
                full_env,
                f"beat-{number}",
                ready="beat: Starting...",
                timeout=timeout,
            )
        return processes

    yield start
    for processes in started:
        processes.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages (the dashboard's body) never leak from one test into another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
