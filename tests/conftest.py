"""Shared fixtures: the named people of the suite, a national plan, and the service-backed test switches.

Tests that need PostgreSQL, Redis or Chromium skip with a reason when the service is missing, so `make test`
passes on a bare machine; with CI=true every skip fails the run (see pytest_sessionfinish below).
"""

from __future__ import annotations

import os
import shutil
import socket
from datetime import date
from urllib.parse import urlsplit

import pytest

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


def pytest_collection_modifyitems(config, items):
    redis_url = os.environ.get("REDIS_URL", "")
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

    return UserFactory(username="admin", first_name="Ada", last_name="Admin", role=User.Role.ADMIN)


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
