"""Form fields for GOV.UK patterns that more than one app's forms use."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year). Refuses part-filled and impossible dates, naming the date in each
    message ("The effective date must include a month"), instead of ignoring them."""

    def __init__(self, *, what: str = "date", **kwargs):
        super().__init__(**kwargs)
        self.what = what
        for subfield, name in zip(self.fields, ("day", "month", "year"), strict=True):
            subfield.error_messages["invalid"] = f"The {name} of the {what} must be a number"
        for widget in self.widget.widgets:
            widget.attrs["inputmode"] = "numeric"
        self.error_messages["required"] = f"Enter the {what}"

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            given = [str(v).strip() if v is not None else "" for v in value][:3]
            given += [""] * (3 - len(given))
            if any(given) and not all(given):
                missing = [name for name, part in zip(("day", "month", "year"), given, strict=True) if not part]
                raise ValidationError(f"The {self.what} must include a {' and '.join(missing)}")
            for part, name in zip(given, ("day", "month", "year"), strict=True):
                if part and not (part.isascii() and part.isdigit()):
                    raise ValidationError(f"The {name} of the {self.what} must be a number")
                if len(part) > 4:
                    raise ValidationError(f"The {self.what} must be a real date")
            if not any(given):
                if self.required:
                    raise ValidationError(self.error_messages["required"], code="required")
                return None
        return super().clean(value)

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = (int(part) for part in data_list)
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValidationError(f"The year of the {self.what} must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        if not 1 <= month <= 12:
            raise ValidationError(f"The month of the {self.what} must be between 1 and 12")
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise ValidationError(f"The {self.what} must be a real date") from None


class ProseField(forms.CharField):
    """Text whose line breaks count as one character each (CR LF stored as LF), as the GOV.UK character count
    counts them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def date_error_anchor(form: forms.Form, name: str) -> str:
    """Where the error summary sends a date input's error: its day box."""
    return f"{form[name].auto_id}_0"


def add_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationError on the form: each message on its field when the form has it, otherwise on
    the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, messages)
        elif name not in form.fields:
            form.add_error(None, messages)
