"""factory_boy factories for every model, shared by the whole suite."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from actionplan.models import Organisation, User
from actions.models import Action, Side, Status, StatusUpdate
from themes.models import Plan, ReviewCycle, Theme


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.OTHER


class PoliceForceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Police Force {n}")
    kind = Organisation.Kind.POLICE


class CpsAreaFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"CPS Area {n}")
    kind = Organisation.Kind.CPS


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = User.Role.NONE
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class PoliceLeadFactory(UserFactory):
    role = User.Role.LEAD
    organisation = factory.SubFactory(PoliceForceFactory)


class CpsLeadFactory(UserFactory):
    role = User.Role.LEAD
    organisation = factory.SubFactory(CpsAreaFactory)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    kind = Plan.Kind.NATIONAL
    title = factory.Sequence(lambda n: f"Joint national action plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    period_start = date(2021, 3, 24)
    period_end = date(2024, 3, 31)
    status = Plan.Status.PUBLISHED


class LocalPlanFactory(PlanFactory):
    kind = Plan.Kind.LOCAL
    title = factory.Sequence(lambda n: f"Local joint action plan {n}")
    mirrors = factory.SubFactory(PlanFactory)
    police_force = factory.SubFactory(PoliceForceFactory)
    cps_area = factory.SubFactory(CpsAreaFactory)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n % 5 + 1 + (n // 5) * 5)
    title = factory.Sequence(lambda n: f"Theme {n}")


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    plan = factory.LazyAttribute(lambda a: a.theme.plan)
    reference = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Action {n}")
    side = Side.JOINT
    start_date = date(2021, 4, 1)
    target_date = date(2022, 3, 31)
    status = Status.IN_PROGRESS


class StatusUpdateFactory(DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    status_to = Status.IN_PROGRESS
    rag_to = "green"
    narrative = "Progress as planned."
    version = factory.Sequence(lambda n: n + 2)


class ReviewCycleFactory(DjangoModelFactory):
    class Meta:
        model = ReviewCycle

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Cycle {n}")
    opens_on = date(2021, 9, 1)
    updates_due_on = date(2021, 9, 21)
    board_meeting_on = date(2021, 10, 5)
