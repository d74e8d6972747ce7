from django.urls import path

from . import cycle_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewCycleListView.as_view(), name="list"),
    path("<int:pk>/", cycle_views.ReviewCycleDetailView.as_view(), name="detail"),
    path("<int:pk>/change/", cycle_views.ReviewCycleChangeView.as_view(), name="change"),
    path("<int:pk>/open/", cycle_views.ReviewCycleOpenView.as_view(), name="open"),
    path("<int:pk>/close/", cycle_views.ReviewCycleCloseView.as_view(), name="close"),
    path("<int:pk>/minutes/", cycle_views.BoardMinutesView.as_view(), name="minutes"),
    path("<int:pk>/actions/<int:action_pk>/decision/", cycle_views.BoardDecisionCreateView.as_view(), name="decide"),
    path("plans/<slug:slug>/schedule/", cycle_views.PlanCycleScheduleView.as_view(), name="schedule"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/themes/<int:number>/", views.ThemeDashboardView.as_view(), name="theme_dashboard"),
    path("dashboard/actions.<str:fmt>", views.ActionExportView.as_view(), name="export"),
    path("board-pack/", views.BoardPackView.as_view(), name="board_pack"),
    path("board-pack.pdf", views.BoardPackPdfView.as_view(), name="board_pack_pdf"),
]
