"""The Django admin's default site, made to use the service's sign-in and to need a second factor on every page."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect


class SecureAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        # Admins only (is_staff follows the role), and only once their session is verified by a second factor.
        # SecondFactorMiddleware has already sent an unverified admin to the code page; this holds regardless.
        from .two_factor import is_verified

        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        """One sign-in for the whole service: the same page, form, lockout, limits and second factor."""
        from .account_views import SignInView

        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(self._admin_index_url(request))
            # Signed in, but not an admin: the admin is not for them (rather than a loop back to sign-in).
            raise PermissionDenied
        return SignInView.as_view(default_next=self._admin_index_url(request))(request)

    def _admin_index_url(self, request) -> str:
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)


class SecureAdminConfig(AdminConfig):
    default_site = "actionplan.admin_site.SecureAdminSite"
