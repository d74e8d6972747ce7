"""A review cycle run in a real browser: an admin schedules it, opens it early, a lead updates within it, the admin
chases the missing leads, records a decision and the board's summary, closes it, and the board reads the closed
cycle. axe-core finds nothing on any of the pages, the forms with errors included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import ActionSnapshot, BoardDecision
from tests.browser_support import assert_accessible, sign_in
from tests.factories import ActionFactory
from themes.models import ReviewCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, prefix: str, day) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def test_a_cycle_from_schedule_to_closed(
    page, live_server, admin_user, police_action, police_lead, cps_lead, board_member
):
    police_lead.email, cps_lead.email = "paula@example.org", "carl@example.org"
    police_lead.save()
    cps_lead.save()
    ActionFactory(theme=police_action.theme, reference="1.2", title="Letters explaining decisions", cps_lead=cps_lead,
                  side="cps")  # fmt: skip
    plan = police_action.plan
    today = timezone.localdate()

    # The admin schedules one cycle; a mistake is named first.
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/reviews/")
    page.get_by_text("Schedule review cycles of a plan").click()
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_role("heading", name="Schedule review cycles", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator("#id_one-name").fill("Q4 2026-27")
    fill_date(page, "one-opens_on", today + timedelta(days=7))
    fill_date(page, "one-updates_due_on", today + timedelta(days=3))
    fill_date(page, "one-board_meeting_on", today + timedelta(days=35))
    page.get_by_role("button", name="Schedule review cycle").click()
    expect(page.get_by_role("alert")).to_contain_text("The date updates are due must be the same as or after")
    assert_accessible(page)
    fill_date(page, "one-updates_due_on", today + timedelta(days=21))
    page.get_by_role("button", name="Schedule review cycle").click()
    expect(page.get_by_text("Review cycle Q4 2026-27 scheduled")).to_be_visible()
    cycle = ReviewCycle.objects.get(plan=plan, name="Q4 2026-27")

    # ...opens it early...
    page.goto(f"{live_server.url}/reviews/{cycle.pk}/")
    page.get_by_role("button", name="Open for updates now").click()
    expect(page.get_by_text("Q4 2026-27 is open")).to_be_visible()
    assert_accessible(page)

    # A lead updates within the cycle and sees their own part of it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/actions/{police_action.pk}/update/")
    page.get_by_label("In progress").check()
    page.get_by_label("Green").check()
    page.get_by_label("What has happened since the last update?").fill("Referral pathway agreed with two forces.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Referral pathway agreed with two forces.")).to_be_visible()
    page.goto(f"{live_server.url}/reviews/{cycle.pk}/")
    expect(page.locator("[data-progress=overall]")).to_contain_text("1 of 1 open action updated")
    assert_accessible(page)

    # The admin chases the CPS lead still missing, records a decision (a mistake first) and the summary.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/reviews/{cycle.pk}/")
    expect(page.locator('[data-missing="1.2"]')).to_be_visible()
    page.get_by_role("button", name="Chase the missing leads now").click()
    expect(page.get_by_text("Chase sent to 1 lead")).to_be_visible()
    page.get_by_role("link", name="Record a decision about action 1.1").click()
    page.get_by_label("Escalated to the joint operational improvement board").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what the board asks for")
    assert_accessible(page)
    page.get_by_label("Comment (optional for a note or an acceptance)").fill("Two forces are not enough.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded for action 1.1")).to_be_visible()
    page.get_by_role("link", name="Record the board's summary").click()
    assert_accessible(page)
    page.get_by_label("The board's summary of the meeting").fill("The board asked for every force by March.")
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("The board asked for every force by March.")).to_be_visible()

    # Closing before the meeting asks for confirmation; then the snapshot is frozen.
    page.get_by_role("link", name="Close the cycle").click()
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.get_by_role("alert")).to_contain_text("confirm that you are closing the cycle before its meeting")
    assert_accessible(page)
    page.get_by_label("I am closing this cycle before its board meeting").check()
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.get_by_text("Q4 2026-27 is closed")).to_be_visible()
    assert ActionSnapshot.objects.filter(cycle=cycle).count() == 2
    assert BoardDecision.objects.filter(cycle=cycle).count() == 1

    # The board reads the closed cycle as it stood.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "board.member")
    page.goto(f"{live_server.url}/reviews/{cycle.pk}/")
    expect(page.get_by_role("heading", name="Updates when the cycle closed")).to_be_visible()
    expect(page.locator('[data-missing="1.2"]')).to_be_visible()
    expect(page.get_by_text("Two forces are not enough.")).to_be_visible()
    assert_accessible(page)
