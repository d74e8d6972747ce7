"""Template tags that show the action rules of `actions.models`, so no template works out "overdue" itself."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from actionplan.templatetags.govuk import relative_to

from ..models import is_overdue_on, side_words

register = template.Library()


@register.simple_tag
def overdue_tag(status: str, target: date | None, day: date | None) -> str:
    """'Overdue by 12 days' as a red GOV.UK tag when an action with this status and target is overdue on `day`."""
    if target is None or day is None or not is_overdue_on(status=status, target=target, day=day):
        return ""
    return format_html('<strong class="govuk-tag govuk-tag--red">{}</strong>', capfirst(relative_to(target, day)))


@register.simple_tag
def completion_proposal(action) -> str:
    """'Completion proposed by Paula Police (police) on 3 March 2026: awaiting the CPS lead' ("" when none is)."""
    if action is None or getattr(action, "completion_proposed_at", None) is None:
        return ""
    when = timezone.localtime(action.completion_proposed_at).date()
    return (
        f"Completion proposed by {action.completion_proposed_by} ({side_words(action.completion_proposed_side)}) "
        f"on {when.day} {when:%B %Y}: awaiting the {side_words(action.completion_awaited_side)} lead"
    )


@register.simple_tag
def completion_tag(action) -> str:
    """A 'Completion proposed' tag beside the status of an action awaiting the other side's confirmation."""
    if action is None or getattr(action, "completion_proposed_at", None) is None:
        return ""
    return format_html('<strong class="govuk-tag govuk-tag--turquoise">{}</strong>', "Completion proposed")
