"""Every API error is JSON with a sentence for a person, `detail`, and for a problem with named fields,
`errors`: the messages by field. A request the API cannot read is a 4xx with its reason, never a 500."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

MESSAGES = {
    status.HTTP_404_NOT_FOUND: "Not found: there is nothing at this address that you may read.",
}


def _flatten(data) -> list[str]:
    if isinstance(data, dict):
        return [message for value in data.values() for message in _flatten(value)]
    if isinstance(data, list):
        return [message for value in data for message in _flatten(value)]
    return [str(data)]


def api_exception_handler(exc, context) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(MESSAGES[404])
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        errors = {name: _flatten(value) for name, value in errors.items()}
        messages = [message for values in errors.values() for message in values]
        detail = messages[0] if len(messages) == 1 else "The request has errors: see `errors`, by field."
        response.data = {"detail": detail, "errors": errors}
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"]), **{k: v for k, v in data.items() if k != "detail"}}
    else:
        response.data = {"detail": " ".join(_flatten(data))}
    return response


def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any address under /api/ that is not an endpoint."""
    return JsonResponse(
        {"detail": "Not found: no API endpoint has this address. The schema is at /api/schema/."}, status=404
    )
