"""The plan and theme pages, served at the root (their URL names keep the `themes` namespace)."""

from django.urls import path

from . import import_views, local_plan_views, views

app_name = "themes"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan"),
    path("plans/<slug:slug>/themes/<int:number>/", views.ThemeDetailView.as_view(), name="theme"),
    path("plans/<slug:slug>/import/", import_views.ImportUploadView.as_view(), name="import"),
    path("plans/<slug:slug>/import/<uuid:pk>/", import_views.ImportPreviewView.as_view(), name="import_preview"),
    path(
        "plans/<slug:slug>/import/template.<str:fmt>", import_views.ImportTemplateView.as_view(), name="import_template"
    ),
    path("plans/<slug:slug>/local-plans/new/", local_plan_views.LocalPlanCreateView.as_view(), name="local_plan_new"),
    path("plans/<slug:slug>/actions/new/", local_plan_views.LocalActionAddView.as_view(), name="local_action_new"),
]
