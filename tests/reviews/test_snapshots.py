"""Closed cycles are read from their snapshots; the replay of the status history stays for dates with no
snapshot. On the demo data, whose snapshots were taken as each history was played forward, both agree."""

from __future__ import annotations

from datetime import date

import pytest

from actions.models import Action
from demo.builder import demo_seed
from reviews.models import ActionSnapshot
from reviews.selectors import (
    actions_as_of,
    actions_at_close,
    changes_since,
    count_states,
    cycle_cutoff,
    cycle_day,
    figures_from_states,
    is_frozen,
    trend_across_cycles,
)
from themes.models import Plan, ReviewCycle

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def demo():
    demo_seed(password="a-long-demo-password", local_plans=1, today=TODAY)
    return Plan.objects.get(kind=Plan.Kind.NATIONAL)


def test_the_demo_closes_its_past_cycles_with_snapshots_and_decisions(demo):
    closed = list(demo.review_cycles.filter(state=ReviewCycle.State.CLOSED).order_by("opens_on"))
    assert len(closed) == 4
    for cycle in closed:
        assert is_frozen(cycle)
        assert cycle.snapshots.count() == Action.objects.filter(plan=demo, created_at__lte=cycle.closed_at).count()
        assert cycle.minutes.text
    assert sum(cycle.decisions.count() for cycle in closed) >= 4
    current = demo.review_cycles.get(state=ReviewCycle.State.OPEN)
    assert not current.snapshots.exists()
    missing = demo.actions.open().exclude(updates__review_cycle=current)
    assert missing.exists(), "the open cycle has updates still missing"


def test_snapshot_and_replay_agree_action_by_action_on_every_closed_cycle(demo):
    plans = Plan.objects.all()
    compared = 0
    for plan in plans:
        for cycle in plan.review_cycles.filter(state=ReviewCycle.State.CLOSED):
            moment, day = cycle_cutoff(cycle), cycle_day(cycle)
            replayed = {
                a.pk: (a.status_then, a.rag_then, a.target_then, a.narrative_then or "")
                for a in actions_as_of(actions=plan.actions.all(), moment=moment)
            }
            frozen = {
                s.action_id: (s.status, s.rag, s.target_date, s.latest_narrative)
                for s in ActionSnapshot.objects.filter(cycle=cycle)
            }
            assert frozen == replayed, (plan.slug, cycle.name)
            from_snapshot = count_states(((s[0], s[1], s[2]) for s in frozen.values()), day=day)
            rows = list(actions_at_close(actions=plan.actions.all(), cycle=cycle))
            assert figures_from_states(rows=rows, day=day) == from_snapshot
            compared += len(frozen)
    assert compared > 100


def test_trend_and_changes_read_snapshots_and_match_the_replay(demo):
    trend = trend_across_cycles(plan=demo, actions=demo.actions.all(), today=TODAY)
    cycles = list(demo.review_cycles.filter(state=ReviewCycle.State.CLOSED).order_by("board_meeting_on"))
    assert [point.label for point in trend[:-1]] == [cycle.name for cycle in cycles]
    for point, cycle in zip(trend, cycles, strict=False):
        rows = list(actions_as_of(actions=demo.actions.all(), moment=cycle_cutoff(cycle)))
        assert point.figures == figures_from_states(rows=rows, day=point.day), cycle.name
    last = cycles[-1]
    report = changes_since(actions=demo.actions.all(), since=last, moment=None, day=TODAY)
    assert report.since == last
    assert report.changed or report.completed or report.newly_overdue


def test_a_later_status_update_never_moves_a_closed_cycle(demo, admin_user):
    from actions.services import action_update_status

    last = demo.review_cycles.filter(state=ReviewCycle.State.CLOSED).order_by("-board_meeting_on").first()
    before = trend_across_cycles(plan=demo, actions=demo.actions.all(), today=TODAY)
    # An admin completes a single-side action directly (a joint one is proposed by one side, confirmed by the other).
    action = demo.actions.open().exclude(side="joint").first()
    action_update_status(
        action=action,
        by=admin_user,
        status="completed",
        rag="green",
        narrative="Delivered in every force and Area.",
        expected_version=action.version,
    )
    after = trend_across_cycles(plan=demo, actions=demo.actions.all(), today=TODAY)
    assert [p.figures for p in after[:-1]] == [p.figures for p in before[:-1]]
    assert after[-1].figures.completed == before[-1].figures.completed + 1
    assert ActionSnapshot.objects.filter(cycle=last, action=action).get().status != "completed"


def test_the_dashboard_and_the_board_pack_read_a_closed_cycle_from_its_snapshot(demo, client, admin_user):
    """A status update dated back into a closed cycle moves the replay of the status history, never the cycle: the
    dashboard's trend and change since the last review, and the cycle's own board pack, read its snapshot."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.urls import reverse

    from actions.models import Status, StatusUpdate

    last = demo.review_cycles.filter(state=ReviewCycle.State.CLOSED).order_by("-board_meeting_on").first()
    snapshot = next(
        s
        for s in ActionSnapshot.objects.filter(cycle=last, status=Status.IN_PROGRESS).select_related("action")
        if s.action.status == Status.IN_PROGRESS and s.action.rag == s.rag
    )
    action = snapshot.action
    StatusUpdate.objects.create(
        action=action,
        author=admin_user,
        status_from=Status.IN_PROGRESS,
        status_to=Status.COMPLETED,
        rag_from=snapshot.rag,
        rag_to=snapshot.rag,
        narrative="Recorded late, dated before the cycle closed.",
        version=action.version + 100,
        created_at=cycle_cutoff(last) - timedelta(minutes=1),
        effective_at=cycle_cutoff(last) - timedelta(minutes=1),
    )
    replayed = actions_as_of(actions=demo.actions.filter(pk=action.pk), moment=cycle_cutoff(last)).get()
    assert replayed.status_then == Status.COMPLETED, "the replay sees the late update"
    frozen = count_states(
        ((s.status, s.rag, s.target_date) for s in ActionSnapshot.objects.filter(cycle=last)), day=cycle_day(last)
    )

    client.force_login(admin_user)
    cache.clear()
    response = client.get(reverse("reviews:dashboard"))
    point = next(point for point in response.context["trend"] if point.label == last.name)
    assert point.figures == frozen
    changes = response.context["changes"]
    assert changes.since == last
    # Still in progress now, as the snapshot has it: no change, where the replay would see completed undone.
    assert action.pk not in {change.action.pk for change in changes.changed}

    response = client.get(reverse("reviews:board_pack"), {"plan": demo.slug, "cycle": last.pk})
    assert response.context["frozen"]
    assert response.context["figures"] == frozen
    assert "from the snapshot taken when it closed" in response.content.decode()
    pack_changes = response.context["changes"]
    # The pack's side of its changes is the snapshot too: the action was in progress when the cycle closed.
    assert action.pk not in {a.pk for a in pack_changes.completed}
    listed = [change.action for change in pack_changes.changed] + pack_changes.newly_overdue + pack_changes.added
    assert all(a.status_then == Status.IN_PROGRESS for a in listed if a.pk == action.pk)
