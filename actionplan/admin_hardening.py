"""The Django admin, made to answer malformed addresses and forms with a 404, a redirect or a form error.

Probing every admin page with hostile parameters found server errors inside Django's admin and
django-simple-history, each the admin trusting a value from the address: an empty `_to_field`, a year too large
for a date in the date hierarchy, a non-numeric id in a history page, a value that is not an id in an
autocomplete field (shown again when the form comes back with errors, or taken as a starting value from the
address), a value that is not an id in a list action's selection. `harden_admin_site` gives every registered
ModelAdmin, ours and those of installed packages, the mixin below; the composition root calls it once the admin
has been discovered.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404


def _usable(field: models.Field, value) -> bool:
    """Whether the database column of `field` can be compared with `value` (a string from a request)."""
    try:
        python = field.to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    # A whole number the database cannot hold (SQLite and PostgreSQL keys are at most 64 bits) is no id either.
    return not isinstance(python, int) or -(2**63) <= python < 2**63


class _OnlyUsableValues:
    """An autocomplete widget that looks up only values its target field can take (Django looks up anything,
    and a non-numeric value for a numeric key is a ValueError)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(
            getattr(self.field.remote_field, "field_name", None) or self.field.remote_field.model._meta.pk.name
        )
        value = [item for item in value if item in (None, "") or _usable(target, str(item))]
        return super().optgroups(name, value, attr)


class SafeAutocompleteSelect(_OnlyUsableValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_OnlyUsableValues, AutocompleteSelectMultiple):
    pass


class HardenedAdminMixin:
    def get_object(self, request, object_id, from_field=None):
        # Django looks up a field named "" when `_to_field` is given empty.
        return super().get_object(request, object_id, from_field or None)

    def response_action(self, request, queryset):
        # An action posted with ids that are not ids (a forged `_selected_action`) gets a message: Django's admin
        # would hand them straight to the database lookup.
        pk = self.model._meta.pk
        if not all(_usable(pk, value) for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            self.message_user(request, "The selection was not valid: select the items again.", messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def get_changelist_instance(self, request):
        # A date hierarchy year past 9999 overflows instead of being an invalid lookup.
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_changeform_initial_data(self, request) -> dict:
        """Starting values from the address, keeping only those the model's fields can take."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation:
                target = field.target_field
                values = value if isinstance(value, list) else [value]
                if not all(_usable(target, item) for item in values):
                    del initial[name]
            elif isinstance(field, (models.DateTimeField, models.DateField, models.TimeField)):
                # The date widgets expect dates, not the text of the address.
                try:
                    initial[name] = field.to_python(value)
                except (ValidationError, ValueError, OverflowError):
                    del initial[name]
            elif not _usable(field, value):
                del initial[name]
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is AutocompleteSelect:
            formfield.widget.__class__ = SafeAutocompleteSelect
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is AutocompleteSelectMultiple:
            formfield.widget.__class__ = SafeAutocompleteSelectMultiple
        return formfield

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history looks the id up as given: "abc" for a numeric key is a ValueError.
        if not _usable(self.opts.pk, unquote(object_id)):
            raise Http404("No such record.")
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not _usable(self.opts.pk, unquote(object_id)) or not str(version_id).isdigit() or len(version_id) > 18:
            raise Http404("No such record.")
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


def harden_admin_site(site: admin.AdminSite) -> None:
    """Register every ModelAdmin of `site` again with HardenedAdminMixin in front (once)."""
    for model, model_admin in list(site._registry.items()):
        cls = type(model_admin)
        if issubclass(cls, HardenedAdminMixin):
            continue
        hardened = type(cls.__name__, (HardenedAdminMixin, cls), {"__module__": cls.__module__})
        site.unregister(model)
        site.register(model, hardened)
