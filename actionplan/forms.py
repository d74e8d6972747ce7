from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .dates import PeriodDate, PeriodDateError, format_period, parse_period


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK wording for its errors."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask an admin of the plan to reactivate it.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class PeriodDateField(forms.Field):
    """A date as published plans give it: a day, a month or a quarter ("24 March 2021", "Dec 2021", "Q1 2022").

    Cleans to a `PeriodDate` (the day, or the period's last day, with its precision), or None when left blank.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "help_text", 'A day, a month or a quarter, for example "24 March 2021", "Dec 2021" or "Q1 2022".'
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, PeriodDate):
            return str(value)
        if isinstance(value, date):
            return format_period(value)
        return value

    def to_python(self, value) -> PeriodDate | None:
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, PeriodDate):
            return value
        try:
            return parse_period(value)
        except PeriodDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
