from __future__ import annotations

from django import forms


class ReminderPreferencesForm(forms.Form):
    # The error summary links to the first checkbox, whose id the template sets.
    error_anchors = {"optional": "optional"}

    optional = forms.MultipleChoiceField(
        label="Which optional reminders do you want by email?",
        choices=[
            ("due_soon", "Actions due soon"),
            ("board_meeting", "Board meetings coming"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select only the reminders listed"},
    )
