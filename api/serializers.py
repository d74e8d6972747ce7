"""What the API shows of each record, and what a status update it receives must hold."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actionplan.dates import PeriodDateError, parse_period
from actionplan.models import Organisation, User
from actions.models import Action, ClosureReason, Rag, Status, StatusUpdate
from themes.models import Plan, ReviewCycle, Theme

from .etags import action_etag


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind"]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "organisation"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_organisation(self, user) -> str | None:
        return user.organisation.name if user.organisation_id else None


class PlanSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    mirrors = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    police_force = OrganisationSerializer(read_only=True, allow_null=True)
    cps_area = OrganisationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "slug",
            "url",
            "web_url",
            "kind",
            "title",
            "summary",
            "status",
            "revision",
            "period_start",
            "period_end",
            "mirrors",
            "police_force",
            "cps_area",
        ]

    def get_url(self, plan) -> str:
        return reverse("api:plan-detail", kwargs={"slug": plan.slug})


class ThemeSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Theme
        fields = ["id", "plan", "number", "title", "purpose", "mirrors"]


class ThemeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "number", "title"]


class ActionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    theme = ThemeRefSerializer(read_only=True)
    police_lead = PersonSerializer(read_only=True, allow_null=True)
    cps_lead = PersonSerializer(read_only=True, allow_null=True)
    lead_organisations = OrganisationSerializer(many=True, read_only=True)
    start_date_text = serializers.CharField(read_only=True, help_text="As the plan gave it; blank when none.")
    target_date_text = serializers.CharField(read_only=True, help_text="As the plan gave it, e.g. “Q1 2022”.")
    revised_target_date_text = serializers.CharField(read_only=True)
    current_target_date = serializers.DateField(read_only=True)
    current_target_date_text = serializers.CharField(read_only=True)
    is_overdue = serializers.SerializerMethodField()
    is_due_soon = serializers.SerializerMethodField()
    etag = serializers.SerializerMethodField(help_text="Send it back in If-Match to update the action's status.")

    class Meta:
        model = Action
        fields = [
            "id",
            "url",
            "web_url",
            "plan",
            "theme",
            "reference",
            "title",
            "description",
            "side",
            "police_lead",
            "cps_lead",
            "lead_organisations",
            "start_date",
            "start_date_precision",
            "start_date_text",
            "target_date",
            "target_date_precision",
            "target_date_text",
            "revised_target_date",
            "revised_target_date_precision",
            "revised_target_date_text",
            "revision_reason",
            "current_target_date",
            "current_target_date_text",
            "status",
            "closure_reason",
            "completed_on",
            "rag",
            "is_overdue",
            "is_due_soon",
            "mirrors",
            "version",
            "etag",
            "last_update_at",
            "created_at",
        ]

    def get_url(self, action) -> str:
        return reverse("api:action-detail", kwargs={"pk": action.pk})

    def to_representation(self, action) -> dict:
        """The fields declared above, written out directly: a page of 100 actions is built several times faster than
        by the generic field machinery. The schema comes from the declarations, and tests/api compare the two."""
        today = self.context["today"]
        links = self.context.setdefault("_links", _Links())
        return {
            "id": action.pk,
            "url": links.api_action(action.pk),
            "web_url": links.web_action(action.pk),
            "plan": action.plan.slug,
            "theme": {"id": action.theme_id, "number": action.theme.number, "title": action.theme.title},
            "reference": action.reference,
            "title": action.title,
            "description": action.description,
            "side": action.side,
            "police_lead": _person(action.police_lead),
            "cps_lead": _person(action.cps_lead),
            "lead_organisations": [_organisation(org) for org in action.lead_organisations.all()],
            "start_date": _iso(action.start_date),
            "start_date_precision": action.start_date_precision,
            "start_date_text": action.start_date_text,
            "target_date": _iso(action.target_date),
            "target_date_precision": action.target_date_precision,
            "target_date_text": action.target_date_text,
            "revised_target_date": _iso(action.revised_target_date),
            "revised_target_date_precision": action.revised_target_date_precision,
            "revised_target_date_text": action.revised_target_date_text,
            "revision_reason": action.revision_reason,
            "current_target_date": _iso(action.current_target_date),
            "current_target_date_text": action.current_target_date_text,
            "status": action.status,
            "closure_reason": action.closure_reason,
            "completed_on": _iso(action.completed_on),
            "rag": action.rag,
            "is_overdue": action.is_overdue(today),
            "is_due_soon": action.is_due_soon(today),
            "mirrors": action.mirrors_id,
            "version": action.version,
            "etag": action_etag(action),
            "last_update_at": _moment(action.last_update_at),
            "created_at": _moment(action.created_at),
        }

    def get_is_overdue(self, action) -> bool:
        return action.is_overdue(self.context["today"])

    def get_is_due_soon(self, action) -> bool:
        return action.is_due_soon(self.context["today"])

    def get_etag(self, action) -> str:
        return action_etag(action)


class _Links:
    """Addresses of actions, reversed once per response rather than once per action."""

    def __init__(self):
        self.api = reverse("api:action-detail", kwargs={"pk": 0}).replace("/0/", "/{}/")
        self.web = reverse("actions:detail", kwargs={"pk": 0}).replace("/0/", "/{}/")

    def api_action(self, pk: int) -> str:
        return self.api.format(pk)

    def web_action(self, pk: int) -> str:
        return self.web.format(pk)


_DATETIME = serializers.DateTimeField()


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


def _moment(value) -> str | None:
    return _DATETIME.to_representation(value) if value is not None else None


def _person(user) -> dict | None:
    if user is None:
        return None
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "organisation": user.organisation.name if user.organisation_id else None,
    }


def _organisation(org) -> dict:
    return {"id": org.pk, "name": org.name, "short_name": org.short_name, "kind": org.kind}


class StatusUpdateSerializer(serializers.ModelSerializer):
    action = serializers.PrimaryKeyRelatedField(read_only=True)
    action_reference = serializers.CharField(source="action.reference", read_only=True)
    author = PersonSerializer(read_only=True)

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "action",
            "action_reference",
            "version",
            "author",
            "created_at",
            "effective_at",
            "review_cycle",
            "status_from",
            "status_to",
            "rag_from",
            "rag_to",
            "target_date_from",
            "target_date_to",
            "revision_reason",
            "narrative",
            "evidence_url",
        ]


@extend_schema_field(OpenApiTypes.STR)
class PeriodDateField(serializers.Field):
    """A day ("2022-03-31", "31 March 2022"), a month ("March 2022") or a quarter ("Q1 2022", "Q1 2022-23")."""

    default_error_messages = {"invalid": "{message}"}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", message='Give the date as text, such as "2022-03-31", "March 2022" or "Q1 2022"')
        try:
            return parse_period(data)
        except PeriodDateError as error:
            self.fail("invalid", message=str(error))

    def to_representation(self, value):
        return str(value)


class StatusUpdateCreateSerializer(serializers.Serializer):
    """A status update as the form takes it. The rules (who may, what needs a narrative...) are the service's."""

    status = serializers.ChoiceField(choices=Status.choices)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True, help_text="Needed when closing the action."
    )
    rag = serializers.ChoiceField(
        choices=Rag.choices,
        allow_blank=True,
        help_text="Delivery confidence; may be blank only when the action becomes completed or closed.",
    )
    narrative = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=100_000)
    evidence_url = serializers.CharField(required=False, allow_blank=True, max_length=2_000)
    revised_target_date = PeriodDateField(
        required=False,
        allow_null=True,
        help_text='A day ("2026-03-31"), a month ("March 2026") or a quarter ("Q1 2026", "Q4 2025-26").',
    )
    revision_reason = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=100_000)
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The day it happened, for history brought in afterwards; leave out for today.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2_147_483_647,
        help_text="The action's version you read. Or send its ETag in If-Match instead.",
    )


class StaleVersionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    etag = serializers.CharField()
    updates_since = StatusUpdateSerializer(many=True)


class ReviewCycleSerializer(serializers.ModelSerializer):
    """A review cycle as its page shows it: its update window, its board meeting and where it is in its life
    (planned, open, closed). A closed cycle's figures are frozen in the snapshot taken when it closed."""

    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    closed_by = PersonSerializer(read_only=True, allow_null=True)
    taking_updates = serializers.SerializerMethodField(
        help_text="Whether status updates recorded today belong to this cycle: not closed, and today is in its window."
    )

    class Meta:
        model = ReviewCycle
        fields = [
            "id",
            "plan",
            "web_url",
            "name",
            "opens_on",
            "updates_due_on",
            "board_meeting_on",
            "state",
            "taking_updates",
            "opened_at",
            "closed_at",
            "closed_by",
        ]

    def get_taking_updates(self, cycle: ReviewCycle) -> bool:
        today = self.context["today"]
        return cycle.state != ReviewCycle.State.CLOSED and cycle.opens_on <= today <= cycle.updates_due_on
