"""Authentication backend: the role decides. Admins hold every model permission; nobody else holds any."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if getattr(user_obj, "is_admin", False):
            return True
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return getattr(user_obj, "is_admin", False)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()
