"""The plan and theme pages, served at the root (their URL names keep the `themes` namespace)."""

from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan"),
    path("plans/<slug:slug>/themes/<int:number>/", views.ThemeDetailView.as_view(), name="theme"),
]
