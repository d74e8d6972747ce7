"""Emails the service sends: one function per kind of email, each with templates
templates/emails/<kind>-subject.txt, -body.txt and -body.html."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def _render(kind: str, context: dict) -> tuple[str, str, str]:
    subject = render_to_string(f"emails/{kind}-subject.txt", context)
    # A header cannot hold a line break.
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{kind}-body.txt", context)
    html = render_to_string(f"emails/{kind}-body.html", context)
    return subject, text, html


def send_reminder_digest(*, recipient, summary: str, sections: list, as_of: date) -> None:
    """One person's reminders of a sweep in one email: plain text and HTML, grouped by kind.

    Raises whatever the email backend raises, so the caller can record the failure and retry.
    """
    context = {
        "recipient": recipient,
        "summary": summary,
        "sections": sections,
        "as_of": as_of,
        "service_name": settings.SERVICE_NAME,
        "site_url": settings.SITE_URL,
        "notifications_url": f"{settings.SITE_URL}{reverse('notifications:list')}",
    }
    subject, text, html = _render("reminder-digest", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
