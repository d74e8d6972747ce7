"""Search of actions: the search box's form and the selector that finds the actions a person may read.

An action matches by its reference (the whole search, or one of its words, equal to the reference), by its title
and description (PostgreSQL's full-text search with the English configuration: "victims" finds "victim", every
word must be there; on SQLite, where there is no full-text search, every word must appear in the title or the
description), or by a lead's name (every word in the first or last name of its police or CPS lead). Results come
national plan first, then by plan, the best matches of each plan first.

On PostgreSQL the title and description are searched in the stored column `search_document`, kept by PostgreSQL
as `search_document()` computes it, through its GIN index `action_search_document` (migration actions 0011).
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .models import Action

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
RESULTS_PER_PAGE = 20
SEARCH_CONFIG = "english"
# The actions whose title or description holds every word, on PostgreSQL: through the stored document and its GIN
# index (migration actions 0011), which hold exactly `search_document()`.
TEXT_MATCHES = 'SELECT "id" FROM "actions_action" WHERE "search_document" @@ websearch_to_tsquery(%s::regconfig, %s)'


class SearchTermsField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        # Control characters (a NUL, which PostgreSQL cannot take, an escape...) have no place in a search; tabs and
        # line breaks pasted with the words are spaces.
        value = re.sub(r"[\t\n\r]+", " ", value)
        if any(unicodedata.category(character) == "Cc" for character in value):
            raise forms.ValidationError(
                "Search terms must only include letters, numbers, spaces and punctuation", code="control"
            )
        return " ".join(value.split())


class SearchForm(forms.Form):
    q = SearchTermsField(
        label="Search actions",
        help_text="A reference such as 2.3, words from an action’s title or description, or a lead’s name",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": "Enter a reference, words from an action or a lead’s name",
            "max_length": f"Search terms must be {MAX_QUERY_LENGTH} characters or fewer",
        },
    )


def search_words(query: str) -> list[str]:
    """The words of a search, at most MAX_WORDS of them."""
    return query.split()[:MAX_WORDS]


def search_document():
    """What full-text search reads of an action: its title (weight A) and description (weight B), so that a word of
    the title ranks higher than one of the description."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "description", weight="B", config=SEARCH_CONFIG
    )


def _lead_ids(words: list[str]):
    """The people whose first or last name holds every word (as a subquery)."""
    people = get_user_model().objects.all()
    for word in words:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return people.values("pk")


def actions_search(*, user, query: str) -> QuerySet[Action]:
    """The actions of the plans the person may read that match `query` (see the module), best first within each
    plan, national plan first; with `plan`, `theme`, `police_lead` and `cps_lead` for the results page and
    `relevance` to rank them. The count and one page of it are two queries whatever the number of results."""
    words = search_words(query)
    if not words:
        return Action.objects.none()
    leads = _lead_ids(words)
    by_reference = Q(reference__iexact=query) | Q(reference__in=[word for word in words if len(word) <= 20])
    by_lead = Q(police_lead__in=leads) | Q(cps_lead__in=leads)
    actions = Action.objects.readable_by(user)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        text = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="websearch")
        by_text = Q(pk__in=RawSQL(TEXT_MATCHES, [SEARCH_CONFIG, " ".join(words)]))
        # Ranked by the title alone: a match there comes before one in the description only, and the title's
        # vector is quick to build for every match (the description's would be most of the search's time).
        text_rank = SearchRank(SearchVector("title", config=SEARCH_CONFIG), text)
    else:
        by_text = Q()
        for word in words:
            by_text &= Q(title__icontains=word) | Q(description__icontains=word)
        text_rank = Case(
            When(title__icontains=query, then=Value(0.5)),
            When(by_text, then=Value(0.1)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    relevance = (
        Case(When(by_reference, then=Value(10.0)), default=Value(0.0), output_field=FloatField())
        + Case(When(by_lead, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        + Coalesce(text_rank, Value(0.0), output_field=FloatField())
    )
    return (
        actions.filter(by_reference | by_text | by_lead)
        .select_related("plan", "theme", "police_lead", "cps_lead")
        .with_current_target()
        .annotate(
            relevance=relevance,
            plan_rank=Case(When(plan__kind="national", then=Value(0)), default=Value(1)),
        )
        .order_by("plan_rank", "plan__title", "plan_id", F("relevance").desc(), "reference_sort", "pk")
    )
