"""The Django admin's default site, made to use the service's sign-in and to need a second factor on every page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import AdminSite, ModelAdmin, helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


class CheckedSelectionMixin:
    """An action posted with ids that are not ids (a forged `_selected_action`) gets a message, not a server error:
    Django's admin would hand them straight to the database lookup."""

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                pk.to_python(value)
        except ValidationError:
            self.message_user(request, "The selection was not valid: select the items again.", messages.WARNING)
            return None
        return super().response_action(request, queryset)


class SecureAdminSite(AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model admin of every app gets the checked selection, without each app having to remember it.
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, CheckedSelectionMixin):
            admin_class = type(
                admin_class.__name__, (CheckedSelectionMixin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request) -> bool:
        # Admins only (is_staff follows the role), and only once their session is verified by a second factor.
        # SecondFactorMiddleware has already sent an unverified admin to the code page; this holds regardless.
        from .two_factor import is_verified

        return super().has_permission(request) and is_verified(request.user)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """One sign-in for the whole service: the same page, form, lockout, limits and second factor."""
        from .signin_views import SignInView, second_factor_page
        from .two_factor import second_factor_pending

        if request.user.is_authenticated:
            if second_factor_pending(request):
                return HttpResponseRedirect(second_factor_page(request, self._admin_index_url(request)))
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
