"""Pages of signing in and of a person's own account: the password, the second factor, the session.

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
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login

from .forms import (
    ChangePasswordForm,
    ConfirmForm,
    NewPasswordForm,
    RecoveryCodeForm,
    ResetRequestForm,
    SignInForm,
    TotpCodeForm,
    has_control_characters,
)
from .signin_middleware import not_session_activity, second_factor_not_required, session_seconds_left
from .security import log_event
from .signin import LAST_SEEN, sign_in_completed, sign_in_throttled
from .two_factor import (
    NEW_RECOVERY_CODES,
    OWED,
    SETUP_KEY,
    has_second_factor,
    is_verified,
    recovery_code_use,
    recovery_codes_create,
    recovery_codes_remaining,
    second_factor_pending,
    second_factor_required,
    totp_config_url,
    totp_device_for,
    totp_key_text,
    totp_new_key,
    totp_qr_data_uri,
    totp_verify,
    two_factor_enrol,
    two_factor_turn_off,
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


# -- Setting up the second factor -------------------------------------------------------------------------------------


@method_decorator([second_factor_not_required, never_cache, sensitive_post_parameters()], name="dispatch")
class TwoFactorSetupView(FormView):
    """Set up an authenticator app: a QR code drawn here and the secret in text, proved by one code.

    Reached first by an admin (or anyone, with OTP_REQUIRED_FOR_ALL) who has no app yet; by anyone else from Your
    account. Replacing an existing app needs the session to be verified by it first.
    """

    template_name = "registration/two_factor_setup.html"
    form_class = TotpCodeForm

    def dispatch(self, request, *args, **kwargs):
        if has_second_factor(request.user) and not is_verified(request.user):
            return HttpResponseRedirect(with_next("login_code", safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def _key(self) -> str:
        key = self.request.session.get(SETUP_KEY)
        if not isinstance(key, str) or len(key) != 40:
            key = totp_new_key()
            self.request.session[SETUP_KEY] = key
        return key

    def get_context_data(self, **kwargs):
        key = self._key()
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "qr_code": totp_qr_data_uri(totp_config_url(user=user, key=key)),
            "key_text": totp_key_text(key),
            "replacing": has_second_factor(user),
            "required": second_factor_required(user),
            "next": safe_next(self.request),
        }

    def form_valid(self, form):
        request = self.request
        pending = second_factor_pending(request)
        codes = two_factor_enrol(user=request.user, key=self._key(), code=form.cleaned_data["code"], request=request)
        if codes is None:
            form.add_error(
                "code",
                "The code is not right. Check that your phone sets its time automatically, then enter the code "
                "your app shows now",
            )
            return self.form_invalid(form)
        otp_login(request, totp_device_for(request.user))
        request.session.cycle_key()
        request.session.pop(OWED, None)
        request.session.pop(SETUP_KEY, None)
        request.session[NEW_RECOVERY_CODES] = codes
        if pending:
            sign_in_completed(request=request, user=request.user, second_factor="enrolment")
        return HttpResponseRedirect(with_next("two_factor_recovery_codes", safe_next(request)))


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(FormView):
    """Recovery codes: shown once right after they are made; new ones on request (the old ones stop working)."""

    template_name = "registration/two_factor_recovery_codes.html"
    form_class = ConfirmForm

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(NEW_RECOVERY_CODES, None)
        context = self.get_context_data(codes=codes if isinstance(codes, list) else None)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "has_second_factor": has_second_factor(user),
            "remaining": recovery_codes_remaining(user),
            "next": safe_next(self.request, default=reverse("two_factor")),
        }

    def form_valid(self, form):
        request = self.request
        if not has_second_factor(request.user):
            return HttpResponseRedirect(reverse("two_factor_setup"))
        if not is_verified(request.user):
            return HttpResponseRedirect(with_next("login_code", reverse("two_factor_recovery_codes")))
        request.session[NEW_RECOVERY_CODES] = recovery_codes_create(user=request.user, request=request)
        return HttpResponseRedirect(reverse("two_factor_recovery_codes"))


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(TemplateView):
    template_name = "registration/two_factor.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        device = totp_device_for(user)
        return {
            **super().get_context_data(**kwargs),
            "device": device,
            "required": second_factor_required(user),
            "remaining": recovery_codes_remaining(user) if device else 0,
        }


@method_decorator(never_cache, name="dispatch")
class TwoFactorTurnOffView(FormView):
    """Stop using an authenticator app: only for people not required to have one."""

    template_name = "registration/two_factor_turn_off.html"
    form_class = ConfirmForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "required": second_factor_required(user),
            "has_second_factor": has_second_factor(user),
        }

    def form_valid(self, form):
        request = self.request
        if second_factor_required(request.user):
            raise PermissionDenied("Admins cannot turn off two-factor authentication.")
        if not has_second_factor(request.user):
            return HttpResponseRedirect(reverse("two_factor"))
        if not is_verified(request.user):
            return HttpResponseRedirect(with_next("login_code", reverse("two_factor_turn_off")))
        two_factor_turn_off(user=request.user, request=request)
        messages.success(request, "Two-factor authentication is turned off")
        return HttpResponseRedirect(reverse("two_factor"))


# -- The account and its password -------------------------------------------------------------------------------------


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
    import time

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


logout_view = second_factor_not_required(auth_views.LogoutView.as_view())
