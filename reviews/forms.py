"""The board pack's choice of moment: a review cycle of the plan, or a date."""

from __future__ import annotations

from django import forms

from themes.models import Plan

from .models import ReviewCycle


class BoardPackForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label="Review cycle",
        queryset=ReviewCycle.objects.none(),
        required=False,
        empty_label="None: use the date",
        error_messages={"invalid_choice": "Select a review cycle of this plan"},
    )
    date = forms.DateField(
        label="Date",
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="For example 2023-03-31. Leave empty for today.",
        error_messages={"invalid": "Enter the date as year-month-day, for example 2023-03-31"},
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = plan.review_cycles.order_by("-board_meeting_on")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("cycle") and data.get("date"):
            raise forms.ValidationError("Choose a review cycle or a date, not both")
        return data
