from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """{"database": "ok", "broker": "ok", ...}: 200 when all is well, 503 naming the failing part."""
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


# After sign-in, each role lands where its work is.
LANDING_PAGES = {"lead": "actions:mine", "board": "reviews:dashboard", "admin": "reviews:dashboard"}


def landing(request: HttpRequest) -> HttpResponseRedirect:
    user = request.user
    role = "admin" if user.is_admin else user.role
    return HttpResponseRedirect(reverse(LANDING_PAGES.get(role, "themes:home")))
