"""The filters of the API's lists. The actions' are the dashboard's: plan, theme, side, status, RAG, overdue, lead
and lead organisation, and `updated_since`; each is judged by the rules of actions/models.py."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from actionplan.models import Organisation, User
from actions.models import Action, Rag, Side, Status, StatusUpdate, overdue_q
from themes.models import Plan, ReviewCycle, Theme

YES_NO = [("yes", "Yes"), ("no", "No")]
# Ids and numbers beyond what the database stores are refused as bad input rather than passed to a query.
MAX_ID = 2**31 - 1


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PlanSlugFilter(django_filters.ModelChoiceFilter):
    """A plan by its slug, among the plans the person may read (a draft is for admins)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("queryset", self.readable_plans)
        kwargs.setdefault("help_text", "The plan's slug, for example “national”.")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "No plan that you may read has this slug: see /api/v1/plans/"}
        )
        super().__init__(*args, **kwargs)

    @staticmethod
    def readable_plans(request):
        return Plan.objects.readable_by(getattr(request, "user", None))


class ActionFilter(django_filters.FilterSet):
    plan = PlanSlugFilter(field_name="plan")
    plan_kind = django_filters.ChoiceFilter(
        field_name="plan__kind",
        choices=Plan.Kind.choices,
        help_text="The actions of the national plans, or of every local plan.",
    )
    theme = IntegerFilter(
        field_name="theme__number",
        help_text="The theme's number in its plan, for example 2.",
        min_value=1,
        max_value=MAX_ID,
    )
    side = django_filters.ChoiceFilter(choices=Side.choices)
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, help_text="Repeat for several statuses.")
    rag = django_filters.MultipleChoiceFilter(choices=Rag.choices, help_text="Delivery confidence; repeat for several.")
    overdue = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_overdue", help_text="Open with the (revised) target date passed."
    )
    lead = django_filters.ModelChoiceFilter(
        field_name="police_lead",
        queryset=User.objects.all(),
        method="filter_lead",
        help_text="A person's id: the actions they lead (as police or CPS lead).",
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="lead_organisations",
        queryset=Organisation.objects.all(),
        method="filter_organisation",
        help_text="An organisation's id: the actions it leads.",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="last_update_at",
        lookup_expr="gte",
        help_text="Actions with a status update recorded at or after this moment (ISO 8601).",
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        overdue = overdue_q(today=timezone.localdate())
        queryset = queryset.with_current_target()
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)

    def filter_lead(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(police_lead=value) | Q(cps_lead=value)) if value else queryset

    def filter_organisation(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        through = Action.lead_organisations.through
        return queryset.filter(Exists(through.objects.filter(action=OuterRef("pk"), organisation=value)))


class ThemeFilter(django_filters.FilterSet):
    plan = PlanSlugFilter(field_name="plan")

    class Meta:
        model = Theme
        fields: list[str] = []


class StatusUpdateFilter(django_filters.FilterSet):
    plan = PlanSlugFilter(field_name="action__plan")
    action = IntegerFilter(field_name="action_id", help_text="An action's id.", min_value=1, max_value=MAX_ID)
    recorded_since = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Recorded at or after this moment (ISO 8601)."
    )
    happened_since = django_filters.IsoDateTimeFilter(
        field_name="effective_at", lookup_expr="gte", help_text="Happened at or after this moment (ISO 8601)."
    )

    class Meta:
        model = StatusUpdate
        fields: list[str] = []


class ReviewCycleFilter(django_filters.FilterSet):
    plan = PlanSlugFilter(field_name="plan")
    state = django_filters.ChoiceFilter(choices=ReviewCycle.State.choices)

    class Meta:
        model = ReviewCycle
        fields: list[str] = []
