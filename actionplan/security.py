"""Security events as one structured log line each (logger "actionplan.security"): who, what, from where.

Passwords, codes and secrets never appear; a failed sign-in logs the username tried, since that is what an
investigator needs. The events of signing in are logged by actionplan.signin; here are the shared writer and the
events of signing out and of the lockout.
"""

from __future__ import annotations

import json
import logging

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

logger = logging.getLogger("actionplan.security")


def _address(request) -> str:
    if request is None:
        return ""
    from .auth import client_ip

    return client_ip(request)


def log_event(event: str, request=None, **fields) -> None:
    record = {"event": event, "ip": _address(request), **fields}
    logger.info(json.dumps(record, sort_keys=True, default=str), extra={"security_event": event, "fields": record})


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    # An idle or expired session is ended by the service, not by the person: the reason says which.
    reason = getattr(request, "sign_out_reason", None)
    log_event("sign_out", request, user=getattr(user, "username", ""), **({"reason": reason} if reason else {}))


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    log_event("sign_in_locked_out", request, username=str(username or "")[:150])


def connect_lockout_signal() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="actionplan.security.locked_out")


connect_lockout_signal()
