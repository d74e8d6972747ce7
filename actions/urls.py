from django.urls import path

from . import local_plan_views, views

app_name = "actions"

urlpatterns = [
    path("mine/", views.MyActionsView.as_view(), name="mine"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("<int:pk>/", views.ActionDetailView.as_view(), name="detail"),
    path("<int:pk>/update/", views.ActionUpdateStatusView.as_view(), name="update"),
    path("<int:pk>/completion/", views.ActionCompletionView.as_view(), name="completion"),
    path("<int:pk>/not-applicable/", local_plan_views.NotApplicableView.as_view(), name="not_applicable"),
    path("<int:pk>/national-change/", local_plan_views.NationalChangeView.as_view(), name="national_change"),
]
