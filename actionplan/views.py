from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report
from .logs import current_request_id


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """{"database": "ok", "broker": "ok", ...}: 200 when all is well, 503 naming the failing part."""
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


# After sign-in, each role lands where its work is; the first page in the list that exists wins.
LANDING_PAGES = {
    "lead": ["actions:mine", "themes:home"],
    "board": ["reviews:dashboard", "themes:home"],
    "admin": ["reviews:dashboard", "themes:home"],
}


def landing(request: HttpRequest) -> HttpResponseRedirect:
    user = request.user
    role = "admin" if user.is_admin else user.role
    for name in LANDING_PAGES.get(role, ["themes:home"]):
        try:
            return HttpResponseRedirect(reverse(name))
        except NoReverseMatch:
            continue
    return HttpResponseRedirect(reverse("themes:home"))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request's id as a reference that finds its log lines.

    Rendered without the request's context processors: whatever failed (the database, a template tag) may fail
    again there.
    """
    reference = getattr(request, "id", "") or current_request_id.get()
    return HttpResponseServerError(loader.get_template("500.html").render({"reference": reference}))
