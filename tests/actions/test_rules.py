"""One rule, two forms: the queryset methods (the database) and the model methods (one action) agree on open,
overdue, due soon and needs attention, over the same actions on several days."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from actions.models import Action, ClosureReason, Rag, Status
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 14)


@pytest.fixture
def national_theme(national_plan):
    return national_plan.themes.get(number=1)


@pytest.fixture
def many_actions(national_plan, national_theme):
    """An action for each status, RAG and target date around today, some with a revised date."""
    targets = [TODAY - timedelta(days=40), TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)]
    targets += [TODAY + timedelta(days=30), TODAY + timedelta(days=31), TODAY + timedelta(days=200)]
    actions = []
    for index, (status, rag, target, revised) in enumerate(
        product(Status.values, Rag.values, targets, (False, True)), start=1
    ):
        original = target - timedelta(days=60) if revised else target
        actions.append(
            ActionFactory(
                plan=national_plan,
                theme=national_theme,
                reference=f"9.{index}",
                status=status,
                rag=rag,
                start_date=date(2021, 1, 1),
                target_date=original,
                revised_target_date=target if revised else None,
                revision_reason="Moved" if revised else "",
                closure_reason=ClosureReason.WITHDRAWN if status == Status.CLOSED else "",
                completed_on=TODAY if status == Status.COMPLETED else None,
            )
        )
    return actions


@pytest.mark.parametrize("offset", [-20, -1, 0, 1, 29, 30, 31, 180])
def test_queryset_and_model_agree_on_every_rule(many_actions, offset, settings):
    settings.DUE_SOON_DAYS = 30
    day = TODAY + timedelta(days=offset)
    actions = Action.objects.filter(pk__in=[a.pk for a in many_actions])
    loaded = list(actions)
    rules = [
        ("open", set(actions.open().values_list("pk", flat=True)), {a.pk for a in loaded if a.is_open}),
        (
            "overdue",
            set(actions.overdue(today=day).values_list("pk", flat=True)),
            {a.pk for a in loaded if a.is_overdue(day)},
        ),
        (
            "due soon",
            set(actions.due_soon(today=day).values_list("pk", flat=True)),
            {a.pk for a in loaded if a.is_due_soon(day)},
        ),
        (
            "needs attention",
            set(actions.needing_attention(today=day).values_list("pk", flat=True)),
            {a.pk for a in loaded if a.needs_attention(day)},
        ),
    ]
    for name, in_database, in_python in rules:
        assert in_database == in_python, name
        # Each rule picks some actions and leaves others, so agreeing is not agreeing on nothing.
        assert 0 < len(in_database) < len(loaded), name


def test_due_soon_follows_the_setting(many_actions, settings):
    settings.DUE_SOON_DAYS = 30
    thirty = set(Action.objects.due_soon(today=TODAY).values_list("pk", flat=True))
    settings.DUE_SOON_DAYS = 1
    one = set(Action.objects.due_soon(today=TODAY).values_list("pk", flat=True))
    assert one < thirty
    assert all(Action.objects.get(pk=pk).is_due_soon(TODAY) for pk in one)
    assert not any(Action.objects.get(pk=pk).is_due_soon(TODAY) for pk in thirty - one)


def test_amber_red_and_overdue_need_attention_and_done_actions_never_do(national_plan, national_theme):
    def make(reference, **kwargs):
        defaults = dict(plan=national_plan, theme=national_theme, reference=reference, start_date=date(2021, 1, 1))
        return ActionFactory(**{**defaults, **kwargs})

    green_future = make("8.1", status=Status.IN_PROGRESS, rag=Rag.GREEN, target_date=TODAY + timedelta(days=90))
    amber = make("8.2", status=Status.IN_PROGRESS, rag=Rag.AMBER, target_date=TODAY + timedelta(days=90))
    red = make("8.3", status=Status.NOT_STARTED, rag=Rag.RED, target_date=TODAY + timedelta(days=90))
    late_green = make("8.4", status=Status.IN_PROGRESS, rag=Rag.GREEN, target_date=TODAY - timedelta(days=1))
    done_red = make(
        "8.5", status=Status.COMPLETED, rag=Rag.RED, target_date=TODAY - timedelta(days=9), completed_on=TODAY
    )
    assert [a.needs_attention(TODAY) for a in (green_future, amber, red, late_green, done_red)] == [
        False,
        True,
        True,
        True,
        False,
    ]
