"""Rows of the dashboard's longest tables, written out in one pass.

A local plan's row is the same eight cells forty-three times over; rendering it here rather than cell by cell in the
template keeps the recomputed dashboard quick (see tests/bench/dashboard.py). The markup is the one the template
would write: GOV.UK table cells (styled through `app-lean-table`), each named by its column for the narrow-screen
cards, every value escaped by `format_html_join`.
"""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def local_plan_rows(rows, dashboard_url: str) -> SafeString:
    """The rows of the local plans table: each plan (linking to its own dashboard) and its figures."""
    return format_html_join(
        "\n",
        '<tr data-row="local-{}"><th scope="row"><a class="govuk-link" href="{}?plan={}">{} and {}</a></th>'
        '<td data-label="Complete">{}%</td><td data-label="Red">{}</td><td data-label="Amber">{}</td>'
        '<td data-label="Green">{}</td><td data-label="Overdue">{}</td></tr>',
        (
            (
                row.plan.slug,
                dashboard_url,
                quote(row.plan.slug),
                row.plan.force,
                row.plan.area,
                row.figures.percent_complete,
                row.figures.red,
                row.figures.amber,
                row.figures.green,
                row.figures.overdue,
            )
            for row in rows
        ),
    )
