"""Search: actions by reference, words, or a lead's name, across the plans the person may read; bad input answered
with a message; the same number of queries however many results."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from actions.models import Action, Rag, Side, Status
from actions.search import actions_search
from tests.conftest import postgres_in_use
from tests.factories import ActionFactory, LocalPlanFactory, PlanFactory, ThemeFactory, UserFactory
from themes.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(national_plan, police_lead, cps_lead):
    """The national plan and a local plan, each with an action about victims' letters, and a draft plan."""
    local = LocalPlanFactory(mirrors=national_plan, title="Avon and Somerset joint plan", slug="avon")
    local_theme = ThemeFactory(
        plan=local, number=1, title="Supporting victims", mirrors=national_plan.themes.get(number=1)
    )
    national = ActionFactory(
        theme=national_plan.themes.get(number=1),
        reference="1.2",
        title="Explain decisions to victims in clear letters",
        description="Letters that say why no further action was taken.",
        side=Side.POLICE,
        police_lead=police_lead,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
    )
    ActionFactory(
        theme=national_plan.themes.get(number=3),
        reference="3.1",
        title="Adopt a joint disclosure approach",
        description="Proportionate requests for third-party material.",
        side=Side.CPS,
        cps_lead=cps_lead,
        status=Status.COMPLETED,
        completed_on="2022-01-10",
        rag=Rag.GREEN,
    )
    ActionFactory(
        theme=local_theme,
        reference="1.2",
        title="Explain decisions to victims in clear letters",
        side=Side.POLICE,
        mirrors=national,
        status=Status.NOT_STARTED,
        rag=Rag.RED,
    )
    draft = PlanFactory(title="Draft refresh", slug="draft", status=Plan.Status.DRAFT)
    ActionFactory(theme=ThemeFactory(plan=draft, number=1), reference="1.9", title="Draft letters to victims")
    return national_plan, local


def search(client, user, query: str, **extra):
    client.force_login(user)
    return client.get(reverse("actions:search"), {"q": query, **extra})


def results(body: str) -> list[tuple[str, str]]:
    """(plan slug, reference) of each result, in order."""
    found = []
    plan = None
    for match in re.finditer(r'data-plan="([^"]+)"|data-result="([^"]+)"', body):
        if match.group(1):
            plan = match.group(1)
        else:
            found.append((plan, match.group(2)))
    return found


def test_words_find_actions_in_every_plan_the_person_may_read_grouped_national_first(client, board_member, plans):
    response = search(client, board_member, "letters victims")
    assert response.status_code == 200
    body = response.content.decode()
    assert results(body) == [("national", "1.2"), ("avon", "1.2")]
    assert "2 actions found for ‘letters victims’" in body
    # Status and delivery confidence as the service's tags, with their words.
    national = body.split('data-result="1.2"')[1].split("</li>")[0]
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' in national
    assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>' in national
    assert "Led by Paula Police" in national
    # The draft plan is for admins.
    assert "Draft letters" not in body


def test_an_admin_also_finds_actions_of_a_draft_plan(client, admin_user, plans):
    body = search(client, admin_user, "letters").content.decode()
    assert ("draft", "1.9") in results(body)


def test_a_reference_finds_that_action_in_each_plan(client, board_member, plans):
    assert results(search(client, board_member, "1.2").content.decode()) == [("national", "1.2"), ("avon", "1.2")]
    assert results(search(client, board_member, "3.1").content.decode()) == [("national", "3.1")]


def test_words_of_the_description_find_an_action(client, board_member, plans):
    assert results(search(client, board_member, "third-party material").content.decode()) == [("national", "3.1")]


@pytest.mark.parametrize("query", ["Carl", "crown", "Carl Crown"])
def test_a_leads_name_finds_the_actions_they_lead(client, board_member, plans, query):
    assert results(search(client, board_member, query).content.decode()) == [("national", "3.1")]


def test_every_word_must_match(client, board_member, plans):
    body = search(client, board_member, "letters disclosure").content.decode()
    assert results(body) == []
    assert "No actions found for ‘letters disclosure’" in body
    assert "Improve your results by:" in body


def test_the_search_page_works_as_a_get_form_without_javascript(client, board_member, plans):
    client.force_login(board_member)
    body = client.get(reverse("actions:search")).content.decode()
    assert '<form method="get" action="/actions/search/" role="search" novalidate>' in body
    assert 'name="q" type="search"' in body
    assert "govuk-error-summary" not in body
    assert "data-result" not in body


