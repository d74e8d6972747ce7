"""The Celery app. Tasks are discovered in each installed app's tasks.py; the schedule lives in settings."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actionplan.settings.local")

app = Celery("actionplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
