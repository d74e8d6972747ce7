"""Signing in: the password, then the code from an authenticator app or a recovery code.

The rules live in actionplan.signin (limits, what a completed sign-in does) and actionplan.two_factor (who owes a
second factor, devices and recovery codes); these views only ask them and answer.
"""

from __future__ import annotations

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView
from django_otp import login as otp_login

from .forms import RecoveryCodeForm, SignInForm, TotpCodeForm, has_control_characters
from .security import log_event
from .signin import sign_in_completed, sign_in_throttled
from .signin_middleware import second_factor_not_required
from .two_factor import (
    OWED,
    has_second_factor,
    is_verified,
    recovery_code_use,
    recovery_codes_remaining,
    second_factor_pending,
    totp_device_for,
    totp_verify,
)


def next_or_empty(request: HttpRequest) -> str:
    """The `next` address of the request if it points into this service (and not back at sign-in), else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate
        and len(candidate) <= 2000
        and not has_control_characters(candidate)
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not candidate.startswith((reverse("login"), reverse("admin:login")))
    ):
        return candidate
    return ""


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The request's safe `next` address, or the default, or the landing page."""
    return next_or_empty(request) or default or reverse(settings.LOGIN_REDIRECT_URL)


def with_next(url_name: str, next_url: str) -> str:
    return reverse(url_name) + ("?" + urlencode({"next": next_url}) if next_url else "")


def second_factor_page(request: HttpRequest, next_url: str) -> str:
    """Where someone owing a second factor goes: their code, or setting up an app when they have none."""
    return with_next("login_code" if has_second_factor(request.user) else "two_factor_setup", next_url)


# -- The password ---------------------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Username and password; then the code page when a second factor is owed. Also the admin's sign-in."""

    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    default_next = None

    def get_redirect_url(self) -> str:
        return next_or_empty(self.request)

    def get_default_redirect_url(self) -> str:
        return self.default_next or super().get_default_redirect_url()

    def form_valid(self, form):
        auth_login(self.request, form.get_user())
        next_url = self.get_success_url()
        if second_factor_pending(self.request):
            return HttpResponseRedirect(second_factor_page(self.request, next_url))
        return HttpResponseRedirect(next_url)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttle is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.throttle.retry_after)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.get_redirect_url() or self.default_next or ""
        if settings.OIDC_ENABLED:
            context["sso_url"] = with_next("sso_start", context["next"])
            context["sso_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context


# -- The second factor at sign-in ------------------------------------------------------------------------------------


@method_decorator([second_factor_not_required, never_cache, sensitive_post_parameters()], name="dispatch")
class SecondFactorStepView(FormView):
    """One step of sign-in after the password: a code from the app, or a recovery code.

    Wrong codes count as failed sign-ins (the axes lockout and the per-username limit), are logged, and a lockout
    ends the half-made session.
    """

    stage = ""
    wrong_message = ""
    field_name = ""

    def dispatch(self, request, *args, **kwargs):
        if is_verified(request.user):
            return HttpResponseRedirect(safe_next(request))
        if not has_second_factor(request.user):
            return HttpResponseRedirect(with_next("two_factor_setup", safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": safe_next(self.request)}

    def post(self, request, *args, **kwargs):
        username = request.user.get_username()
        credentials = {"username": username}
        if AxesProxyHandler.is_locked(request, credentials):
            return self._lock_out(credentials)
        form = self.get_form()
        throttle = sign_in_throttled(request=request, username=username)
        if throttle is not None:
            form.is_valid()
            form.add_error(
                None,
                f"There have been too many attempts to sign in as you. Wait {throttle.wait_words} and try again.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(throttle.retry_after)
            return response
        if not form.is_valid():
            return self.form_invalid(form)
        device = self.verify(form.cleaned_data[self.field_name])
        if device is None:
            user_login_failed.send(sender=__name__, credentials={**credentials, "stage": self.stage}, request=request)
            if getattr(request, "axes_locked_out", False):
                return self._lock_out(credentials)
            form.add_error(self.field_name, self.wrong_message)
            return self.form_invalid(form)
        return self.complete(device)

    def verify(self, code: str):
        raise NotImplementedError

    def complete(self, device) -> HttpResponse:
        request = self.request
        pending = second_factor_pending(request)
        otp_login(request, device)
        # A new session key for the newly verified session, as at sign-in.
        request.session.cycle_key()
        request.session.pop(OWED, None)
        if pending:
            sign_in_completed(request=request, user=request.user, second_factor=self.stage)
        else:
            log_event("second_factor_verified", request, user=request.user.get_username(), method=self.stage)
        return HttpResponseRedirect(safe_next(request))

    def _lock_out(self, credentials) -> HttpResponse:
        request = self.request
        request.sign_out_reason = "locked_out"
        logout(request)
        request.axes_locked_out = True
        return get_lockout_response(request, None, credentials)


class CodeView(SecondFactorStepView):
    template_name = "registration/login_code.html"
    form_class = TotpCodeForm
    stage = "code"
    field_name = "code"
    wrong_message = "The code is not right. Enter the code your authenticator app shows now"

    def verify(self, code: str):
        return totp_verify(user=self.request.user, code=code)


class RecoveryCodeView(SecondFactorStepView):
    template_name = "registration/login_recovery_code.html"
    form_class = RecoveryCodeForm
    stage = "recovery_code"
    field_name = "recovery_code"
    wrong_message = "That recovery code is not right or has been used. Enter another of your recovery codes"

    def verify(self, code: str):
        user = self.request.user
        if not recovery_code_use(user=user, code=code):
            return None
        left = recovery_codes_remaining(user)
        log_event("recovery_code_used", self.request, user=user.get_username(), remaining=left)
        messages.info(
            self.request,
            f"You used a recovery code. You have {left} left: each works once. If you have lost your phone, "
            "set up your authenticator app again from Your account.",
        )
        return totp_device_for(user)


logout_view = second_factor_not_required(auth_views.LogoutView.as_view())
