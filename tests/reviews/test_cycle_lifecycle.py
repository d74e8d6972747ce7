"""A review cycle from planned to closed: scheduled by an admin, opened (by the daily task or early), updates
collected, missing leads chased once a day, the board's decisions and summary recorded, closed with a frozen
snapshot that later writes never change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actions.models import Rag, Side, Status
from actions.services import action_update_status
from notifications.models import Reminder
from notifications.services import reminder_digest_deliver, review_cycle_chase
from reviews.models import ActionSnapshot, BoardDecision
from reviews.services import board_decision_record, board_minutes_save, review_cycle_close
from tests.factories import ActionFactory, PlanFactory, ReviewCycleFactory, ThemeFactory
from themes.models import ReviewCycle
from themes.services import (
    financial_quarter_name,
    quarterly_cycle_dates,
    review_cycle_change,
    review_cycle_create,
    review_cycle_open,
    review_cycles_open_due,
    review_cycles_schedule_year,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)


@pytest.fixture
def plan(national_plan):
    return national_plan


@pytest.fixture
def actions(plan, police_lead, cps_lead):
    with time_machine.travel(MONDAY - timedelta(days=60)):
        return _actions(plan, police_lead, cps_lead)


def _actions(plan, police_lead, cps_lead):
    police_lead.email, cps_lead.email = "paula@example.org", "carl@example.org"
    police_lead.save()
    cps_lead.save()
    theme1, theme2 = plan.themes.get(number=1), plan.themes.get(number=2)
    return {
        "police": ActionFactory(
            theme=theme1, reference="1.1", title="ISVA referrals", side=Side.POLICE, police_lead=police_lead
        ),
        "cps": ActionFactory(theme=theme2, reference="2.1", title="Early advice", side=Side.CPS, cps_lead=cps_lead),
        "done": ActionFactory(
            theme=theme2,
            reference="2.2",
            title="Letters",
            side=Side.CPS,
            cps_lead=cps_lead,
            status=Status.COMPLETED,
            completed_on=date(2022, 1, 1),
        ),
    }


def open_cycle(plan, admin_user, today=MONDAY) -> ReviewCycle:
    cycle = review_cycle_create(
        plan=plan,
        by=admin_user,
        name="Q3 2026-27",
        opens_on=today,
        updates_due_on=today + timedelta(days=14),
        board_meeting_on=today + timedelta(days=28),
    )
    return review_cycle_open(cycle=cycle, today=today)


# -- Scheduling ---------------------------------------------------------------------------------------------------


def test_quarter_names_follow_the_uk_financial_year():
    assert financial_quarter_name(date(2026, 4, 1)) == "Q1 2026-27"
    assert financial_quarter_name(date(2026, 10, 1)) == "Q3 2026-27"
    assert financial_quarter_name(date(2027, 3, 31)) == "Q4 2026-27"
    assert financial_quarter_name(date(2099, 12, 1)) == "Q3 2099-00"


def test_a_year_of_quarterly_cycles_respects_working_days():
    # 1 January 2027 is a bank holiday: the fourth cycle opens on the next working day.
    cycles = quarterly_cycle_dates(first_opens_on=date(2026, 4, 1))
    assert [c.name for c in cycles] == ["Q1 2026-27", "Q2 2026-27", "Q3 2026-27", "Q4 2026-27"]
    assert cycles[3].opens_on == date(2027, 1, 4)
    for cycle in cycles:
        assert cycle.opens_on.weekday() < 5 and cycle.updates_due_on.weekday() < 5
        assert cycle.opens_on < cycle.updates_due_on < cycle.board_meeting_on
    # Ten working days after 1 April 2026: Good Friday and Easter Monday fall in between.
    assert cycles[0].updates_due_on == date(2026, 4, 17)
    # ...and after 1 July 2026 none does: two weeks.
    assert cycles[1].updates_due_on == date(2026, 7, 15)


def test_an_admin_schedules_a_year_and_an_overlapping_cycle_is_refused(plan, admin_user):
    cycles = review_cycles_schedule_year(plan=plan, by=admin_user, first_opens_on=date(2026, 4, 1))
    assert [c.state for c in cycles] == ["planned"] * 4
    with pytest.raises(ValidationError) as raised:
        review_cycle_create(
            plan=plan,
            by=admin_user,
            name="Extra",
            opens_on=date(2026, 4, 10),
            updates_due_on=date(2026, 4, 20),
            board_meeting_on=date(2026, 4, 30),
        )
    assert "overlap Q1 2026-27" in str(raised.value)
    # The windows overlap too (the model's narrower rule): the clash is told once.
    assert raised.value.message_dict == {
        "opens_on": [
            "These dates overlap Q1 2026-27, which runs from 1 April 2026 to its board meeting on 1 May 2026: "
            "choose dates after it or before it"
        ]
    }
    assert plan.review_cycles.count() == 4
    # Scheduling the same year again changes nothing and says which cycles clash.
    with pytest.raises(ValidationError):
        review_cycles_schedule_year(plan=plan, by=admin_user, first_opens_on=date(2026, 4, 1))
    assert plan.review_cycles.count() == 4


def test_dates_out_of_order_are_refused_with_the_constraint_message(plan, admin_user):
    with pytest.raises(ValidationError) as raised:
        review_cycle_create(
            plan=plan,
            by=admin_user,
            name="Backwards",
            opens_on=date(2026, 5, 1),
            updates_due_on=date(2026, 4, 1),
            board_meeting_on=date(2026, 6, 1),
        )
    assert "The date updates are due must be the same as or after the date they open" in raised.value.messages
    assert not plan.review_cycles.exists()


@pytest.mark.parametrize("person", ["police_lead", "board_member"])
def test_only_admins_schedule(plan, person, request):
    with pytest.raises(PermissionDenied):
        review_cycles_schedule_year(plan=plan, by=request.getfixturevalue(person), first_opens_on=date(2026, 4, 1))


def test_a_planned_cycle_can_be_changed_and_an_open_one_cannot(plan, admin_user):
    cycle = review_cycle_create(
        plan=plan,
        by=admin_user,
        name="Q3",
        opens_on=date(2026, 10, 1),
        updates_due_on=date(2026, 10, 15),
        board_meeting_on=date(2026, 10, 29),
    )
    review_cycle_change(
        cycle=cycle,
        by=admin_user,
        name="Q3 2026-27",
        opens_on=date(2026, 10, 2),
        updates_due_on=date(2026, 10, 16),
        board_meeting_on=date(2026, 10, 30),
    )
    cycle.refresh_from_db()
    assert (cycle.name, cycle.opens_on) == ("Q3 2026-27", date(2026, 10, 2))
    review_cycle_open(cycle=cycle, by=admin_user, today=date(2026, 9, 30))
    with pytest.raises(ValidationError, match="only a planned cycle can be changed"):
        review_cycle_change(
            cycle=cycle,
            by=admin_user,
            name="Renamed",
            opens_on=date(2026, 10, 2),
            updates_due_on=date(2026, 10, 16),
            board_meeting_on=date(2026, 10, 30),
        )


# -- Opening ------------------------------------------------------------------------------------------------------


def test_the_daily_task_opens_cycles_on_their_opening_day_once(plan, admin_user):
    cycle = review_cycle_create(
        plan=plan,
        by=admin_user,
        name="Q3",
        opens_on=MONDAY,
        updates_due_on=MONDAY + timedelta(days=14),
        board_meeting_on=MONDAY + timedelta(days=28),
    )
    assert review_cycles_open_due(today=MONDAY - timedelta(days=1)) == []
    assert [c.pk for c in review_cycles_open_due(today=MONDAY)] == [cycle.pk]
    assert review_cycles_open_due(today=MONDAY) == []
    cycle.refresh_from_db()
    assert cycle.state == ReviewCycle.State.OPEN and cycle.opened_at is not None


def test_opening_early_moves_the_first_day_so_updates_from_now_belong_to_it(plan, admin_user, actions, police_lead):
    cycle = review_cycle_create(
        plan=plan,
        by=admin_user,
        name="Q3",
        opens_on=MONDAY + timedelta(days=7),
        updates_due_on=MONDAY + timedelta(days=21),
        board_meeting_on=MONDAY + timedelta(days=35),
    )
    review_cycle_open(cycle=cycle, by=admin_user, today=MONDAY)
    cycle.refresh_from_db()
    assert cycle.opens_on == MONDAY
    update = action_update_status(
        action=actions["police"],
        by=police_lead,
        status=Status.IN_PROGRESS,
        rag=Rag.GREEN,
        narrative="The referral pathway is agreed.",
        expected_version=actions["police"].version,
        today=MONDAY,
    )
    assert update.review_cycle_id == cycle.pk
    with pytest.raises(ValidationError, match="already open"):
        review_cycle_open(cycle=cycle, by=admin_user, today=MONDAY)


# -- Progress and chasing ------------------------------------------------------------------------------------------


def test_cycle_page_shows_progress_and_the_missing_actions(client, plan, admin_user, actions, police_lead):
    with time_machine.travel(MONDAY):
        cycle = open_cycle(plan, admin_user)
        action_update_status(
            action=actions["police"],
            by=police_lead,
            status=Status.IN_PROGRESS,
            rag=Rag.GREEN,
            narrative="The referral pathway is agreed.",
            expected_version=actions["police"].version,
        )
        client.force_login(admin_user)
        body = client.get(reverse("reviews:detail", kwargs={"pk": cycle.pk})).content.decode()
    assert "<strong>1 of 2</strong> open actions updated in this cycle (50%)" in body
    assert 'data-missing="2.1"' in body and 'data-missing="1.1"' not in body
    assert "Chase the missing leads now" in body and "Close the cycle" in body


def test_a_lead_sees_their_own_part_and_no_admin_buttons(client, plan, admin_user, actions, police_lead):
    with time_machine.travel(MONDAY):
        cycle = open_cycle(plan, admin_user)
        client.force_login(police_lead)
        body = client.get(reverse("reviews:detail", kwargs={"pk": cycle.pk})).content.decode()
    assert 'data-missing="1.1"' in body and 'data-missing="2.1"' not in body
    assert "<strong>0 of 1</strong>" in body
    assert "Chase the missing leads now" not in body and "Close the cycle" not in body


def test_chasing_sends_each_missing_lead_one_digest_a_day_however_often_pressed(plan, admin_user, actions, cps_lead):
    cycle = open_cycle(plan, admin_user)
    first = review_cycle_chase(cycle=cycle, by=admin_user, today=MONDAY)
    second = review_cycle_chase(cycle=cycle, by=admin_user, today=MONDAY)
    assert (first.recorded, second.recorded) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["carl@example.org", "paula@example.org"]
    assert "2.1 Early advice" in next(m.body for m in mail.outbox if m.to == ["carl@example.org"])
    # The next day, whoever still owes an update is chased again.
    assert review_cycle_chase(cycle=cycle, by=admin_user, today=MONDAY + timedelta(days=1)).recorded == 2
    assert Reminder.objects.filter(kind=Reminder.Kind.CHASE).count() == 4


def test_the_chase_button_queues_the_digests_and_says_so(client, plan, admin_user, actions, monkeypatch):
    queued = []
    monkeypatch.setattr("notifications.views.queue_delivery", queued.append)
    with time_machine.travel(MONDAY):
        cycle = open_cycle(plan, admin_user)
        client.force_login(admin_user)
        url = reverse("notifications:chase", kwargs={"pk": cycle.pk})
        response = client.post(url, follow=True)
        assert "Chase sent to 2 leads" in response.content.decode()
        again = client.post(url, follow=True).content.decode()
    assert "already been chased today" in again
    # One claim per lead chased, each delivered once.
    assert len(queued) == 2
    assert [reminder_digest_deliver(claim=claim).state for claim in queued] == ["sent", "sent"]
    assert [reminder_digest_deliver(claim=claim) for claim in queued] == [None, None]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("person", ["police_lead", "board_member"])
def test_only_admins_chase(client, plan, admin_user, actions, person, request):
    cycle = open_cycle(plan, admin_user)
    client.force_login(request.getfixturevalue(person))
    assert client.post(reverse("notifications:chase", kwargs={"pk": cycle.pk})).status_code == 403
    assert not Reminder.objects.exists()


# -- Decisions, minutes, closing -----------------------------------------------------------------------------------


def test_decisions_are_recorded_for_the_plan_s_actions_only(plan, admin_user, actions, board_member):
    cycle = open_cycle(plan, admin_user)
    decision = board_decision_record(
        cycle=cycle, action=actions["done"], by=admin_user, kind=BoardDecision.Kind.ACCEPT_COMPLETION
    )
    assert decision.pk
    other = ActionFactory(theme=ThemeFactory(plan=PlanFactory(slug="other")), reference="1.1")
    with pytest.raises(ValidationError, match="this one is in another plan"):
        board_decision_record(cycle=cycle, action=other, by=admin_user, kind=BoardDecision.Kind.NOTE)
    with pytest.raises(ValidationError, match="Say what the board asks for"):
        board_decision_record(cycle=cycle, action=actions["cps"], by=admin_user, kind=BoardDecision.Kind.ESCALATE)
    # The board records its own decisions only when the plan says so.
    with pytest.raises(PermissionDenied):
        board_decision_record(cycle=cycle, action=actions["cps"], by=board_member, kind=BoardDecision.Kind.NOTE)
    plan.board_records_decisions = True
    plan.save()
    plan.board_members.add(board_member)
    cycle.refresh_from_db()
    board_decision_record(
        cycle=cycle, action=actions["cps"], by=board_member, kind=BoardDecision.Kind.MORE_INFORMATION, comment="Dates?"
    )
    assert BoardDecision.objects.count() == 2


def test_closing_refusals_change_nothing(plan, admin_user, actions, police_lead):
    cycle = review_cycle_create(
        plan=plan,
        by=admin_user,
        name="Q3",
        opens_on=MONDAY,
        updates_due_on=MONDAY + timedelta(days=14),
        board_meeting_on=MONDAY + timedelta(days=28),
    )
    with pytest.raises(ValidationError, match="has not opened yet"):
        review_cycle_close(cycle=cycle, by=admin_user)
    review_cycle_open(cycle=cycle, today=MONDAY)
    with time_machine.travel(MONDAY + timedelta(days=20)):
        with pytest.raises(ValidationError, match="confirm that you are closing the cycle before its meeting"):
            review_cycle_close(cycle=cycle, by=admin_user)
        with pytest.raises(PermissionDenied):
            review_cycle_close(cycle=cycle, by=police_lead, before_meeting_confirmed=True)
    assert not ActionSnapshot.objects.exists()
    cycle.refresh_from_db()
    assert cycle.state == ReviewCycle.State.OPEN


def test_closing_freezes_a_snapshot_that_later_writes_never_change(
    client, plan, admin_user, actions, police_lead, board_member
):
    with time_machine.travel(MONDAY):
        cycle = open_cycle(plan, admin_user)
        action_update_status(
            action=actions["police"],
            by=police_lead,
            status=Status.IN_PROGRESS,
            rag=Rag.AMBER,
            narrative="Referral pathway agreed with two forces.",
            expected_version=actions["police"].version,
        )
        board_decision_record(cycle=cycle, action=actions["police"], by=admin_user, kind="note", comment="Good.")
        board_minutes_save(cycle=cycle, by=admin_user, text="The board reviewed theme 1.")
    with time_machine.travel(MONDAY + timedelta(days=29)):
        review_cycle_close(cycle=cycle, by=admin_user)
        with pytest.raises(ValidationError, match="already closed"):
            review_cycle_close(cycle=cycle, by=admin_user)
    snapshots = {s.reference: s for s in ActionSnapshot.objects.filter(cycle=cycle)}
    assert set(snapshots) == {"1.1", "2.1", "2.2"}
    police = snapshots["1.1"]
    assert (police.status, police.rag, police.updated_in_cycle) == ("in_progress", "amber", True)
    assert police.latest_narrative == "Referral pathway agreed with two forces."
    assert police.leads == "Paula Police"
    assert snapshots["2.1"].updated_in_cycle is False

    with time_machine.travel(MONDAY + timedelta(days=40)):
        action = actions["police"]
        action.refresh_from_db()
        action_update_status(
            action=action,
            by=police_lead,
            status=Status.COMPLETED,
            rag=Rag.GREEN,
            narrative="Delivered in every force.",
            expected_version=action.version,
        )
        client.force_login(board_member)
        body = client.get(reverse("reviews:detail", kwargs={"pk": cycle.pk})).content.decode()
    # The closed cycle still shows what stood when it closed.
    assert "<strong>1 of 2</strong> open actions updated in this cycle" in body
    assert 'data-missing="2.1"' in body
    assert "The board reviewed theme 1." in body
    with pytest.raises(ValidationError, match="is closed"):
        board_minutes_save(cycle=cycle, by=admin_user, text="Changed later.")
    with pytest.raises(ValidationError, match="is closed"):
        board_decision_record(cycle=cycle, action=action, by=admin_user, kind="note")


def test_a_snapshot_cannot_be_changed_or_deleted(plan, admin_user, actions):
    cycle = open_cycle(plan, admin_user)
    review_cycle_close(cycle=cycle, by=admin_user, before_meeting_confirmed=True)
    snapshot = ActionSnapshot.objects.first()
    from actionplan.append_only import AppendOnlyError

    snapshot.status = Status.COMPLETED
    with pytest.raises(AppendOnlyError):
        snapshot.save()
    with pytest.raises(AppendOnlyError):
        ActionSnapshot.objects.filter(pk=snapshot.pk).update(status=Status.COMPLETED)
    with pytest.raises(AppendOnlyError):
        ActionSnapshot.objects.all().delete()
    assert ActionSnapshot.objects.filter(status=Status.COMPLETED, action__reference="1.1").count() == 0


# -- Pages: schedule, close, decide --------------------------------------------------------------------------------


def test_the_schedule_page_creates_a_year_and_names_each_mistake(client, plan, admin_user):
    client.force_login(admin_user)
    url = reverse("reviews:schedule", kwargs={"slug": plan.slug})
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"year-first_opens_on_0": "31", "year-first_opens_on_1": "2", "year-first_opens_on_2": "2026"}
    )
    assert bad.status_code == 400
    assert "The first opening date must be a real date" in bad.content.decode()
    good = client.post(
        url, {"year-first_opens_on_0": "1", "year-first_opens_on_1": "4", "year-first_opens_on_2": "2026"}, follow=True
    )
    assert "4 review cycles scheduled: Q1 2026-27, Q2 2026-27, Q3 2026-27, Q4 2026-27" in good.content.decode()
    one = client.post(
        url,
        {
            "one-name": "Overlapping",
            "one-opens_on_0": "10",
            "one-opens_on_1": "4",
            "one-opens_on_2": "2026",
            "one-updates_due_on_0": "20",
            "one-updates_due_on_1": "4",
            "one-updates_due_on_2": "2026",
            "one-board_meeting_on_0": "30",
            "one-board_meeting_on_1": "4",
            "one-board_meeting_on_2": "2026",
        },
    )
    assert one.status_code == 400
    assert "These dates overlap Q1 2026-27" in one.content.decode()
    assert plan.review_cycles.count() == 4


@pytest.mark.parametrize("person", ["police_lead", "board_member"])
def test_schedule_close_and_open_pages_are_for_admins(client, plan, admin_user, person, request):
    cycle = open_cycle(plan, admin_user)
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("reviews:schedule", kwargs={"slug": plan.slug})).status_code == 403
    assert client.get(reverse("reviews:close", kwargs={"pk": cycle.pk})).status_code == 403
    assert client.post(reverse("reviews:close", kwargs={"pk": cycle.pk})).status_code == 403
    assert client.post(reverse("reviews:open", kwargs={"pk": cycle.pk})).status_code == 403


def test_the_close_page_asks_for_confirmation_before_the_meeting(client, plan, admin_user, actions):
    with time_machine.travel(MONDAY):
        cycle = open_cycle(plan, admin_user)
        client.force_login(admin_user)
        url = reverse("reviews:close", kwargs={"pk": cycle.pk})
        refused = client.post(url)
        assert refused.status_code == 400
        assert "confirm that you are closing the cycle before its meeting" in refused.content.decode()
        assert not ActionSnapshot.objects.exists()
        closed = client.post(url, {"before_meeting_confirmed": "on"}, follow=True)
    assert "Q3 2026-27 is closed" in closed.content.decode()
    assert ActionSnapshot.objects.filter(cycle=cycle).count() == 3


def test_the_decision_page_records_and_refuses_bad_input(client, plan, admin_user, actions):
    cycle = open_cycle(plan, admin_user)
    client.force_login(admin_user)
    url = reverse("reviews:decide", kwargs={"pk": cycle.pk, "action_pk": actions["cps"].pk})
    assert client.get(url).status_code == 200
    for bad in ({"kind": "sack_everyone"}, {"kind": "escalate"}, {"kind": "note", "comment": "<script>x</script>"}):
        response = client.post(url, bad)
        assert response.status_code == 400, bad
    assert not BoardDecision.objects.exists()
    response = client.post(url, {"kind": "escalate", "comment": "Dates keep slipping."}, follow=True)
    assert "Decision recorded for action 2.1: Escalated" in response.content.decode()
    other = ActionFactory(theme=ThemeFactory(plan=PlanFactory(slug="elsewhere")), reference="9.9")
    forged = reverse("reviews:decide", kwargs={"pk": cycle.pk, "action_pk": other.pk})
    assert client.post(forged, {"kind": "note"}).status_code == 400
    assert BoardDecision.objects.count() == 1


def test_cycle_ids_beyond_the_integer_range_answer_404(client, board_member):
    client.force_login(board_member)
    assert client.get("/reviews/99999999999999999999/").status_code == 404


def test_a_closed_cycle_in_the_factory_is_still_readable(client, plan, board_member):
    cycle = ReviewCycleFactory(plan=plan, name="Old", state=ReviewCycle.State.CLOSED)
    client.force_login(board_member)
    assert client.get(reverse("reviews:detail", kwargs={"pk": cycle.pk})).status_code == 200


def test_decisions_show_on_the_action_timeline_and_in_the_board_pack(client, plan, admin_user, actions, board_member):
    cycle = open_cycle(plan, admin_user)
    board_decision_record(
        cycle=cycle, action=actions["cps"], by=admin_user, kind="escalate", comment="Advice times keep slipping."
    )
    board_minutes_save(cycle=cycle, by=admin_user, text="Theme 2 discussed at length.")
    client.force_login(board_member)
    page = client.get(reverse("actions:detail", kwargs={"pk": actions["cps"].pk})).content.decode()
    assert "Board decision: escalated to the joint operational improvement board" in page
    assert "Q3 2026-27 board meeting, recorded by Ada Admin" in page
    assert "Advice times keep slipping." in page
    pack = client.get(reverse("reviews:board_pack"), {"plan": plan.slug, "cycle": cycle.pk}).content.decode()
    assert 'data-decision="2.1"' in pack and "Advice times keep slipping." in pack
    assert "Theme 2 discussed at length." in pack


def test_a_cached_board_pack_shows_a_decision_or_minutes_recorded_after_it_was_read(
    client, plan, admin_user, actions, board_member
):
    cycle = open_cycle(plan, admin_user)
    client.force_login(board_member)

    def pack() -> str:
        return client.get(reverse("reviews:board_pack"), {"plan": plan.slug, "cycle": cycle.pk}).content.decode()

    assert "No decisions recorded yet." in pack()
    assert "No decisions recorded yet." in pack()  # now from the cache
    board_decision_record(cycle=cycle, action=actions["police"], by=admin_user, kind="note", comment="Well done.")
    assert 'data-decision="1.1"' in pack() and "Well done." in pack()
    board_minutes_save(cycle=cycle, by=admin_user, text="The board thanked the police lead.")
    assert "The board thanked the police lead." in pack()
    board_minutes_save(cycle=cycle, by=admin_user, text="The board thanked both leads.")
    assert "The board thanked both leads." in pack()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_closing_at_once_freeze_one_snapshot(plan, admin_user, actions):
    import threading

    from django.db import connection

    from tests.factories import UserFactory

    second_admin = UserFactory(username="admin2", role="admin")
    cycle = open_cycle(plan, admin_user)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def close(by):
        try:
            barrier.wait()
            review_cycle_close(cycle=cycle, by=by, before_meeting_confirmed=True)
            outcomes.append("closed")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(person,)) for person in (admin_user, second_admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Q3 2026-27 is already closed", "closed"]
    assert ActionSnapshot.objects.filter(cycle=cycle).count() == 3


def test_the_cycle_page_runs_the_same_queries_for_few_or_many_actions(
    client, plan, admin_user, actions, board_member, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cycle = open_cycle(plan, admin_user)
    client.force_login(board_member)
    url = reverse("reviews:detail", kwargs={"pk": cycle.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    theme = plan.themes.get(number=3)
    with time_machine.travel(MONDAY - timedelta(days=30)):
        for number in range(1, 21):
            ActionFactory(theme=theme, reference=f"3.{number}", side=Side.JOINT)
    with django_assert_max_num_queries(len(few)):
        body = client.get(url).content.decode()
    assert 'data-missing="3.20"' in body
