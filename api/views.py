"""The REST API: plans, themes, actions, status updates and review cycles, read by whoever may read them as the
pages do; status updates written through the same service as the form, protected against lost updates."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from actions.permissions import can_update_action, closed_to
from actions.services import StaleVersion, action_update_status

from .etags import action_etag, version_from_if_match
from .filters import ActionFilter, ReviewCycleFilter, StatusUpdateFilter, ThemeFilter
from .selectors import (
    actions_for_api,
    plans_for_api,
    review_cycles_for_api,
    status_updates_for_api,
    themes_for_api,
)
from .serializers import (
    ActionSerializer,
    PlanSerializer,
    ReviewCycleSerializer,
    StaleVersionSerializer,
    StatusUpdateCreateSerializer,
    StatusUpdateSerializer,
    ThemeSerializer,
)

# The service's field names, as the API names them.
FIELD_NAMES = {"effective_on": "effective_date"}


class ForPrograms:
    """Every endpoint authenticates through DRF (a token or the browser's session, with its CSRF check) and answers
    JSON: Django's sign-in redirect is not for programs, so the site-wide login requirement steps aside here (DRF
    marks its views so too; this says it whatever its version)."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        view.login_required = False
        return view


class ApiView(ForPrograms):
    filter_backends = [DjangoFilterBackend]

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class ReadsDashboards(permissions.BasePermission):
    """Review cycles are for board members, admins and leads, as the review cycle pages are."""

    message = "Review cycles are for board members, admins and leads."

    def has_permission(self, request, view) -> bool:
        return bool(getattr(request.user, "reads_dashboards", False))


class PlanViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Plans you may read: published and archived ones, and drafts for admins."""

    serializer_class = PlanSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return plans_for_api(user=self.request.user)


class ThemeViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter

    def get_queryset(self):
        return themes_for_api(user=self.request.user)


@extend_schema_view(
    retrieve=extend_schema(
        responses={200: ActionSerializer},
        description="An action. Its `ETag` header (and `etag` field) names its version, for If-Match.",
    )
)
class ActionViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Actions of the plans you may read, filtered as on the dashboard."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return actions_for_api(user=self.request.user)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        action = self.get_object()
        return Response(self.get_serializer(action).data, headers={"ETag": action_etag(action)})

    @extend_schema(
        methods=["GET"],
        summary="The action's status updates",
        responses={200: StatusUpdateSerializer(many=True)},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a status update",
        description=(
            "The same rules and permissions as the status update form. Send the version you read, as `version` or "
            "as the action's ETag in `If-Match`: if someone else updated the action since, nothing is saved and "
            "the answer is 409 (a stale `version`) or 412 (a stale `If-Match`), with the updates you missed."
        ),
        request=StatusUpdateCreateSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                location=OpenApiParameter.HEADER,
                required=False,
                description='The action\'s ETag as you read it, for example "action-12-v3".',
            )
        ],
        responses={
            201: StatusUpdateSerializer,
            409: OpenApiResponse(StaleVersionSerializer, description="Someone else updated the action since."),
            412: OpenApiResponse(StaleVersionSerializer, description="If-Match names an earlier version."),
        },
    )
    @route(detail=True, methods=["get", "post"], url_path="status-updates", filterset_class=None)
    def status_updates(self, request: Request, pk=None) -> Response:
        action = self.get_object()
        if request.method == "GET":
            updates = status_updates_for_api(user=request.user).filter(action=action)
            page = self.paginate_queryset(updates)
            return self.get_paginated_response(StatusUpdateSerializer(page, many=True).data)
        return self.record_status_update(request, action)

    def record_status_update(self, request: Request, action) -> Response:
        if not can_update_action(request.user, action):
            if closed_to(request.user, action):
                raise exceptions.PermissionDenied("This action has been closed: only an admin can reopen it.")
            raise exceptions.PermissionDenied("You cannot update this action.")
        incoming = StatusUpdateCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            expected, via_if_match = self.expected_version(request, action, data.get("version"))
        except PreconditionFailed as failed:
            return stale_response(
                failed.action, [], status_code=status.HTTP_412_PRECONDITION_FAILED, detail=UNKNOWN_ETAG_DETAIL
            )
        revised = data.get("revised_target_date")
        try:
            update = action_update_status(
                action=action,
                by=request.user,
                status=data["status"],
                rag=data["rag"],
                narrative=data.get("narrative", ""),
                evidence_url=data.get("evidence_url", ""),
                revised_target_date=revised.day if revised else None,
                revised_target_precision=revised.precision if revised else "day",
                revision_reason=data.get("revision_reason", ""),
                closure_reason=data.get("closure_reason", ""),
                expected_version=expected,
                effective_on=data.get("effective_date"),
            )
        except StaleVersion as stale:
            code = status.HTTP_412_PRECONDITION_FAILED if via_if_match else status.HTTP_409_CONFLICT
            return stale_response(stale.action, stale.updates_since, status_code=code, detail=STALE_DETAIL)
        except PermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied)) from None
        except ValidationError as error:
            errors = {FIELD_NAMES.get(name, name): messages for name, messages in error.message_dict.items()}
            raise exceptions.ValidationError(errors) from None
        update = status_updates_for_api(user=request.user).get(pk=update.pk)
        return Response(
            StatusUpdateSerializer(update).data,
            status=status.HTTP_201_CREATED,
            headers={
                "ETag": action_etag(action),
                "Location": reverse("api:statusupdate-detail", kwargs={"pk": update.pk}),
            },
        )

    @staticmethod
    def expected_version(request: Request, action, version: int | None) -> tuple[int, bool]:
        """The version the client read, from `version` or If-Match; (version, whether it came from If-Match)."""
        header = request.headers.get("If-Match", "").strip()
        if header:
            from_header = version_from_if_match(header, action_id=action.pk)
            if from_header is None:
                raise PreconditionFailed(action)
            if version is not None and version != from_header:
                raise exceptions.ValidationError(
                    {"version": ["The version and the If-Match header name different versions: send one of them"]}
                )
            return from_header, True
        if version is None:
            raise PreconditionRequired
        return version, False


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the version of the action you read, as `version` in the body or as its ETag in the If-Match header, "
        "so that an update made meanwhile is never overwritten."
    )
    default_code = "precondition_required"


class PreconditionFailed(Exception):
    """If-Match names no version of the action: answered as a stale version is, with the current ETag."""

    def __init__(self, action):
        super().__init__("If-Match names no version of this action")
        self.action = action


STALE_DETAIL = (
    "Someone else updated this action after the version you sent, so your update was not saved. "
    "Read the updates you missed, then send yours again with the current version."
)
UNKNOWN_ETAG_DETAIL = (
    "The If-Match header does not name a version of this action: send the ETag you read, for example "
    '"action-12-v3". The current one is in `etag`.'
)


def stale_response(action, updates_since, *, status_code: int, detail: str) -> Response:
    body = {
        "detail": detail,
        "current_version": action.version,
        "etag": action_etag(action),
        "updates_since": StatusUpdateSerializer(updates_since, many=True).data,
    }
    return Response(body, status=status_code, headers={"ETag": action_etag(action)})


class StatusUpdateViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Status updates of the actions you may read, the latest to happen first."""

    serializer_class = StatusUpdateSerializer
    filterset_class = StatusUpdateFilter

    def get_queryset(self):
        return status_updates_for_api(user=self.request.user)


class ReviewCycleViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Review cycles of the plans you may read: for board members, admins and leads."""

    serializer_class = ReviewCycleSerializer
    filterset_class = ReviewCycleFilter
    permission_classes = [permissions.IsAuthenticated, ReadsDashboards]

    def get_queryset(self):
        return review_cycles_for_api(user=self.request.user)
