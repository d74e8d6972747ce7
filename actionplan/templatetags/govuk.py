"""Template helpers for GOV.UK patterns: one place renders status and RAG tags so they never disagree."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

STATUS_TAG_CLASSES = {
    "not_started": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "completed": "govuk-tag--green",
    "closed": "govuk-tag--purple",
}
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
    "closed": "Closed",
}
RAG_TAG_CLASSES = {"green": "govuk-tag--green", "amber": "govuk-tag--yellow", "red": "govuk-tag--red"}
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}


@register.simple_tag
def status_tag(status: str) -> str:
    """A status as a GOV.UK tag: always the word, colour only as a second signal."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_TAG_CLASSES.get(status, "govuk-tag--grey"),
        STATUS_LABELS.get(status, status or "Unknown"),
    )


@register.simple_tag
def rag_tag(rag: str) -> str:
    """Delivery confidence as a GOV.UK tag with its word."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        RAG_TAG_CLASSES.get(rag, "govuk-tag--grey"),
        # A completed or closed action may have none: it says so rather than showing a colour.
        RAG_LABELS.get(rag, rag or "Not given"),
    )


@register.filter
def relative_to(value: date | None, today: date) -> str:
    """'overdue by 12 days', 'due today', 'due in 3 days': wording to put next to a date."""
    if value is None or today is None:
        return ""
    days = (value - today).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


@register.filter
def safe_http_url(value: str) -> str:
    """The URL if it is http(s), otherwise an empty string: never a javascript: link."""
    if not value:
        return ""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return ""
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


@register.filter
def duration_words(value) -> str:
    """A timedelta in words: '15 minutes', '1 hour', '2 hours 30 minutes'."""
    try:
        minutes = int(value.total_seconds() // 60)
    except AttributeError:
        return ""
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@register.simple_tag
def form_error_links(form) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the error summary, each linking to its field.

    A form may say where its errors point: an `error_links` method for the whole list, or an `error_anchors`
    mapping of field name (or "__all__") to anchor; otherwise a field's own id, and the first field for errors
    of the form as a whole.
    """
    if form is None or not form.errors:
        return []
    custom = getattr(form, "error_links", None)
    if custom is not None:
        return list(custom() if callable(custom) else custom)
    anchors = getattr(form, "error_anchors", {})
    names = list(form.fields)
    whole_form = anchors.get("__all__", f"id_{names[0]}" if names else "main-content")
    links = [(whole_form, message) for message in form.non_field_errors()]
    for name in names:
        for message in form.errors.get(name, []):
            links.append((anchors.get(name, form[name].auto_id or f"id_{name}"), message))
    return links


# Whitespace between two tags that holds a line break: the indentation of templates, which HTML reads as one space.
_INDENTATION_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")


class CompactNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return mark_safe(_INDENTATION_BETWEEN_TAGS.sub(">\n<", self.nodelist.render(context)))


@register.tag
def compact(parser, token) -> CompactNode:
    """`{% compact %}...{% endcompact %}`: the indentation and blank lines between tags become one line break.

    Unlike `spaceless` it keeps a break wherever there was one, so the page reads the same (HTML treats the
    break as the space it stood for); text inside elements is untouched. Do not wrap `pre` or `textarea`.
    """
    nodelist = parser.parse(("endcompact",))
    parser.delete_first_token()
    return CompactNode(nodelist)


@register.simple_tag
def select_options(options, current) -> str:
    """The options of a GOV.UK select, the one whose value is `current` marked selected, written in one pass (a
    select may hold every plan). Values and labels are escaped with the standard library's `html.escape`, which
    escapes the same characters as Django's `escape`."""
    current = "" if current is None else str(current)
    return mark_safe(  # every value and label is escaped
        "\n".join(
            f'<option value="{html.escape(str(value))}"{" selected" if str(value) == current else ""}>'
            f"{html.escape(str(label))}</option>"
            for value, label in options
        )
    )


@register.filter
def date_parts(field) -> tuple[str, str, str]:
    """(day, month, year) to show in a GOV.UK date input: what was typed, or the parts of the initial date."""
    value = field.value()
    if isinstance(value, (list, tuple)):
        parts = [str(v) if v is not None else "" for v in value][:3]
        return tuple(parts + [""] * (3 - len(parts)))
    if isinstance(value, date):
        return (str(value.day), str(value.month), str(value.year))
    return ("", "", "")


@register.filter
def field_hint_ids(field) -> str:
    """The aria-describedby of a field: its hint and its error, when it has them."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def iso_date(value):
    """A date written as 2022-03-31 (as stored in a JSON record), as a date to format; other values as they are."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or an empty string."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
