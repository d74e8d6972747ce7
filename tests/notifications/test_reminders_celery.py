"""End to end: a real Celery worker and two beat processes on Redis send the reminders to an SMTP server, once."""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from notifications.models import Reminder
from tests.factories import ActionFactory, CpsLeadFactory, PoliceLeadFactory, ThemeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery]


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


def test_worker_and_two_beats_deliver_each_persons_digest_once(transactional_db, smtp_sink, celery_worker_process):
    inbox, port = smtp_sink
    # Ten days past the target date an overdue reminder is due whatever the weekday or holiday.
    late = timezone.localdate() - timedelta(days=10)
    theme = ThemeFactory(number=1)
    police = [PoliceLeadFactory() for _ in range(3)]
    cps = CpsLeadFactory()
    for n, lead in enumerate(police):
        for m in range(2):
            ActionFactory(theme=theme, reference=f"{n}.{m}", side="police", police_lead=lead, target_date=late)
    ActionFactory(theme=theme, reference="9.1", side="joint", police_lead=police[0], cps_lead=cps, target_date=late)
    recipients = sorted(person.email for person in [*police, cps])

    workers = celery_worker_process(
        beat=2,
        concurrency=4,
        env={
            "REDIS_URL": os.environ["REDIS_URL"],
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            # Both beats fire the sweep every second instead of at 07:00.
            "REMINDER_SWEEP_INTERVAL_SECONDS": "1",
        },
    )
    delivered = wait_for(lambda: len(inbox.messages) >= len(recipients), timeout=90)
    assert delivered, workers.logs()
    # Let both beats fire several more sweeps: none may send anything again.
    assert wait_for(lambda: workers.logs().count("notifications.tasks.reminders_sweep") >= 16, timeout=60), (
        workers.logs()
    )
    time.sleep(2)

    assert sorted(to for message in inbox.messages for to in message.rcpt_tos) == recipients
    assert Reminder.objects.count() == 8  # six police actions, and the joint action for each of its two leads
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}
    by_lead = {message.rcpt_tos[0]: message.content.decode() for message in inbox.messages}
    assert "Subject: 3 actions overdue: RASSO joint action plan" in by_lead[police[0].email]
    assert "Subject: 1 action overdue: RASSO joint action plan" in by_lead[cps.email]
