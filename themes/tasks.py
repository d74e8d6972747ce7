from __future__ import annotations

from datetime import date

from celery import shared_task

from .services import review_cycles_open_due


@shared_task
def review_cycles_open(today: str | None = None) -> str:
    """Beat's daily task: open each planned review cycle whose opening day has come."""
    opened = review_cycles_open_due(today=date.fromisoformat(today) if today else None)
    return f"{len(opened)} review cycle(s) opened: {', '.join(str(cycle) for cycle in opened) or 'none'}"
