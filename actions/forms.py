"""The status update form: GOV.UK radios, character count, date input; the rules themselves are in services."""

from __future__ import annotations

from datetime import date, timedelta

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils import timezone

from .models import Action, ClosureReason, Rag, Status, other_side, side_words
from .permissions import lead_side
from .services import (
    NARRATIVE_MAX_LENGTH,
    NARRATIVE_MINIMUM,
    REVISION_REASON_MAX_LENGTH,
    CompletionDecision,
    action_completion_decision_validate,
    action_update_validate,
    evidence_url_normalise,
    evidence_url_problem,
    normalise_line_breaks,
)

STATUS_HINTS = {
    Status.NOT_STARTED: "Work on the action has not begun.",
    Status.IN_PROGRESS: "Work has begun and is continuing.",
    Status.COMPLETED: "The action has been delivered. The completion date is set to today.",
}
JOINT_COMPLETED_HINT = (
    "The action has been delivered. As a joint action it is completed when the {other} lead confirms it; "
    "until then it stays in progress."
)
RAG_HINTS = {
    Rag.GREEN: "On track to deliver by the target date.",
    Rag.AMBER: "At risk: delivery by the target date needs attention.",
    Rag.RED: "Will not be delivered by the target date without intervention.",
}
CLOSURE_HINTS = {
    ClosureReason.SUPERSEDED: "Another action carries this work forward.",
    ClosureReason.WITHDRAWN: "The work is no longer needed.",
}


def status_choice(status: str, closure_reason: str = "") -> str:
    """The answer to the status question for a status and closure reason: a closed action's names its reason."""
    if status == Status.CLOSED and closure_reason:
        return f"{Status.CLOSED}_{closure_reason}"
    return status


# Closing is one answer that says why ("Closed: superseded"), so no question is hidden inside another: each answer
# means a status and a closure reason for the service.
STATUS_ANSWERS: dict[str, tuple[str, str]] = {
    **{value: (value, "") for value in Status.values if value != Status.CLOSED},
    **{status_choice(Status.CLOSED, reason): (Status.CLOSED, reason) for reason in ClosureReason.values},
}
STATUS_CHOICES = [
    *(Choice(value, label, hint=STATUS_HINTS[value]) for value, label in Status.choices if value != Status.CLOSED),
    *(
        Choice(
            status_choice(Status.CLOSED, reason), f"{Status.CLOSED.label}: {label.lower()}", hint=CLOSURE_HINTS[reason]
        )
        for reason, label in ClosureReason.choices
    ),
]
TEXT_NAMES = {"narrative": "narrative", "revision_reason": "reason", "evidence_url": "evidence link"}
# The date hint's example is this far ahead of today, so it is always a date the form would accept.
EXAMPLE_DATE_DAYS_AHEAD = 90
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class ProseField(forms.CharField):
    """Text whose line breaks count as one character each, as the GOV.UK character count counts them.

    Browsers send a line break as CR LF: without this, text the counter said fits would be refused.
    """

    def to_python(self, value):
        return normalise_line_breaks(super().to_python(value))


