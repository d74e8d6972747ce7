"""Logs as JSON lines on stdout: one object per line, each carrying the id of the request it belongs to.

A record logged with `extra={"fields": {...}}` (the request lines, the security events) has those fields at the
top level; any other record has its message under "message", and a traceback under "exception". The request id
comes from a context variable that `actionplan.middleware.RequestLogMiddleware` sets, so a server error's
traceback, logged by Django, carries the same id as the request's own line and the reference on the 500 page.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


def install_request_id_on_records() -> None:
    """Every log record created while a request is served carries its id (`record.request_id`), whichever
    handler formats it. Installed once, when the app is ready."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "stamps_request_id", False):
        return

    def stamped(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.request_id = current_request_id.get()
        return record

    stamped.stamps_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(stamped)


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being served (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        request_id = getattr(record, "request_id", "") or current_request_id.get()
        if request_id:
            line["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        # ASCII only: a direction-changing or control character typed into a form is written as \u202e, so it
        # cannot rearrange a log line as a person reads it.
        return json.dumps(line, default=str)
