"""A published revision, and each of its decisions, is the record of what it did to the plan: nothing changes or
deletes it, down to raw SQL on PostgreSQL. A draft is still edited and deleted."""

from __future__ import annotations

import pytest
from django.db import InternalError, connection, transaction

from actionplan.append_only import AppendOnlyError
from reviews.models import Revision, RevisionDecision
from reviews.revisions import revision_decide, revision_publish
from tests.reviews.test_revisions import (  # noqa: F401
    decide_everything,
    draft,
    in_spring_2022,
    new_action,
    plan_actions,
    proposal_from,
)

pytestmark = pytest.mark.django_db
Fate = RevisionDecision.Fate


@pytest.fixture
def published(draft, admin_user, plan_actions, national_plan):  # noqa: F811
    decide_everything(draft, admin_user, plan_actions, national_plan)
    return revision_publish(revision=draft, by=admin_user)


def test_a_published_revision_and_its_decisions_cannot_be_changed_or_deleted(published):
    revision = Revision.objects.get(pk=published.pk)
    revision.rationale = "Rewritten."
    for attempt in (
        revision.save,
        revision.delete,
        published.save,
        lambda: Revision.objects.filter(pk=published.pk).update(rationale="Rewritten."),
        lambda: Revision.objects.filter(pk=published.pk).delete(),
    ):
        with pytest.raises(AppendOnlyError, match="A published revision is kept"):
            attempt()
    decision = published.decisions.filter(fate=Fate.MERGED).get()
    decision.reason = "Rewritten."
    for attempt in (
        decision.save,
        decision.delete,
        lambda: published.decisions.update(reason="Rewritten."),
        lambda: RevisionDecision.objects.filter(pk=decision.pk).delete(),
    ):
        with pytest.raises(AppendOnlyError, match="A published revision is kept"):
            attempt()
    assert Revision.objects.get(pk=published.pk).rationale != "Rewritten."
    assert RevisionDecision.objects.get(pk=decision.pk).reason == "One joint standard"


def test_a_draft_and_its_decisions_are_still_changed_and_deleted(draft, admin_user, plan_actions):  # noqa: F811
    decision = revision_decide(
        revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.WITHDRAWN, reason="Done elsewhere"
    )
    RevisionDecision.objects.filter(pk=decision.pk).update(reason="Done elsewhere, by the CPS")
    Revision.objects.filter(pk=draft.pk).update(rationale="Rewritten.")
    Revision.objects.filter(pk=draft.pk).delete()
    assert not RevisionDecision.objects.filter(pk=decision.pk).exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE reviews_revision SET rationale = 'Rewritten.' WHERE id = %(revision)s",
        "DELETE FROM reviews_revision WHERE id = %(revision)s",
        "UPDATE reviews_revisiondecision SET reason = 'Rewritten.' WHERE revision_id = %(revision)s",
        "DELETE FROM reviews_revisiondecision WHERE revision_id = %(revision)s",
    ],
    ids=["update revision", "delete revision", "update decisions", "delete decisions"],
)
def test_raw_sql_cannot_change_a_published_revision(published, sql):
    with pytest.raises(InternalError, match="Cannot update or delete rows of a published revision"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {"revision": published.pk})
    assert Revision.objects.get(pk=published.pk).status == Revision.Status.PUBLISHED
    assert not published.decisions.filter(reason="Rewritten.").exists()