class RevisedDateField(DateInputField):
    """A GOV.UK date input that refuses part-filled and impossible dates instead of ignoring them."""

    def __init__(self, *, what: str = "revised target date", **kwargs):
        super().__init__(**kwargs)
        # What the date is, as the error messages name it ("The revised target date must be a real date").
        self.what = what
        for subfield, name in zip(self.fields, ("day", "month", "year"), strict=True):
            subfield.error_messages["invalid"] = f"The {name} must be a number"
        # The GOV.UK date input: a numeric keyboard on phones, without the number input's spinners.
        for widget in self.widget.widgets:
            widget.attrs["inputmode"] = "numeric"

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
        return super().clean(value)

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = (int(part) for part in data_list)
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValidationError(f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        if not 1 <= month <= 12:
            raise ValidationError("The month must be between 1 and 12")
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise ValidationError(f"The {self.what} must be a real date") from None


class EffectiveDateField(RevisedDateField):
    """The day an update happened, when that was before the day it is recorded."""

    def __init__(self, **kwargs):
        super().__init__(what="date it happened", **kwargs)


class StatusField(forms.ChoiceField):
    """The status question. A bare "closed" (what a page opened before the closed answers named their reason
    sends) is asked again for the reason rather than called an unknown status."""

    def validate(self, value):
        if value == Status.CLOSED:
            raise ValidationError(self.error_messages["closed_without_reason"], code="closed_without_reason")
        super().validate(value)


class StatusUpdateForm(forms.Form):
    status = StatusField(
        label="Status",
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the status of the action",
            "invalid_choice": "Select a status",
            "closed_without_reason": "Select why the action is closed: superseded or withdrawn",
        },
    )
    rag = forms.ChoiceField(
        label="Delivery confidence",
        choices=[Choice(value, label, hint=RAG_HINTS[value]) for value, label in Rag.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the delivery confidence", "invalid_choice": "Select a delivery confidence"},
    )
    narrative = ProseField(
        label="What has happened since the last update?",
        help_text=(
            "Needed when the confidence worsens, when the action is completed or closed, when the target date is "
            f"revised, and when nothing else changes. Write a sentence: {NARRATIVE_MINIMUM}."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[
            MaxLengthValidator(
                NARRATIVE_MAX_LENGTH, message=f"The narrative must be {NARRATIVE_MAX_LENGTH:,} characters or fewer"
            )
        ],
    )
    evidence_url = forms.CharField(
        label="Link to evidence (optional)",
        help_text="A web address, for example of a document on SharePoint. If you leave out https://, it is added.",
        required=False,
        # A text input, so GOV.UK's error styling applies and a link typed without https:// is not refused by the
        # browser; inputmode gives phones the keyboard for web addresses.
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url", "inputmode": "url"}),
    )
    revised_target_date = RevisedDateField(
        label="Revised target date (optional)",
        # The example date is set when the form is made: always a future date (see __init__).
        help_text="Only if the target date changes.",
        required=False,
    )
    revision_reason = ProseField(
        label="Reason for revising the target date",
        help_text="Needed when you give a revised target date.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[
            MaxLengthValidator(
                REVISION_REASON_MAX_LENGTH,
                message=f"The reason must be {REVISION_REASON_MAX_LENGTH:,} characters or fewer",
            )
        ],
    )
    effective_on = EffectiveDateField(
        label="When did this happen? (optional)",
        help_text=(
            "Only for progress made before it was recorded here, for example bringing in the plan's history. "
            "Leave blank if it happened today. For example, 15 12 2021."
        ),
        required=False,
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2_147_483_647,
        error_messages={
            "required": "This form is out of date: reload the page and enter your update again",
            "invalid": "This form is out of date: reload the page and enter your update again",
            "min_value": "This form is out of date: reload the page and enter your update again",
            "max_value": "This form is out of date: reload the page and enter your update again",
        },
    )

    def __init__(self, *args, action: Action, by, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.by = by
        self.today = today or timezone.localdate()
        example = self.today + timedelta(days=EXAMPLE_DATE_DAYS_AHEAD)
        self.fields["revised_target_date"].help_text = (
            f"Only if the target date changes. It must be today or later. "
            f"For example, {example.day} {example.month} {example.year}"
        )
        # Where the error summary sends a message about the whole form: the page section that explains it.
        self.non_field_anchor = "id_status_1"
        # An oversized text gets a field error, never a silent truncation by the browser.
        for name in ("narrative", "revision_reason", "evidence_url"):
            self.fields[name].widget.attrs.pop("maxlength", None)
            for validator in self.fields[name].validators:
                if isinstance(validator, ProhibitNullCharactersValidator):
                    validator.message = (
                        f"The {TEXT_NAMES[name]} contains a character that cannot be saved: "
                        "remove it or type the text again"
                    )
        side = lead_side(by, action)
        if side and action.status != Status.COMPLETED:
            # Marking a joint action completed proposes it; the hint says who confirms it.
            hint = JOINT_COMPLETED_HINT.format(other=side_words(other_side(side)))
            self.fields["status"].choices = [
                Choice(c.value, c.label, hint=hint) if c.value == Status.COMPLETED else c for c in STATUS_CHOICES
            ]
        if not getattr(by, "is_admin", False):
            # Bringing in history is an admin's task: a lead records what happens now.
            del self.fields["effective_on"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            Field("version"),
            Field.radios("status", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.radios("rag", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("narrative", label_size=Size.MEDIUM, label_tag="h2", max_characters=NARRATIVE_MAX_LENGTH),
            Field.text("evidence_url", label_size=Size.SMALL),
            Fieldset(
                HTML(
                    '<p class="govuk-body">The current target date is '
                    f"{action.current_target_date.day} {action.current_target_date:%B %Y}.</p>"
                ),
                Field("revised_target_date"),
                Field.textarea("revision_reason", max_characters=REVISION_REASON_MAX_LENGTH),
                legend="Target date",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            *([Field("effective_on")] if "effective_on" in self.fields else []),
            # Only an admin may update a closed action, and only to reopen it: the button says so.
            Submit("save", "Reopen action" if action.status == Status.CLOSED else "Save update"),
        )

    def clean_evidence_url(self) -> str:
        url = evidence_url_normalise(self.cleaned_data["evidence_url"])
        if url:
            problem = evidence_url_problem(url)
            if problem:
                raise ValidationError(problem)
        return url

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the GOV.UK error summary: each links to the first input of its question."""
        links: list[tuple[str, str]] = []
        first_input = {"status": "id_status_1", "rag": "id_rag_1"}
        first_input["revised_target_date"] = "id_revised_target_date_0"
        first_input["effective_on"] = "id_effective_on_0"
        for message in self.non_field_errors():
            links.append((self.non_field_anchor, message))
        for name in self.fields:
            anchor = first_input.get(name, f"id_{name}")
            if name == "version":
                anchor = "id_status_1"
            for message in self.errors.get(name, []):
                links.append((anchor, message))
        return links

    def clean(self) -> dict:
        cleaned = super().clean()
        # The service takes a status and a closure reason: the status answer gives both.
        if cleaned.get("status") in STATUS_ANSWERS:
            cleaned["status"], cleaned["closure_reason"] = STATUS_ANSWERS[cleaned["status"]]
        self._check_rules(cleaned)
        return cleaned

    def add_rule_errors(self, error: ValidationError) -> None:
        """Put the service's errors on the questions they are about, leaving a question's own error alone.

        The closure reason is part of the status answer, so an error about it is shown on the status question.
        """
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            field = "status" if name == "closure_reason" else name
            if field not in self.fields:
                self.add_error(None, messages)
            elif field not in self.errors:
                self.add_error(field, messages)

    def _check_rules(self, cleaned: dict) -> None:
        """Run the service's rules now, so the error summary lists every mistake at once, not in two rounds.

        A field that already has an error takes part as if left blank, and keeps only its own error. The
        service runs the same rules again when it saves: this is for the person, not the guard.
        """
        if not cleaned.get("status") or not cleaned.get("rag"):
            return
        if cleaned.get("version") != self.action.version:
            # Judged against a version the person has not seen, the rules would mislead; the view tells them
            # what changed instead, and checks the rules against the action as it now stands.
            return

        def given(name: str, blank):
            return blank if name in self.errors else cleaned.get(name, blank)

        try:
            action_update_validate(
                action=self.action,
                by=self.by,
                status=cleaned["status"],
                rag=cleaned["rag"],
                narrative=(given("narrative", "") or "").strip(),
                evidence_url=(given("evidence_url", "") or "").strip(),
                revised_target_date=given("revised_target_date", None),
                revision_reason=(given("revision_reason", "") or "").strip(),
                closure_reason=cleaned.get("closure_reason", ""),
                today=self.today,
                effective_on=given("effective_on", None),
            )
        except PermissionDenied:
            return  # The view refuses the person before the form is read; the service refuses them again.
        except ValidationError as error:
            self.add_rule_errors(error)


VERSION_ERRORS = {
    key: "This form is out of date: reload the page and make your decision again"
    for key in ("required", "invalid", "min_value", "max_value")
}


class CompletionDecisionForm(forms.Form):
    """Confirm or decline a joint action's proposed completion; the rules are the service's."""

    decision = forms.ChoiceField(
        label="Do you confirm the action is completed?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you confirm or decline the completion",
            "invalid_choice": "Select whether you confirm or decline the completion",
        },
    )
    reason = ProseField(
        label="Comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[
            MaxLengthValidator(
                NARRATIVE_MAX_LENGTH, message=f"The reason must be {NARRATIVE_MAX_LENGTH:,} characters or fewer"
            )
        ],
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647, error_messages=VERSION_ERRORS
    )

    def __init__(self, *args, action: Action, by, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.by = by
        awaited = side_words(action.completion_awaited_side)
        on_behalf = lead_side(by, action) != action.completion_awaited_side
        self.fields["decision"].choices = [
            Choice(
                CompletionDecision.CONFIRM,
                "Confirm completion",
                hint=f"The action is completed, dated today, {today.day} {today:%B %Y}.",
            ),
            Choice(CompletionDecision.DECLINE, "Decline", hint="The action stays in progress. Say why below."),
        ]
        if on_behalf:
            self.fields["decision"].label = f"Your decision, on the {awaited} lead’s behalf"
            self.fields["reason"].label = f"Why are you deciding on the {awaited} lead’s behalf?"
            self.fields["reason"].help_text = "Needed. It is recorded on the action’s status history."
        else:
            self.fields["reason"].label = "Comment, or your reason for declining"
            self.fields[
                "reason"
            ].help_text = (
                "Needed if you decline; optional if you confirm. It is recorded on the action’s status history."
            )
        self.fields["reason"].widget.attrs.pop("maxlength", None)
        for validator in self.fields["reason"].validators:
            if isinstance(validator, ProhibitNullCharactersValidator):
                validator.message = (
                    "The reason contains a character that cannot be saved: remove it or type the text again"
                )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            Field("version"),
            Field.radios("decision", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("reason", label_size=Size.SMALL, max_characters=NARRATIVE_MAX_LENGTH),
            Submit("save", "Save decision"),
        )

    def error_links(self) -> list[tuple[str, str]]:
        links = [("id_decision_1", message) for message in self.non_field_errors()]
        for name, anchor in (("decision", "id_decision_1"), ("reason", "id_reason"), ("version", "id_decision_1")):
            links += [(anchor, message) for message in self.errors.get(name, [])]
        return links

    def clean(self) -> dict:
        cleaned = super().clean()
        if "decision" in self.errors or "reason" in self.errors:
            return cleaned
        try:
            action_completion_decision_validate(
                action=self.action,
                by=self.by,
                decision=cleaned.get("decision", ""),
                reason=(cleaned.get("reason") or "").strip(),
            )
        except ValidationError as error:
            self.add_rule_errors(error)
        return cleaned

    def add_rule_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, messages)
            elif name not in self.fields:
                self.add_error(None, messages)


class ActionImportForm(forms.Form):
    """The upload of a spreadsheet of actions: the file, and whether its actions are new to the plan."""

    file = forms.FileField(
        label="Spreadsheet of actions",
        help_text="A CSV or XLSX file with one action a row, under the template's column headings.",
        error_messages={"required": "Choose a CSV or XLSX file to upload", "empty": "The file is empty"},
    )
    joined = forms.ChoiceField(
        label="When did these actions join the plan?",
        choices=[
            ("today", "They are new to the plan: they join it today"),
            ("plan_start", "They were in the plan from its start: bring in their progress as it was reported"),
        ],
        initial="today",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say when the actions joined the plan",
            "invalid_choice": "Choose one of the answers",
        },
    )
    error_anchors = {"file": "id_file", "joined": "id_joined_0"}
