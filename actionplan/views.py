from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .health import health_report
from .logs import current_request_id
from .refusals import Refusal


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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request's id as a reference that finds its log lines.

    Rendered without the request's context processors: whatever failed (the database, a template tag) may fail
    again there.
    """
    reference = getattr(request, "id", "") or current_request_id.get()
    return HttpResponseServerError(loader.get_template("500.html").render({"reference": reference}))


@method_decorator(login_not_required, name="dispatch")
class AccessibilityStatementView(TemplateView):
    """The accessibility statement, in the form of GOV.UK's model statement; readable without signing in."""

    template_name = "pages/accessibility.html"
    prepared_on = date(2026, 11, 30)
    reviewed_on = date(2026, 11, 30)
    known_issues = [
        "the administration pages (for admins only) use Django’s own administration interface rather than the "
        "GOV.UK Design System, and have not been checked with the same tests as the rest of the service",
        "the CSV and XLSX downloads are plain tables without a description of their columns",
        "the board pack is printed to paper or PDF by your browser, so a PDF of it has only the structure your "
        "browser gives it",
    ]
    untested = [
        "the administration pages at /admin/: not checked with axe-core or by keyboard",
        "the service has not been tested by people who use screen readers, screen magnifiers or speech "
        "recognition software",
        "the CSV and XLSX downloads, and PDFs printed from the board pack, have not been checked with assistive "
        "technology",
    ]

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "site_url": settings.SITE_URL,
            "support_email": settings.SUPPORT_EMAIL,
            "prepared_on": self.prepared_on,
            "reviewed_on": self.reviewed_on,
            "known_issues": self.known_issues,
            "untested": self.untested,
        }


@method_decorator(login_not_required, name="dispatch")
class PrivacyNoticeView(TemplateView):
    """What personal data the service holds, why, for how long, and the rights of the people it is about."""

    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "support_email": settings.SUPPORT_EMAIL,
            "session_hours": round(settings.SESSION_COOKIE_AGE / 3600),
        }


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The GOV.UK 403 page; a Refusal says why and what to do instead, a PermissionDenied raised with a sentence
    shows that sentence, anything else gets the general wording."""
    refusal = exception if isinstance(exception, Refusal) else None
    reason = str(exception) if isinstance(exception, PermissionDenied) and exception.args and not refusal else ""
    return render(request, "403.html", {"refusal": refusal, "exception": reason}, status=403)
