"""The admin site: for plan admins only, and only once their session is verified by a second factor. Anyone else
signed in gets the service's 403 page saying so, and a signed-out visitor is sent to the service's own sign-in
page (the same form, lockout, limits and second factor) rather than Django's."""

from __future__ import annotations

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .refusals import Refusal


def admin_refusal(user) -> Refusal:
    """Why a signed-in person who is not a plan admin cannot use the admin, and where their work is instead."""
    role = user.get_role_display().lower() if user.role != user.Role.NONE else "without a role"
    reasons = [
        "Plan admins use the admin to enter and change plan content: plans, themes, actions, review cycles, "
        "organisations and people.",
        f"You are signed in as {user.get_full_name() or user.get_username()}, {_with_article(role)}, "
        "so you cannot use it.",
    ]
    links: list[tuple[str, str]] = []
    if user.is_lead:
        reasons.append("To update the status of the actions you lead, go to My actions.")
        links.append(("Go to My actions", _url("actions:mine")))
    elif user.reads_dashboards:
        links.append(("Go to the dashboard", _url("reviews:dashboard")))
    reasons.append("If plan content needs changing, or you should be a plan admin, ask a plan admin.")
    links.append(("Go to the plan", _url("themes:home")))
    return Refusal("The admin is for plan admins", reasons, [link for link in links if link[1]])


def _with_article(role: str) -> str:
    if role.startswith("without"):
        return role
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


class PlanAdminSite(admin.AdminSite):
    site_header = "RASSO joint action plan: administration"
    site_title = "RASSO joint action plan admin"
    index_title = "Plan content, organisations and people"

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise admin_refusal(request.user)
            return guarded(request, *args, **kwargs)

        return update_wrapper(inner, guarded)

    def has_permission(self, request: HttpRequest) -> bool:
        # Admins only (is_staff follows the role), and only once their session is verified by a second factor.
        # SecondFactorMiddleware has already sent an unverified admin to the code page; this holds regardless.
        from .two_factor import is_verified

        return super().has_permission(request) and is_verified(request.user)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Signing in happens on the service's sign-in page (with its lockout); this only sends people there."""
        index = reverse("admin:index", current_app=self.name)
        wanted = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            wanted = index
        if request.user.is_authenticated:
            from .signin_views import second_factor_page
            from .two_factor import second_factor_pending

            if second_factor_pending(request):
                # Still owing the code (or an authenticator app): that page, then on to the admin.
                return HttpResponseRedirect(second_factor_page(request, wanted))
            if not self.has_permission(request):
                raise admin_refusal(request.user)
            return HttpResponseRedirect(wanted)
        return redirect_to_login(wanted, settings.LOGIN_URL)
