from __future__ import annotations

from celery import shared_task

from .services import heartbeat_record, password_reset_email_send


@shared_task
def heartbeat() -> str:
    """Record that a worker is alive and beat is firing; /healthz reports its age."""
    return heartbeat_record(name="worker").isoformat()


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=4)
def password_reset_send(*, email: str, ip_address: str = "") -> int:
    """Send the reset link asked for on the "Reset your password" page (from a worker, so the page answers in
    the same time whether or not the address is known). Retried when the mail server cannot be reached."""
    return password_reset_email_send(email=email, ip_address=ip_address)
