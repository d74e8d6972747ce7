from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewCycleListView.as_view(), name="list"),
    path("<int:pk>/", views.ReviewCycleDetailView.as_view(), name="detail"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/themes/<int:number>/", views.ThemeDashboardView.as_view(), name="theme_dashboard"),
    path("dashboard/actions.<str:fmt>", views.ActionExportView.as_view(), name="export"),
    path("board-pack/", views.BoardPackView.as_view(), name="board_pack"),
]
