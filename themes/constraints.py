"""Constraints the database holds where it can: an exclusion constraint exists only on PostgreSQL."""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class DateRange(Func):
    """PostgreSQL's daterange(lower, upper, bounds)."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint on PostgreSQL; on other databases (SQLite in development) the table has none.

    `validate()` asks PostgreSQL only: on other databases the model's `clean()` checks the same rule in Python.
    Dates out of order are their own error (a check constraint's), not an overlap, so they are not asked about."""

    @staticmethod
    def _on_postgres(connection) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._on_postgres(schema_editor.connection) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._on_postgres(schema_editor.connection) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor.connection) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        lower, upper = getattr(instance, "opens_on", None), getattr(instance, "updates_due_on", None)
        if lower is not None and upper is not None and lower > upper:
            return
        if self._on_postgres(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)
