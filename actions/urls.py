from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("<int:pk>/", views.ActionDetailView.as_view(), name="detail"),
]
