from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate


class ActionPlanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from . import security  # noqa: F401 - connects the security event handlers
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
