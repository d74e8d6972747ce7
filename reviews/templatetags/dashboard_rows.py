"""The board's repeated markup, written out in one pass: the local plans' rows and the proportion bars.

A local plan's row is the same cells forty-three times over, and a page holds up to a dozen bars; writing them
here rather than piece by piece in templates keeps the recomputed dashboard quick (see tests/bench/dashboard.py).
The markup is the one a template would write. Every value goes through `_text`: the standard library's
`html.escape`, which escapes the same five characters as Django's `escape` (& < > " ') without its lazy-string
wrapping, which would cost more than the rest of a row.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The cells carry no data-label, nor the link a class: the table's class names the cells on a narrow screen and
# styles the link (static/src/main.scss, `.app-local-plans-table`), which keeps 43 rows 8 KB lighter.
LOCAL_PLAN_ROW = (
    '<tr data-row="local-{slug}"><th scope="row"><a href="{url}?plan={query}">{force} and {area}</a></th>'
    "<td>{percent}%</td><td>{red}</td><td>{amber}</td><td>{green}</td><td>{overdue}</td>"
    '<td data-sort-value="{additions_total}">{additions}</td><td>{not_applicable}</td></tr>'
)
NO_ADDITIONS = '<span class="govuk-hint">None</span>'


def _text(value) -> str:
    return escape(str(value), quote=True)


def _additions(figures) -> str:
    """A local plan's own additions in a cell: "1 of 2 completed", with tags for the red and amber ones."""
    if not figures.total:
        return NO_ADDITIONS
    text = f"{int(figures.completed)} of {int(figures.deliverable)} completed"
    for key, colour in (("red", "red"), ("amber", "yellow")):
        count = int(getattr(figures, key))
        if count:
            text += f'<br><strong class="govuk-tag govuk-tag--{colour} app-nowrap">{count} {key}</strong>'
    return text


@register.simple_tag
def local_plan_rows(rows, dashboard_url: str) -> SafeString:
    """The rows of the local plans table: each plan (linking to its own dashboard), the figures of its copies of
    national actions, its own additions ("2 of 3 completed") and how many national actions do not apply locally."""
    return mark_safe(  # every value is escaped by _text
        "\n".join(
            LOCAL_PLAN_ROW.format(
                slug=_text(row.plan.slug),
                url=_text(dashboard_url),
                query=_text(quote(row.plan.slug)),
                force=_text(row.plan.force),
                area=_text(row.plan.area),
                percent=int(row.figures.percent_complete),
                red=int(row.figures.red),
                amber=int(row.figures.amber),
                green=int(row.figures.green),
                overdue=int(row.figures.overdue),
                additions_total=int(row.additions.total),
                additions=_additions(row.additions),
                not_applicable=int(row.not_applicable),
            )
            for row in rows
        )
    )


@register.simple_tag
def bar(segments: list[dict], label: str, title: str = "", legend: bool = True) -> SafeString:
    """A proportion bar drawn with CSS width classes (no inline style), with its text equivalent as the label of
    `role="img"`; `title` shows a visible title above it, `legend` a legend in words with the counts."""
    described = ", ".join(f"{int(segment['count'])} {segment['label'].lower()}" for segment in segments)
    parts = []
    if title:
        parts.append(
            '<p class="govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1" aria-hidden="true">'
            f"{_text(title)}</p>"
        )
    widths = "".join(
        f'<span class="app-bar__segment app-bar__segment--{_text(segment["key"])} '
        f'app-bar__segment--w{int(segment["width"])}"></span>'
        for segment in segments
        if segment["width"]
    )
    parts.append(f'<div class="app-bar" role="img" aria-label="{_text(label)}: {_text(described)}">{widths}</div>')
    if legend:
        items = "".join(
            f'<li class="app-bar-legend__item"><span class="app-bar-legend__swatch app-bar__segment--'
            f'{_text(segment["key"])}"></span>{_text(segment["label"])} {int(segment["count"])}</li>'
            for segment in segments
        )
        parts.append(f'<ul class="app-bar-legend">{items}</ul>')
    return mark_safe("\n".join(parts))  # every value is escaped by _text
