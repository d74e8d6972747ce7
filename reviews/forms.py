"""The board pack's choice of moment: a review cycle of the plan, or a date on or before today."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as format_date

from themes.models import Plan

from .models import ReviewCycle

# Day month year as people write them ("31 March 2023", "31 Mar 2023", "31/3/2023"), and the ISO form links use.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d-%m-%Y"]


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReviewCycle) -> str:
        label = f"{obj.name}, board meeting {format_date(obj.board_meeting_on, 'j F Y')}"
        return label if obj.state == ReviewCycle.State.CLOSED else f"{label} ({obj.get_state_display().lower()})"


class BoardPackForm(forms.Form):
    cycle = CycleChoiceField(
        label="Review cycle",
        queryset=ReviewCycle.objects.none(),
        required=False,
        empty_label="None: use the date",
        error_messages={"invalid_choice": "Select a review cycle of this plan"},
    )
    date = forms.DateField(
        label="Date",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example 31 March 2023. Leave empty for today.",
        error_messages={"invalid": "Enter a real date, for example 31 March 2023"},
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = plan.review_cycles.order_by("-board_meeting_on")

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day

    def clean(self) -> dict:
        data = super().clean()
        if data.get("cycle") and data.get("date"):
            raise forms.ValidationError("Choose a review cycle or a date, not both")
        return data
