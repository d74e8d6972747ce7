"""Status updates are append-only: no path changes or deletes one, down to raw SQL on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, connection, models, transaction
from django.db.models import ProtectedError
from django.test.utils import isolate_apps
from django.urls import reverse

from actionplan.append_only import AppendOnlyError, AppendOnlyModel
from actions.models import Action, StatusUpdate
from actions.services import action_update_status
from tests.factories import ActionFactory, ReviewCycleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(police_action, police_lead) -> StatusUpdate:
    return action_update_status(
        action=police_action, by=police_lead, status="in_progress", rag="amber", narrative="Kept for ever, always.",
        expected_version=1,
    )  # fmt: skip


def unchanged(update: StatusUpdate) -> bool:
    row = StatusUpdate.objects.filter(pk=update.pk).values("narrative", "rag_to", "action_id").first()
    return row == {"narrative": "Kept for ever, always.", "rag_to": "amber", "action_id": update.action_id}


def test_saving_a_saved_status_update_is_refused(update):
    update.narrative = "Rewritten."
    with pytest.raises(AppendOnlyError, match="Status updates are append-only"):
        update.save()
    with pytest.raises(AppendOnlyError):
        update.save(update_fields=["narrative"])
    fetched = StatusUpdate.objects.get(pk=update.pk)
    fetched.narrative = "Rewritten."
    with pytest.raises(AppendOnlyError):
        fetched.save()
    assert unchanged(update)


def test_a_new_instance_with_a_saved_id_is_an_insert_and_cannot_overwrite(update, police_lead):
    impostor = StatusUpdate(
        pk=update.pk, action=update.action, author=police_lead, status_to="completed", rag_to="green", version=99
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()
    assert unchanged(update)


def test_deleting_a_status_update_is_refused(update):
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        update.delete()
    assert unchanged(update)


def test_queryset_update_is_refused(update, police_action):
    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        StatusUpdate.objects.filter(pk=update.pk).update(narrative="Rewritten.")
    with pytest.raises(AppendOnlyError):
        police_action.updates.update(narrative="Rewritten.")
    with pytest.raises(AppendOnlyError):
        StatusUpdate._base_manager.filter(pk=update.pk).update(narrative="Rewritten.")
    assert unchanged(update)


def test_bulk_update_is_refused(update):
    update.narrative = "Rewritten."
    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        StatusUpdate.objects.bulk_update([update], ["narrative"])
    assert unchanged(update)


def test_queryset_delete_is_refused(update, police_action):
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        StatusUpdate.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        police_action.updates.all().delete()
    with pytest.raises(AppendOnlyError):
        StatusUpdate._base_manager.all().delete()
    assert unchanged(update)


def test_an_action_with_status_updates_cannot_be_deleted(update, police_action):
    with pytest.raises(ProtectedError, match="StatusUpdate.action"):
        police_action.delete()
    with pytest.raises(ProtectedError, match="StatusUpdate.action"):
        Action.objects.filter(pk=police_action.pk).delete()
    assert Action.objects.filter(pk=police_action.pk).exists()
    assert unchanged(update)


def test_a_review_cycle_with_status_updates_cannot_be_deleted(national_plan, police_action, police_lead, today):
    cycle = ReviewCycleFactory(plan=national_plan, opens_on=today, updates_due_on=today, board_meeting_on=today)
    update = action_update_status(
        action=police_action, by=police_lead, status="in_progress", rag="amber", narrative="Kept for ever, always.",
        expected_version=1,
    )  # fmt: skip
    assert update.review_cycle == cycle
    # Deleting the cycle would have to rewrite the update (SET NULL): refused instead.
    with pytest.raises(ProtectedError, match="StatusUpdate.review_cycle"):
        cycle.delete()
    assert StatusUpdate.objects.get(pk=update.pk).review_cycle_id == cycle.pk


@isolate_apps("actions")
def test_an_append_only_model_must_protect_its_foreign_keys():
    class Cycle(models.Model):
        class Meta:
            app_label = "actions"

        def __str__(self) -> str:
            return str(self.pk)

    class Snapshot(AppendOnlyModel):
        cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
        previous = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")

        class Meta(AppendOnlyModel.Meta):
            app_label = "actions"

    assert [(error.id, error.msg.split(" ")[0]) for error in Snapshot.check()] == [
        ("actionplan.E001", "Snapshot.cycle")
    ]
    assert [error for error in StatusUpdate.check() if error.id == "actionplan.E001"] == []


def test_an_action_without_status_updates_may_still_be_deleted(police_action):
    police_action.delete()
    assert not Action.objects.filter(pk=police_action.pk).exists()


# -- The admin ----------------------------------------------------------------------------------------------------


def test_admin_offers_no_delete_for_an_action_with_status_updates(client, admin_user, update, police_action):
    client.force_login(admin_user)
    delete_url = reverse("admin:actions_action_delete", args=[police_action.pk])
    change_page = client.get(reverse("admin:actions_action_change", args=[police_action.pk])).content.decode()
    assert delete_url not in change_page

    response = client.post(delete_url, {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:actions_action_change", args=[police_action.pk])
    assert "has status updates, which are kept for ever, so it cannot be deleted" in response.content.decode()
    assert Action.objects.filter(pk=police_action.pk).exists()
    assert unchanged(update)


def test_admin_bulk_delete_refuses_an_action_with_status_updates(client, admin_user, update, police_action):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:actions_action_changelist"),
        {"action": "delete_selected", "_selected_action": [police_action.pk], "post": "yes"},
    )
    assert response.status_code == 200  # the confirmation page, listing what protects it, with nothing deleted
    assert "1.1 Police-only action: has status updates, so it cannot be deleted" in response.content.decode()
    assert Action.objects.filter(pk=police_action.pk).exists()
    assert unchanged(update)


def test_admin_still_deletes_an_action_without_status_updates(client, admin_user, national_plan):
    action = ActionFactory(theme=national_plan.themes.get(number=4), reference="4.9")
    client.force_login(admin_user)
    delete_url = reverse("admin:actions_action_delete", args=[action.pk])
    assert delete_url in client.get(reverse("admin:actions_action_change", args=[action.pk])).content.decode()
    response = client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()


# -- PostgreSQL: the database refuses, whoever asks ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE actions_statusupdate SET narrative = 'Rewritten.' WHERE id = %s",
        "DELETE FROM actions_statusupdate WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_raw_sql_cannot_change_or_delete_a_status_update(update, sql):
    with pytest.raises(InternalError, match="Cannot update or delete rows"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [update.pk])
    assert unchanged(update)


@pytest.mark.postgres
def test_raw_sql_cannot_delete_an_action_with_status_updates(update, police_action):
    # The foreign key (checked at commit, so checked at once here) refuses it; nothing cascades in the database.
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("DELETE FROM actions_action WHERE id = %s", [police_action.pk])
    assert Action.objects.filter(pk=police_action.pk).exists()
    assert unchanged(update)
