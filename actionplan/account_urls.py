"""Addresses of signing in and of a person's own account, under /accounts/."""

from __future__ import annotations

from django.urls import path

from . import account_views as views
from .oidc import SingleSignOnCallbackView, SingleSignOnStartView

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", views.CodeView.as_view(), name="login_code"),
    path("login/recovery-code/", views.RecoveryCodeView.as_view(), name="login_recovery_code"),
    path("logout/", views.logout_view, name="logout"),
    path("sso/start/", SingleSignOnStartView.as_view(), name="sso_start"),
    path("sso/callback/", SingleSignOnCallbackView.as_view(), name="sso_callback"),
    path("", views.AccountView.as_view(), name="account"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("two-factor/set-up/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.RecoveryCodesView.as_view(), name="two_factor_recovery_codes"),
    path("two-factor/turn-off/", views.TwoFactorTurnOffView.as_view(), name="two_factor_turn_off"),
    path("password/change/", views.ChangePasswordView.as_view(), name="password_change"),
    path("password/reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.ResetSentView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/complete/", views.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("session/", views.session_status, name="session_status"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("session/ended/", views.session_ended, name="session_ended"),
]
