"""Writes for organisations, people and the service itself."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Heartbeat
from .security import log_event

# At most this many reset emails to one address an hour, so the form cannot be used to flood someone's inbox.
PASSWORD_RESET_EMAILS_PER_HOUR = 3


def heartbeat_record(*, name: str) -> datetime:
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now


def password_reset_email_send(*, email: str, ip_address: str = "") -> int:
    """Email a password reset link to each active person with this address and a usable password.

    Returns how many emails went. Nothing is sent (and nothing said to the person who asked) for an address that
    belongs to nobody, nor past PASSWORD_RESET_EMAILS_PER_HOUR to one address.
    """
    key = f"password-reset-sent:{email.lower()}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        sent_this_hour = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        sent_this_hour = 1
    if sent_this_hour > PASSWORD_RESET_EMAILS_PER_HOUR:
        log_event("password_reset_limited", None, email=email[:254], requested_from=ip_address)
        return 0
    sent = 0
    for user in PasswordResetForm().get_users(email):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        context = {
            "user": user,
            "service_name": settings.SERVICE_NAME,
            "reset_url": settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
            "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        subject = " ".join(render_to_string("emails/password-reset-subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject, body=render_to_string("emails/password-reset-body.txt", context), to=[user.email]
        )
        message.attach_alternative(render_to_string("emails/password-reset-body.html", context), "text/html")
        message.send(fail_silently=False)
        sent += 1
        log_event("password_reset_sent", None, user=user.username, requested_from=ip_address)
    if not sent:
        log_event("password_reset_unknown_email", None, email=email[:254], requested_from=ip_address)
    return sent
