"""The Notifications page in a real browser: reminders listed, optional kinds turned off, axe-core finds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from notifications.services import reminders_send
from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_reads_reminders_and_turns_off_due_soon(page, live_server, police_lead, police_action):
    police_action.target_date = date(2022, 7, 7)
    police_action.save()
    reminders_send(as_of=date(2022, 7, 8))

    sign_in(page, live_server, "police.lead")
    page.get_by_role("link", name="Notifications").click()

    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Reminders sent to you")
    expect(table.get_by_role("row").nth(1)).to_contain_text("8 July 2022")
    expect(table.get_by_role("link", name="1.1 Police-only action")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Actions due soon")).to_be_checked()
    assert_accessible(page)

    page.get_by_role("checkbox", name="Actions due soon").uncheck()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_role("alert")).to_contain_text("Your reminder choices have been saved")
    expect(page.get_by_role("checkbox", name="Actions due soon")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Board meetings coming")).to_be_checked()
    assert_accessible(page)
    police_lead.refresh_from_db()
    assert police_lead.wants_due_soon_reminders is False


def test_notifications_page_fits_a_phone_screen(page, live_server, police_lead, police_action):
    police_action.title = "Build digital forensic capability for targeted and timely device examination"
    police_action.target_date = date(2022, 9, 21)
    police_action.save()
    reminders_send(as_of=date(2022, 9, 22))

    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, "police.lead")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_role("table", name="Reminders sent to you")).to_contain_text("22 September 2022")
    # Nothing wider than the screen: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)


def test_the_html_digest_is_accessible(page, police_lead, police_action, joint_action):
    from django.core import mail

    police_action.target_date = date(2022, 7, 7)
    police_action.save()
    joint_action.target_date = date(2022, 7, 20)
    joint_action.save()
    reminders_send(as_of=date(2022, 7, 8))
    [digest] = [message for message in mail.outbox if message.to == [police_lead.email]]
    html, mimetype = digest.alternatives[0]
    assert mimetype == "text/html"
    page.set_content(html)
    expect(page.get_by_role("heading", level=1)).to_have_text("1 action overdue, 1 action due soon")
    expect(page.get_by_role("link", name="1.1 Police-only action")).to_have_attribute(
        "href", f"http://testserver{police_action.get_absolute_url()}"
    )
    assert_accessible(page)
