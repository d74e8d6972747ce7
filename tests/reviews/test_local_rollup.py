"""The dashboard's roll-up of local plans made from the national plan: copies not applicable locally left out of
the figures and counted apart, local additions shown apart, "delivered in N of M" counting only where it applies."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from actions.local_plans import local_action_add, local_action_set_not_applicable, local_plan_create
from actions.models import Action, Side, Status
from tests.factories import ActionFactory, CpsAreaFactory, PoliceForceFactory
from tests.reviews.builders import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def rollup(national_plan, admin_user, police_force, cps_area):
    theme1, theme2 = national_plan.themes.get(number=1), national_plan.themes.get(number=2)
    for theme, reference in ((theme1, "1.1"), (theme1, "1.2"), (theme2, "2.1")):
        ActionFactory(theme=theme, reference=reference, title=f"National {reference}", side=Side.JOINT)
    avon = local_plan_create(national=national_plan, police_force=police_force, cps_area=cps_area, by=admin_user)
    kent = local_plan_create(
        national=national_plan,
        police_force=PoliceForceFactory(name="Kent Police", short_name="Kent"),
        cps_area=CpsAreaFactory(name="CPS South East", short_name="South East"),
        by=admin_user,
    )
    set_status(avon, "1.1", Status.COMPLETED)
    set_status(kent, "1.1", Status.COMPLETED)
    set_status(avon, "2.1", Status.IN_PROGRESS, rag="red")
    local_action_set_not_applicable(
        action=avon.actions.get(reference="1.2"), by=admin_user, not_applicable=True, reason="Done regionally"
    )
    for title, status in (("Victim liaison panel", Status.COMPLETED), ("Local training days", Status.IN_PROGRESS)):
        action = local_action_add(
            local_plan=avon, by=admin_user, theme=avon.themes.get(number=1), title=title, side=Side.JOINT,
            start_date=date(2022, 4, 1), target_date=date(2030, 3, 31),
        )  # fmt: skip
        set_status(avon, action.reference, status, rag="amber")
    return avon, kent


def set_status(plan, reference, status, rag="green"):
    Action.objects.filter(plan=plan, reference=reference).update(
        status=status, rag=rag, completed_on=date(2022, 6, 1) if status == Status.COMPLETED else None
    )


def test_not_applicable_left_out_and_additions_shown_apart(client, board_member, rollup):
    avon, kent = rollup
    client.force_login(board_member)
    shown = figures(client.get(reverse("reviews:dashboard")).content.decode())
    theme_pages = [
        figures(client.get(reverse("reviews:theme_dashboard", args=[number])).content.decode()) for number in (1, 2)
    ]
    a, k = f"local-{avon.slug}", f"local-{kent.slug}"
    # Theme 1 in Avon: 1.1 completed, 1.2 not applicable (left out), the two additions apart.
    assert theme_pages[0][f"{a}-completed:text"] == "1 of 1"
    assert theme_pages[1][f"{a}-completed:text"] == "0 of 1" and theme_pages[1][f"{a}-red"] == "1"
    assert shown[f"{a}-complete"] == "50%"
    assert (shown[f"{a}-red"], shown[f"{a}-amber"]) == ("1", "0")  # the additions' amber is theirs, not the plan's
    assert shown[f"{a}-local_additions:text"] == "1 of 2 completed 1 amber"
    assert shown[f"{a}-not_applicable_locally"] == "1"
    assert theme_pages[0][f"{k}-completed:text"] == "1 of 2"
    assert shown[f"{k}-local_additions:text"] == "None" and shown[f"{k}-not_applicable_locally"] == "0"
    assert theme_pages[0]["delivered-1.1:text"] == "Delivered in 2 of 2 local plans"
    assert theme_pages[0]["delivered-1.2:text"] == "Delivered in 0 of 1 local plan (not applicable in 1)"
    assert theme_pages[1]["delivered-2.1:text"] == "Delivered in 0 of 2 local plans"


def test_a_local_plans_own_figures_leave_out_what_does_not_apply(client, board_member, rollup):
    avon, _ = rollup
    client.force_login(board_member)
    shown = figures(client.get(reverse("reviews:dashboard") + f"?plan={avon.slug}").content.decode())
    # 1.1, 2.1 and the two additions; 1.2 (not applicable) is not counted.
    assert (shown["total"], shown["t-completed"]) == ("4", "2")
