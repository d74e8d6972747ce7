"""Template tags that show the action rules of `actions.models`, so no template works out "overdue" itself."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst

from actionplan.templatetags.govuk import relative_to

from ..models import is_overdue_on

register = template.Library()


@register.simple_tag
def overdue_tag(status: str, target: date | None, day: date | None) -> str:
    """'Overdue by 12 days' as a red GOV.UK tag when an action with this status and target is overdue on `day`."""
    if target is None or day is None or not is_overdue_on(status=status, target=target, day=day):
        return ""
    return format_html('<strong class="govuk-tag govuk-tag--red">{}</strong>', capfirst(relative_to(target, day)))
