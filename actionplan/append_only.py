"""Append-only records: rows that are written once and never changed or deleted, by any path.

A model that inherits `AppendOnlyModel` (and, when it declares its own `Meta`, inherits `AppendOnlyModel.Meta`)
refuses every change the ORM can make to a saved row:

- `save()` of a saved instance, and `delete()` of an instance;
- `update()`, `bulk_update()` and `delete()` of its querysets, including related managers (`action.updates`)
  and the base manager Django uses for relations;
- on PostgreSQL, a trigger refuses UPDATE and DELETE of its table even from raw SQL.

Its foreign keys use `on_delete=PROTECT` (a system check says so): CASCADE would delete its rows with the row
they point at and SET_NULL would rewrite them, both through Django's deletion collector, which bypasses the
queryset. Inserting is the only write; emptying a whole table with TRUNCATE (a test database being flushed) is
not refused.
"""

from __future__ import annotations

from typing import Any, NoReturn

import pgtrigger
from django.core import checks
from django.db import models


class AppendOnlyError(Exception):
    """An attempt to change or delete an append-only record."""


def _refuse(model: type[models.Model], what: str) -> NoReturn:
    raise AppendOnlyError(
        f"{model._meta.verbose_name_plural.capitalize()} are append-only: a saved one cannot be {what}."
    )


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that reads and inserts, and refuses to update or delete (the async forms call these)."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse(self.model, "changed")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        _refuse(self.model, "changed")

    def delete(self) -> NoReturn:
        _refuse(self.model, "deleted")


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


def append_only_trigger() -> pgtrigger.Protect:
    """The PostgreSQL trigger that refuses UPDATE and DELETE of the table, whoever sends them."""
    return pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyManager()

    class Meta:
        abstract = True
        # Relations (and so cascades looking for related rows) use the base manager: make it append-only too.
        base_manager_name = "objects"
        triggers = [append_only_trigger()]

    def save(self, **kwargs: Any) -> None:
        """Insert the record; a record already saved cannot be saved again."""
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            _refuse(type(self), "changed")
        # Always an INSERT: never an UPDATE of a row that happens to have the same primary key.
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(type(self), "deleted")

    @classmethod
    def check(cls, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        for field in cls._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                if field.remote_field.on_delete not in (models.PROTECT, models.RESTRICT):
                    errors.append(
                        checks.Error(
                            f"{cls.__name__}.{field.name} must use on_delete=PROTECT: the rows of an append-only "
                            "model are never deleted or changed by a deletion elsewhere.",
                            obj=cls,
                            id="actionplan.E001",
                        )
                    )
        return errors
