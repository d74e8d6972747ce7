"""Addresses of signing in and of a person's own account, under /accounts/."""

from __future__ import annotations

from django.urls import path

from . import account_views, signin_views, two_factor_views
from .oidc import SingleSignOnCallbackView, SingleSignOnStartView

urlpatterns = [
    path("login/", signin_views.SignInView.as_view(), name="login"),
    path("login/code/", signin_views.CodeView.as_view(), name="login_code"),
    path("login/recovery-code/", signin_views.RecoveryCodeView.as_view(), name="login_recovery_code"),
    path("logout/", signin_views.logout_view, name="logout"),
    path("sso/start/", SingleSignOnStartView.as_view(), name="sso_start"),
    path("sso/callback/", SingleSignOnCallbackView.as_view(), name="sso_callback"),
    path("", account_views.AccountView.as_view(), name="account"),
    path("two-factor/", two_factor_views.TwoFactorView.as_view(), name="two_factor"),
    path("two-factor/set-up/", two_factor_views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/recovery-codes/", two_factor_views.RecoveryCodesView.as_view(), name="two_factor_recovery_codes"),
    path("two-factor/turn-off/", two_factor_views.TwoFactorTurnOffView.as_view(), name="two_factor_turn_off"),
    path("password/change/", account_views.ChangePasswordView.as_view(), name="password_change"),
    path("password/reset/", account_views.ResetRequestView.as_view(), name="password_reset"),
    path("password/reset/sent/", account_views.ResetSentView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", account_views.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/complete/", account_views.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("session/", account_views.session_status, name="session_status"),
    path("session/extend/", account_views.session_extend, name="session_extend"),
    path("session/ended/", account_views.session_ended, name="session_ended"),
]
