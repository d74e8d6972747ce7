"""Authentication backend: the role decides. Admins hold every model permission; nobody else holds any."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in person with their organisation, which every page's header names: one query, not two."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organisation").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if getattr(user_obj, "is_admin", False):
            return True
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return getattr(user_obj, "is_admin", False)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()


def client_ip(request) -> str:
    """The address sign-in lockout counts against.

    Behind TRUSTED_PROXY_COUNT reverse proxies, the address the nearest trusted proxy saw (from
    X-Forwarded-For); with none, the connection's own address. Never a value a client could simply choose.
    """
    from django.conf import settings

    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
