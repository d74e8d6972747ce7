"""Middleware of the whole service: a log line and an id for every request, and the refusal of addresses that
carry characters no page of the service can use."""

from __future__ import annotations

import json
import logging
import re
import secrets
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from .logs import current_request_id

logger = logging.getLogger("actionplan.request")

# An id a trusted proxy may pass on (nginx's $request_id is 32 hex digits); anything else is replaced.
REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
LOGGED_PATH_LENGTH = 1000
# C0 controls but tab, line feed and carriage return; DEL; the C1 controls. PostgreSQL cannot store a NUL and
# compares nothing with one, and none of them belongs in an address or a filter.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def new_request_id() -> str:
    return secrets.token_hex(8)


class RequestLogMiddleware:
    """Gives each request an id (`request.id`, the `X-Request-ID` response header, the reference on the 500 page)
    and logs one JSON line when it is answered: method, path, status, duration in milliseconds and user id.

    First in MIDDLEWARE, so the duration covers every other middleware and the status is the one sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.id = self.incoming_id(request) or new_request_id()
        token = current_request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            self.log(request, response.status_code, started)
            return response
        finally:
            current_request_id.reset(token)

    @staticmethod
    def incoming_id(request: HttpRequest) -> str | None:
        """The id set by the reverse proxy in front (so its access log and ours agree); never a client's own."""
        if settings.TRUSTED_PROXY_COUNT <= 0:
            return None
        value = request.META.get("HTTP_X_REQUEST_ID", "")
        return value if REQUEST_ID.fullmatch(value) else None

    @staticmethod
    def log(request: HttpRequest, status: int, started: float) -> None:
        user = getattr(request, "user", None)
        fields = {
            "event": "request",
            "method": request.method,
            "path": request.path[:LOGGED_PATH_LENGTH],
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        }
        level = logging.ERROR if status >= 500 else logging.INFO
        logger.log(level, json.dumps({"request_id": request.id, **fields}), extra={"fields": fields})


class RefuseControlCharactersMiddleware:
    """A NUL or another control character in the address, a parameter's name or value, or a form field's name
    is answered with a 400 page that says so, before any view reads it.

    Such input is never typed by a person: it comes from probing or a broken link. Left to the views, PostgreSQL
    refuses it with an error deep in a query (a 500). Form field *values* are left to the forms, which answer
    with an error on the field (a narrative with a NUL is told so beside the narrative, keeping the text).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self.problem(request)
        if problem:
            if request.path.startswith(tuple(settings.JSON_ERROR_PATH_PREFIXES)):
                # Addresses for programs answer JSON, as their own errors do.
                return JsonResponse({"detail": problem}, status=400)
            return render(request, "400.html", {"problem": problem}, status=400)
        return self.get_response(request)

    @staticmethod
    def problem(request: HttpRequest) -> str | None:
        if CONTROL_CHARACTERS.search(request.path):
            return "The web address contains a character that cannot be used in an address."
        for name, values in request.GET.lists():
            if CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(value) for value in values):
                return "The web address contains a character that cannot be used in a search or filter."
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                names = list(request.POST)
            except MultiPartParserError:
                return "The form sent could not be read: it is not in the format it says it is."
            if any(CONTROL_CHARACTERS.search(name) for name in names):
                return "The form sent contains a field name with a character that cannot be used."
        return None
