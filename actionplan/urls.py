from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from . import views
from .admin_hardening import harden_admin_site

admin.site.site_header = "RASSO joint action plan: administration"
admin.site.site_title = "RASSO joint action plan admin"
admin.site.index_title = "Plan content, organisations and people"
harden_admin_site(admin.site)

handler500 = "actionplan.views.server_error"
# A refusal (actionplan.refusals.Refusal) is shown with its reasons on the GOV.UK 403 page.
handler403 = "actionplan.views.permission_denied"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("landing/", views.landing, name="landing"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("accounts/", include("actionplan.account_urls")),
    path("admin/", admin.site.urls),
    path("actions/", include("actions.urls")),
    path("reviews/", include("reviews.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("api-tokens/", include("api.token_urls")),
    path("public/", include("reviews.public_urls")),
    path("", include("actions.plan_urls")),
]
