from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("reviews:dashboard"),
    reverse("reviews:board_pack"),
    reverse("reviews:export", kwargs={"fmt": "csv"}),
    reverse("reviews:export", kwargs={"fmt": "xlsx"}),
]


@pytest.mark.parametrize("url", PAGES)
def test_people_without_a_role_cannot_read_dashboards(client, outsider, national_plan, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_board_members_admins_and_leads_read_dashboards(
    client, board_member, admin_user, police_lead, national_plan, police_action, url
):
    for person in (board_member, admin_user, police_lead):
        client.force_login(person)
        assert client.get(url).status_code == 200, person.role


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, national_plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_nothing_on_the_dashboard_or_pack_offers_an_edit_to_a_board_member(
    client, board_member, national_plan, police_action
):
    client.force_login(board_member)
    for url in PAGES[:2]:
        body = client.get(url).content.decode()
        assert body.count('method="post"') == 1  # sign out only
        assert "/admin/" not in body


def test_dashboard_is_in_the_navigation_and_marked_current(client, board_member, national_plan):
    client.force_login(board_member)
    body = client.get(reverse("reviews:dashboard")).content.decode()
    assert f'href="{reverse("reviews:dashboard")}" aria-current="page"' in body
    assert f'href="{reverse("reviews:list")}" aria-current="page"' not in body


def test_outsiders_do_not_see_the_dashboard_in_the_navigation(client, outsider, national_plan):
    client.force_login(outsider)
    assert reverse("reviews:dashboard") not in client.get(reverse("themes:home")).content.decode()


@pytest.mark.parametrize("person", ["board_member", "admin_user"])
def test_board_members_and_admins_land_on_the_dashboard(client, request, person):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("landing"))
    assert response["Location"] == reverse("reviews:dashboard")


def test_review_cycle_pages_are_for_dashboard_readers_only(client, outsider, board_member, national_plan):
    from tests.factories import ReviewCycleFactory

    cycle = ReviewCycleFactory(plan=national_plan, name="Q3 2021-22")
    pages = [reverse("reviews:list"), reverse("reviews:detail", kwargs={"pk": cycle.pk})]
    client.force_login(outsider)
    assert [client.get(url).status_code for url in pages] == [403, 403]
    client.force_login(board_member)
    responses = [client.get(url) for url in pages]
    assert [response.status_code for response in responses] == [200, 200]
    assert "Q3 2021-22" in responses[1].content.decode()
