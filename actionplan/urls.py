from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "RASSO joint action plan: administration"
admin.site.site_title = "RASSO joint action plan admin"
admin.site.index_title = "Plan content, organisations and people"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("landing/", views.landing, name="landing"),
    path("accounts/", include("actionplan.account_urls")),
    path("admin/", admin.site.urls),
    path("actions/", include("actions.urls")),
    path("reviews/", include("reviews.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("actions.plan_urls")),
]
