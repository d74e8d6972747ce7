from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from .health import health_report
from .refusals import Refusal


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


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The GOV.UK 403 page; a Refusal says why and what to do instead, anything else gets the general wording."""
    refusal = exception if isinstance(exception, Refusal) else None
    return render(request, "403.html", {"refusal": refusal}, status=403)
