"""Writes for organisations, people and the service itself."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, name: str) -> datetime:
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now
