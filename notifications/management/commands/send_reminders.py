"""Run the reminder sweep by hand: the same service as the daily Celery task, sending from this process."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from notifications.services import reminders_send

# The service's plans run this century; a date outside it is a typing slip (and 9999-12-31 has no day after).
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def _as_of(value: str) -> date:
    # Only YYYY-MM-DD: fromisoformat alone would also take "20220331" or "2022-W13-4".
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        message = f"--as-of must be a date written YYYY-MM-DD, for example 2022-03-31, not “{value}”."
        raise CommandError(message) from None
    if not EARLIEST <= day <= LATEST:
        message = f"--as-of must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}, not {value}."
        raise CommandError(message)
    return day


class Command(BaseCommand):
    help = "Send the reminders due on a day (default today, Europe/London): one digest email per person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="Work out what is due on this day instead of today.")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; record and send nothing.")

    def handle(self, *args, as_of: str | None = None, dry_run: bool = False, **options) -> None:
        day = _as_of(as_of) if as_of else None
        try:
            result = reminders_send(as_of=day, dry_run=dry_run)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        verb = "Would send" if dry_run else "Sent"
        for digest in result.digests:
            person = f"{digest.recipient} <{digest.recipient.email}>"
            if digest.state == "failed":
                self.stderr.write(f"Failed to {person}: {digest.subject} ({digest.error})")
            else:
                self.stdout.write(f"{verb} to {person}: {digest.subject}")
        sent = sum(1 for digest in result.digests if digest.state in ("sent", "would send"))
        failed = sum(1 for digest in result.digests if digest.state == "failed")
        done = "would be sent" if dry_run else "sent"
        summary = f"{result.as_of.isoformat()}: {sent} digest{'s' if sent != 1 else ''} {done}"
        if not dry_run:
            plural = "s" if result.recorded != 1 else ""
            summary += f", {failed} failed, {result.recorded} new reminder{plural} recorded"
        self.stdout.write(summary + ".")
        if failed:
            # A non-zero exit for whoever scripted the run; the failed reminders are recorded with their error and
            # the next run (or beat's resume task) sends them once their claim has timed out.
            plural = "s" if failed != 1 else ""
            raise CommandError(
                f"{failed} digest{plural} failed; they are sent again by a later run after "
                f"{settings.REMINDER_CLAIM_TIMEOUT_MINUTES} minutes."
            )
