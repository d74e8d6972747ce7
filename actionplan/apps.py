from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ActionPlanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from . import security, signin  # noqa: F401 - connect the security event and sign-in handlers
        from .data_version import recount_rebuilt_tables

        post_migrate.connect(recount_rebuilt_tables, sender=self, dispatch_uid="actionplan.recount_rebuilt_tables")
        from .logs import install_request_id_on_records

        install_request_id_on_records()

        # kombu's filesystem transport (used when REDIS_URL is unset) needs its folders to exist.
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            for key in ("data_folder_in", "data_folder_out", "processed_folder"):
                folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
                if folder:
                    Path(folder).mkdir(parents=True, exist_ok=True)


class PlanAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the service's admin site (see `actionplan.sites.PlanAdminSite`)."""

    default = False  # named in INSTALLED_APPS; the app config of `actionplan` is ActionPlanConfig
    default_site = "actionplan.sites.PlanAdminSite"
