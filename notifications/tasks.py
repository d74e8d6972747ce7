from __future__ import annotations

import uuid
from datetime import date

from celery import shared_task
from django.db import transaction

from .services import ReminderSendFailed, reminder_digest_deliver, reminders_send
from .services import reminders_resume as reminders_resume_service


# Retries back off from 30 seconds to at most 10 minutes (all within the claim timeout), never a long countdown:
# a Redis broker re-delivers messages held past its visibility timeout.
@shared_task(
    autoretry_for=(ReminderSendFailed,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=4,
)
def reminders_deliver(claim: str) -> str:
    """Send the digest of one claim; a failure marks its reminders failed and is retried with backoff.

    Safe to run twice: only the run whose conditional UPDATE takes the claim sends anything.
    """
    result = reminder_digest_deliver(claim=uuid.UUID(claim), raise_errors=True)
    return result.state if result else "not claimed"


def queue_delivery(claim: uuid.UUID) -> None:
    # Queued once the claim is committed, so the worker sees it.
    transaction.on_commit(lambda: reminders_deliver.delay(str(claim)))


@shared_task
def reminders_sweep(as_of: str | None = None) -> str:
    """Beat's daily sweep: record what is due today (Europe/London) and queue one digest per person."""
    result = reminders_send(as_of=date.fromisoformat(as_of) if as_of else None, deliver=queue_delivery)
    return f"{result.as_of.isoformat()}: {result.recorded} recorded, {len(result.digests)} digests queued"


@shared_task
def reminders_resume() -> str:
    """Queue what an earlier sweep recorded but did not deliver (a crashed worker, a lost message)."""
    result = reminders_resume_service(deliver=queue_delivery)
    return f"{len(result.digests)} digests queued"
