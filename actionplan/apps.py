from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class ActionPlanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from . import security  # noqa: F401 - connects the security event handlers

        # kombu's filesystem transport (used when REDIS_URL is unset) needs its folders to exist.
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            for key in ("data_folder_in", "data_folder_out", "processed_folder"):
                folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
                if folder:
                    Path(folder).mkdir(parents=True, exist_ok=True)

        from . import signin  # noqa: F401 - connects the sign-in handlers (sessions, second factor, limits)
