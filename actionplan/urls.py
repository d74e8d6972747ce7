from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import SignInForm

admin.site.site_header = "RASSO joint action plan: administration"
admin.site.site_title = "RASSO joint action plan admin"
admin.site.index_title = "Plan content, organisations and people"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("landing/", views.landing, name="landing"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("actions/", include("actions.urls")),
    path("reviews/", include("reviews.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("api-tokens/", include("api.token_urls")),
    path("", include("actions.plan_urls")),
]
