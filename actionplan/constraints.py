"""The database's rules, asked before writing: a model's check constraints carry their own messages."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def check_constraint_errors(instance: models.Model, *, fields: dict[str, str] | None = None) -> dict[str, list[str]]:
    """The messages of the model's check constraints that `instance`, as it stands in memory, breaks, keyed by
    the field each concerns (`fields` maps a constraint's name to a field; others are errors of the whole).

    For services that write with a conditional UPDATE rather than `save()`: they build the row they are about to
    write and ask the same constraints the database will enforce, so no rule is written twice.
    """
    fields = fields or {}
    errors: dict[str, list[str]] = {}
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        try:
            constraint.validate(type(instance), instance)
        except ValidationError as error:
            errors.setdefault(fields.get(constraint.name, NON_FIELD_ERRORS), []).extend(error.messages)
    return errors
