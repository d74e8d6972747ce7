"""A person's own account: the account page, changing and resetting the password, and the session's clock."""

from __future__ import annotations

import time

from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from .forms import ChangePasswordForm, NewPasswordForm, ResetRequestForm
from .security import log_event
from .signin import LAST_SEEN
from .signin_middleware import not_session_activity, second_factor_not_required, session_seconds_left
from .signin_views import next_or_empty, safe_next, with_next
from .two_factor import has_second_factor, second_factor_required


@method_decorator(never_cache, name="dispatch")
class AccountView(TemplateView):
    template_name = "registration/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "has_second_factor": has_second_factor(user),
            "second_factor_required": second_factor_required(user),
            "sso_enabled": settings.OIDC_ENABLED,
        }


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("account")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_rules": password_validators_help_texts()}

    def form_valid(self, form):
        response = super().form_valid(form)
        log_event("password_changed", self.request, user=self.request.user.get_username())
        messages.success(self.request, "Your password has been changed")
        return response

    def form_invalid(self, form):
        request = self.request
        if getattr(request, "axes_locked_out", False):
            credentials = {"username": request.user.get_username()}
            request.sign_out_reason = "locked_out"
            logout(request)
            return get_lockout_response(request, None, credentials)
        return super().form_invalid(form)


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    form_class = ResetRequestForm
    success_url = reverse_lazy("password_reset_done")


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_rules": password_validators_help_texts()}

    def form_valid(self, form):
        response = super().form_valid(form)
        log_event("password_reset_completed", self.request, user=form.user.get_username())
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


# -- The session ------------------------------------------------------------------------------------------------------


@login_not_required
@second_factor_not_required
@not_session_activity
@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left, for the timeout warning; asking does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse({"signed_in": True, "seconds_left": max(0, session_seconds_left(request.session) or 0)})


@second_factor_not_required
@never_cache
@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" on the timeout warning: counts as activity now."""

    request.session[LAST_SEEN] = int(time.time())
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"signed_in": True, "seconds_left": max(0, session_seconds_left(request.session) or 0)})
    return HttpResponseRedirect(safe_next(request))


@login_not_required
@never_cache
@require_GET
def session_ended(request: HttpRequest) -> HttpResponse:
    """Where the timeout warning sends the browser when time is up: the session has ended on the server."""
    if request.user.is_authenticated:
        # Activity elsewhere (another tab) kept the session alive.
        return HttpResponseRedirect(safe_next(request))
    return render(
        request,
        "registration/session_ended.html",
        {
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
            "sign_in_url": with_next("login", next_or_empty(request)),
        },
    )
