from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewCycleListView.as_view(), name="list"),
    path("<int:pk>/", views.ReviewCycleDetailView.as_view(), name="detail"),
]
