"""The board pack's choice of moment, and the forms of the review cycle: scheduling, decisions, minutes, closing."""

from __future__ import annotations

from datetime import date as calendar_date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.dateformat import format as format_date

from actionplan.text import prose_problem
from actions.forms import RevisedDateField
from actions.services import MARKUP
from themes.models import Plan, ReviewCycle

from .models import BoardDecision
from .services import COMMENT_MAX_LENGTH, MINUTES_MAX_LENGTH

UNSAVEABLE = "The name contains a character or markup that cannot be saved: remove it or type the name again"

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


# -- Scheduling, deciding and closing review cycles ---------------------------------------------------------------


def _govuk_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Submit("save", submit))
    return helper


class ErrorLinksMixin:
    """Error summary links to the first input of each question (a date's day box, a radio's first choice)."""

    first_inputs: dict[str, str] = {}

    def error_links(self) -> list[tuple[str, str]]:
        names = list(self.fields)
        links = [(self.first_inputs.get(names[0], f"id_{names[0]}"), message) for message in self.non_field_errors()]
        for name in names:
            for message in self.errors.get(name, []):
                links.append((self.first_inputs.get(name, f"id_{name}"), message))
        return links


class ReviewCycleForm(ErrorLinksMixin, forms.Form):
    first_inputs = {
        "opens_on": "id_opens_on_0",
        "updates_due_on": "id_updates_due_on_0",
        "board_meeting_on": "id_board_meeting_on_0",
    }

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="For example, Q3 2026-27.",
        error_messages={
            "required": "Enter the name of the review cycle",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    opens_on = RevisedDateField(label="Updates open on", what="date updates open", help_text="For example, 1 10 2026.")
    updates_due_on = RevisedDateField(label="Updates due by", what="date updates are due")
    board_meeting_on = RevisedDateField(label="Board meeting on", what="board meeting date")

    def __init__(self, *args, submit: str = "Schedule review cycle", **kwargs):
        super().__init__(*args, **kwargs)
        for name, what in (("opens_on", "date updates open"), ("updates_due_on", "date updates are due")):
            self.fields[name].error_messages["required"] = f"Enter the {what}"
        self.fields["board_meeting_on"].error_messages["required"] = "Enter the board meeting date"
        self.fields["name"].validators.append(ProhibitNullCharactersValidator(message=UNSAVEABLE))
        self.helper = _govuk_helper(
            Field.text("name", field_width=20),
            Field("opens_on"),
            Field("updates_due_on"),
            Field("board_meeting_on"),
            submit=submit,
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if prose_problem(name, what="The name") or MARKUP.search(name):
            raise forms.ValidationError(UNSAVEABLE)
        return name


class ReviewYearForm(ErrorLinksMixin, forms.Form):
    first_inputs = {"first_opens_on": "id_first_opens_on_0"}

    first_opens_on = RevisedDateField(
        label="The first cycle's updates open on",
        what="first opening date",
        help_text="Four quarterly cycles follow, three months apart, each named after its financial quarter.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_opens_on"].error_messages["required"] = "Enter the date the first cycle's updates open"
        self.helper = _govuk_helper(Field("first_opens_on"), submit="Schedule a year of cycles")


class BoardDecisionForm(ErrorLinksMixin, forms.Form):
    first_inputs = {"kind": "id_kind_1"}

    kind = forms.ChoiceField(
        label="What did the board decide?",
        choices=BoardDecision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the board decided", "invalid_choice": "Select what the board decided"},
    )
    comment = forms.CharField(
        label="Comment (optional for a note or an acceptance)",
        help_text="Say what the board asks for, or why it escalates the action. It shows on the action's page.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs.pop("maxlength", None)
        self.helper = _govuk_helper(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("comment", max_characters=COMMENT_MAX_LENGTH),
            submit="Record decision",
        )

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"].replace("\x00", "\ufffd")


class BoardMinutesForm(ErrorLinksMixin, forms.Form):
    text = forms.CharField(
        label="The board's summary of the meeting",
        help_text="It shows on the review cycle's page and can be corrected until the cycle closes.",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the board's summary of the meeting"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.pop("maxlength", None)
        self.helper = _govuk_helper(
            Field.textarea("text", label_size=Size.MEDIUM, label_tag="h2", max_characters=MINUTES_MAX_LENGTH),
            submit="Save the summary",
        )

    def clean_text(self) -> str:
        return self.cleaned_data["text"].replace("\x00", "\ufffd")


class CloseCycleForm(ErrorLinksMixin, forms.Form):
    before_meeting_confirmed = forms.BooleanField(
        label="I am closing this cycle before its board meeting",
        required=False,
    )
