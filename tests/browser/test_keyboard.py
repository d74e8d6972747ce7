"""Every journey by keyboard alone: sign in, My actions, a status update and the dashboard filters, with Tab to
move and Enter or Space to act, never a mouse click; at every stop the control with the focus shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actions.models import StatusUpdate
from tests.browser_support import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the focused element looks like: GOV.UK Frontend's focus state is a yellow (#ffdd00) background, outline
# or box shadow, on the element itself or, for radios and checkboxes, on the ::before of the label beside it.
FOCUS_STYLE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", visible: false};
  const yellow = (value) => value.includes("255, 221, 0");
  const styles = [getComputedStyle(el)];
  const label = el.labels && el.labels[0];
  if (label) styles.push(getComputedStyle(label, "::before"), getComputedStyle(label, "::after"));
  const visible = styles.some((s) =>
    yellow(s.backgroundColor) || yellow(s.boxShadow) || (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2
      && !s.outlineColor.includes("0, 0, 0, 0") && s.outlineColor !== "transparent"));
  const text = (el.getAttribute("aria-label") || (label && label.innerText) || el.innerText || el.value || "").trim();
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"), type: el.type || "", text, visible};
}
"""


def tab_to(page, matches, *, limit: int = 120, backwards: bool = False) -> dict:
    """Press Tab until the focused element satisfies `matches`; assert each focus stop is visible."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused["tag"] == "body":
            continue
        assert focused["visible"], f"the focus on {focused} cannot be seen"
        if matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the control after {limit} presses")


def named(text: str):
    return lambda focused: focused["text"] == text


def test_a_lead_signs_in_updates_an_action_and_filters_the_dashboard_by_keyboard_alone(
    page, live_server, police_lead, police_action, joint_action
):
    # Sign in.
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type("police.lead")
    tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type(PASSWORD)
    tab_to(page, named("Sign in"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My actions", level=1)).to_be_visible()

    # My actions: to the action, then to its update form.
    tab_to(page, named("Police-only action"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Police-only action", level=1)).to_be_visible()
    tab_to(page, named("Update status"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Update status", level=1)).to_be_visible()

    # The form: the delivery confidence group takes the focus on its checked radio; arrows choose within it.
    tab_to(page, lambda f: f["name"] == "rag")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Amber")).to_be_checked()
    assert page.evaluate(FOCUS_STYLE)["visible"]
    tab_to(page, lambda f: f["id"] == "id_narrative")
    page.keyboard.type("Trainers withdrew; recruiting again.")
    tab_to(page, named("Save update"))
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Status of action 1.1 updated")
    update = StatusUpdate.objects.get(action=police_action)
    assert (update.rag_to, update.narrative) == ("amber", "Trainers withdrew; recruiting again.")

    # The dashboard, through the navigation, then a filter chosen with Space and applied with Enter.
    tab_to(page, named("Dashboard"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Dashboard"), level=1)).to_be_visible()
    tab_to(page, lambda f: f["type"] == "checkbox" and f["text"] == "Amber")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Amber")).to_be_checked()
    tab_to(page, named("Apply filters"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"rag=amber"))
    expect(page.locator('[data-figure="t-total"]')).to_have_text("1")
    expect(page.locator(".moj-filter__tag", has_text="Amber")).to_be_visible()


def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(
    page, live_server, board_member, national_plan
):
    page.goto(f"{live_server.url}/accessibility/")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_STYLE)
    assert (focused["text"], focused["visible"]) == ("Skip to main content", True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    # The footer's statement and notice are reached by keyboard too.
    tab_to(page, named("Privacy notice"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
