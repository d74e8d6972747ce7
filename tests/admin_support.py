"""Filling in an admin form as a person would: start from the page's own values, change what the test says."""

from __future__ import annotations

from datetime import date


def _as_post(value):
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return str(value)


def admin_form_data(response, **changes) -> dict:
    """The POST data an admin change or add page would send as shown, including its inlines, with `changes`
    (field name or prefixed inline field name: value; None leaves a field out)."""
    context = response.context
    data: dict = {}
    form = context["adminform"].form
    for name in form.fields:
        data[name] = _as_post(form[name].value())
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = _as_post(management[name].value())
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _as_post(inline_form[name].value())
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def page_errors(response) -> list[str]:
    """Every error message the admin page shows: the form's, and each inline form's."""
    context = response.context
    form = context["adminform"].form
    messages = [message for errors in form.errors.values() for message in errors]
    for inline in context.get("inline_admin_formsets", []):
        messages += list(inline.formset.non_form_errors())
        for inline_form in inline.formset.forms:
            messages += [message for errors in inline_form.errors.values() for message in errors]
    return messages
