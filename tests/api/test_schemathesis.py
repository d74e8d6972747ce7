"""schemathesis against the OpenAPI schema on a live server, signed in with a token: no answer is a 5xx, and every
answer (its status code, content type, headers and body) is the one the schema documents."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from actions.models import Side
from api.services import api_token_create
from tests.factories import ActionFactory, ReviewCycleFactory, StatusUpdateFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.schemathesis]

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25")


@pytest.fixture
def plan_with_history(national_plan, police_lead, cps_lead, police_force, admin_user):
    """Something behind every endpoint: actions of each side, a status update, a review cycle."""
    theme = national_plan.themes.get(number=1)
    police = ActionFactory(theme=theme, reference="1.1", side=Side.POLICE, police_lead=police_lead, start_date=None)
    police.lead_organisations.add(police_force)
    ActionFactory(
        theme=theme,
        reference="1.2",
        side=Side.CPS,
        cps_lead=cps_lead,
        status="completed",
        rag="",
        completed_on="2022-01-01",
    )
    StatusUpdateFactory(action=police, author=police_lead, version=2)
    ReviewCycleFactory(plan=national_plan, name="Q1 2022-23")
    return national_plan


def test_the_api_keeps_to_its_schema_under_schemathesis(live_server, plan_with_history, admin_user, tmp_path: Path):
    _token, key = api_token_create(user=admin_user, name="schemathesis")
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{live_server.url}/api/schema/",
        "--header",
        f"Authorization: Token {key}",
        "--checks",
        CHECKS,
        "--max-examples",
        MAX_EXAMPLES,
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "1",
        "--seed",
        "11",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
    assert "No issues found" in output or "passed" in output, output[-5000:]
