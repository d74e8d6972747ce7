"""The public progress pages: no sign-in, nothing else of the service reachable from them."""

from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("<slug:slug>/", public_views.public_progress, name="progress"),
]
