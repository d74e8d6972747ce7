"""Fixtures of the board's tests: the known plan (tests/reviews/builders.py) and its day."""

from __future__ import annotations

import pytest
import time_machine

from tests.reviews.builders import TODAY, build_known_plan


@pytest.fixture
def known(national_plan, police_lead, cps_lead, police_force, cps_area):
    """The known national plan; a module may override it (with local plans, or twists of its own)."""
    return build_known_plan(
        national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
    )


@pytest.fixture
def on_today():
    """The day the known data describes."""
    with time_machine.travel(TODAY, tick=False):
        yield
