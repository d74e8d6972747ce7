"""The board pack's choice of moment: a review cycle of the plan, or a date on or before today."""

from __future__ import annotations

from datetime import date as calendar_date

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as format_date

from themes.models import Plan, ReviewCycle

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
        help_text="For example, 31 3 2023. Leave empty for today.",
        error_messages={"invalid": "The date must be a real date"},
    )

    # The GOV.UK date input: day, month and year typed separately (`date` stays for links and for typing a date
    # in one go).
    day = forms.CharField(label="Day", required=False, strip=True)
    month = forms.CharField(label="Month", required=False, strip=True)
    year = forms.CharField(label="Year", required=False, strip=True)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = plan.review_cycles.order_by("-board_meeting_on")

    def clean(self) -> dict:
        data = super().clean()
        parts = [data.get("day") or "", data.get("month") or "", data.get("year") or ""]
        if any(parts) and "date" not in self.errors:
            data["date"] = self._date_from_parts(*parts)
        chosen = data.get("date")
        if chosen is not None and chosen > timezone.localdate():
            self.add_error("date", "The date must be today or in the past")
            data.pop("date", None)
        if data.get("cycle") and data.get("date"):
            raise forms.ValidationError("Choose a review cycle or a date, not both")
        return data

    def _date_from_parts(self, day: str, month: str, year: str) -> calendar_date | None:
        if not (day and month and year):
            self.add_error("date", "Enter the day, month and year")
            return None
        digits = day.isdigit() and month.isdigit() and year.isdigit()
        if not (digits and len(day) <= 2 and len(month) <= 2 and len(year) == 4):
            self.add_error("date", "The date must be a real date")
            return None
        try:
            return calendar_date(int(year), int(month), int(day))
        except ValueError:
            self.add_error("date", "The date must be a real date")
            return None

    def date_parts(self) -> dict[str, str]:
        """What to show in the day, month and year boxes: what was typed, or the parts of a date given whole."""
        if not self.is_bound:
            return {"day": "", "month": "", "year": ""}
        typed = {name: self.data.get(name, "") for name in ("day", "month", "year")}
        if any(typed.values()):
            return typed
        chosen = self.cleaned_data.get("date") if hasattr(self, "cleaned_data") else None
        if chosen:
            return {"day": str(chosen.day), "month": str(chosen.month), "year": str(chosen.year)}
        return typed
