"""The API's addresses, under /api/. Each resource is registered on the v1 router: snapshots, decisions and
recommendations are registered here too, beside the others, once their models exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from . import views
from .errors import api_not_found

app_name = "api"


class ApiRootView(views.ForPrograms, routers.APIRootView):
    """The list of the API's collections."""


class Router(routers.DefaultRouter):
    APIRootView = ApiRootView
    # JSON only: no `.json` suffixes beside each address.
    include_format_suffixes = False


router = Router()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("actions", views.ActionViewSet, basename="action")
router.register("status-updates", views.StatusUpdateViewSet, basename="statusupdate")
router.register("review-cycles", views.ReviewCycleViewSet, basename="reviewcycle")


class SchemaView(views.ForPrograms, SpectacularAPIView):
    """The OpenAPI schema, for signed-in people and tokens."""


class DocsView(SpectacularSwaggerSplitView):
    """Browsable documentation (Swagger UI, served from this site: no CDN, no inline script or style)."""

    template_name = "api/swagger_ui.html"
    title = "RASSO joint action plan API"

    @classmethod
    def as_view(cls, *args, **kwargs):
        # A page for people: a browser that has not signed in is sent to the sign-in page, as for every page.
        view = super().as_view(*args, **kwargs)
        view.login_required = True
        return view


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    # Changes nothing, so no sign-in or CSRF check stands before its JSON 404.
    re_path(r"^", csrf_exempt(login_not_required(api_not_found))),
]
