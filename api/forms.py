from __future__ import annotations

from django import forms

from .services import NAME_MAX_LENGTH


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name of the new token",
        help_text="Say what will use it, so you know which to revoke later. For example, “Force performance report”.",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"The name must be {NAME_MAX_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds", "autocomplete": "off"}),
    )
