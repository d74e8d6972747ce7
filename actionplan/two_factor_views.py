"""Setting up, managing and turning off a second factor; recovery codes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login

from .forms import ConfirmForm, TotpCodeForm
from .signin import sign_in_completed
from .signin_middleware import second_factor_not_required
from .signin_views import safe_next, with_next
from .two_factor import (
    NEW_RECOVERY_CODES,
    OWED,
    SETUP_KEY,
    has_second_factor,
    is_verified,
    recovery_codes_create,
    recovery_codes_remaining,
    second_factor_pending,
    second_factor_required,
    totp_config_url,
    totp_device_for,
    totp_key_text,
    totp_new_key,
    totp_qr_data_uri,
    two_factor_enrol,
    two_factor_turn_off,
)


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