def test_signed_in_pages_carry_a_search_box_in_the_header(client, police_lead, plans):
    client.force_login(police_lead)
    body = client.get(reverse("themes:home")).content.decode()
    header = body.split('class="govuk-service-navigation"')[1].split("<main")[0]
    assert 'action="/actions/search/" role="search"' in header
    client.logout()
    assert 'role="search"' not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a reference, words from an action or a lead’s name"),
        ("   ", "Enter a reference, words from an action or a lead’s name"),
        ("x" * 10_000, "Search terms must be 200 characters or fewer"),
    ],
)
def test_bad_input_is_answered_with_a_clear_message(client, board_member, plans, query, message):
    response = search(client, board_member, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<li><a href="#id_q">{message}</a></li>' in body
    assert "govuk-input--error" in body
    assert "<title>Error:" in body
    assert "data-result" not in body


@pytest.mark.parametrize("query", ["letters\x00victims", "\x1b[31m"])
def test_control_characters_are_refused_before_the_search_reads_them(client, board_member, plans, query):
    """The address is refused with a 400 that says why, as every page refuses one; the search form would refuse the
    words too, should they reach it another way."""
    from actions.search import SearchForm

    response = search(client, board_member, query)
    assert response.status_code == 400
    assert "contains a character that cannot be used in a search or filter" in response.content.decode()
    form = SearchForm({"q": query})
    assert not form.is_valid()
    assert form.errors["q"] == ["Search terms must only include letters, numbers, spaces and punctuation"]


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE actions_action; --",
        "1.2' OR '1'='1",
        '" OR 1=1 --',
        "%",
        "_",
        "\\",
        "victims & | ! ( ) :*",
        "<script>alert(1)</script>",
    ],
)
def test_text_shaped_like_sql_or_markup_is_only_ever_searched_for(client, board_member, plans, query):
    response = search(client, board_member, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert Action.objects.count() == 4
    # A wildcard character is a character, not a pattern.
    if query in ("%", "_", "\\"):
        assert results(body) == []


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1" * 40])
def test_a_page_number_that_makes_no_sense_shows_a_page_of_results(client, board_member, plans, page):
    response = search(client, board_member, "letters", page=page)
    assert response.status_code == 200
    assert results(response.content.decode())


def test_results_are_paginated_keeping_the_search(client, board_member, national_plan):
    theme = national_plan.themes.get(number=2)
    for n in range(1, 46):
        ActionFactory(theme=theme, reference=f"2.{n}", title=f"Casework review number {n}")
    first = search(client, board_member, "casework").content.decode()
    assert "45 actions found for ‘casework’: 1 to 20 shown" in first
    assert len(results(first)) == 20
    assert 'href="?q=casework&amp;page=2" rel="next"' in first
    assert 'aria-label="Page 3"' in first
    second = search(client, board_member, "casework", page="2").content.decode()
    assert "21 to 40 shown" in second
    assert 'href="?q=casework" rel="prev"' in second
    assert 'aria-current="page">2</a>' in second
    last = search(client, board_member, "casework", page="3").content.decode()
    assert len(results(last)) == 5
    assert 'rel="next"' not in last


def test_query_count_is_the_same_for_few_and_many_results(
    client, board_member, national_plan, django_assert_num_queries
):
    from django.test.utils import CaptureQueriesContext

    theme = national_plan.themes.get(number=2)
    lead = UserFactory(username="lena.lead", first_name="Lena", last_name="Lead", role="lead")
    ActionFactory(theme=theme, reference="2.1", title="Casework quality standard", police_lead=lead, side=Side.POLICE)
    client.force_login(board_member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("actions:search"), {"q": "casework"}).status_code == 200
    for n in range(2, 40):
        local = LocalPlanFactory(mirrors=national_plan)
        ActionFactory(
            theme=ThemeFactory(plan=local, number=2),
            reference=f"2.{n}",
            title=f"Casework quality {n}",
            police_lead=UserFactory(first_name=f"Lead{n}", role="lead"),
            side=Side.POLICE,
        )
    with django_assert_num_queries(len(few)):
        body = client.get(reverse("actions:search"), {"q": "casework"}).content.decode()
    assert len(results(body)) == 20
    # Session, person, the count and the page of results.
    assert len(few) <= 4


def test_the_selector_reads_only_readable_plans(board_member, outsider, plans):
    assert {a.plan.slug for a in actions_search(user=board_member, query="letters")} == {"national", "avon"}
    outsider.is_active = False
    outsider.save()
    assert list(actions_search(user=outsider, query="letters")) == []


@pytest.mark.postgres
def test_full_text_search_finds_other_forms_of_a_word_and_ranks_the_title_first(client, board_member, plans):
    if not postgres_in_use():
        pytest.skip("needs PostgreSQL")
    # "victim" and "letter" are found as "victims" and "letters" (English stemming).
    assert results(search(client, board_member, "victim letter").content.decode()) == [
        ("national", "1.2"),
        ("avon", "1.2"),
    ]
    national_plan, _ = plans
    ActionFactory(
        theme=national_plan.themes.get(number=1),
        reference="1.5",
        title="Support pathway",
        description="Letters to victims are part of the pathway.",
    )
    # A match in the title ranks above a match in the description alone.
    body = search(client, board_member, "letters").content.decode()
    assert [ref for plan, ref in results(body) if plan == "national"] == ["1.2", "1.5"]


@pytest.mark.postgres
def test_full_text_search_reads_the_stored_document_through_its_gin_index(board_member, plans):
    if not postgres_in_use():
        pytest.skip("needs PostgreSQL")
    from django.db.models.expressions import RawSQL

    from actions.search import SEARCH_CONFIG, TEXT_MATCHES, search_document

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + TEXT_MATCHES, [SEARCH_CONFIG, "victims"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "action_search_document" in plan, plan
    # The stored document is the one Django computes, title and description alike, kept as they change.
    action = Action.objects.filter(plan__slug="national").first()
    action.description = "Specialist advocates for every complainant."
    action.save()
    with connection.cursor() as cursor:
        cursor.execute(TEXT_MATCHES, [SEARCH_CONFIG, "complainants advocate"])
        assert [row[0] for row in cursor.fetchall()] == [action.pk]
    stored = Action.objects.filter(pk=action.pk).annotate(stored=RawSQL('"search_document"::text', [])).values("stored")
    computed = Action.objects.filter(pk=action.pk).annotate(document=search_document()).values("document")
    assert stored[0]["stored"] == str(computed[0]["document"])
