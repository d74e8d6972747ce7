"""The status update form: GOV.UK radios, character count, date input; the rules themselves are in services."""

from __future__ import annotations

from datetime import date

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.safestring import SafeString

from .models import Action, ClosureReason, Rag, Status
from .services import (
    NARRATIVE_MAX_LENGTH,
    REVISION_REASON_MAX_LENGTH,
    action_update_validate,
    evidence_url_problem,
    normalise_line_breaks,
)

STATUS_HINTS = {
    Status.NOT_STARTED: "Work on the action has not begun.",
    Status.IN_PROGRESS: "Work has begun and is continuing.",
    Status.COMPLETED: "The action has been delivered. The completion date is set to today.",
    Status.CLOSED: "The action will not be delivered: it has been superseded or withdrawn.",
}
RAG_HINTS = {
    Rag.GREEN: "On track to deliver by the target date.",
    Rag.AMBER: "At risk: delivery by the target date needs attention.",
    Rag.RED: "Will not be delivered by the target date without intervention.",
}
CLOSURE_HINTS = {
    ClosureReason.SUPERSEDED: "Another action carries this work forward.",
    ClosureReason.WITHDRAWN: "The work is no longer needed.",
}
TEXT_NAMES = {"narrative": "narrative", "revision_reason": "reason", "evidence_url": "evidence link"}
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

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
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
                raise ValidationError(f"The revised target date must include a {' and '.join(missing)}")
            for part, name in zip(given, ("day", "month", "year"), strict=True):
                if part and not (part.isascii() and part.isdigit()):
                    raise ValidationError(f"The {name} of the revised target date must be a number")
                if len(part) > 4:
                    raise ValidationError("The revised target date must be a real date")
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
            raise ValidationError("The revised target date must be a real date") from None


class RadiosWithReveal(Field):
    """GOV.UK radios in which one option conditionally reveals a nested question beneath it.

    The markup follows GOV.UK Frontend 5's radios: the option's input carries `data-aria-controls` naming the
    `govuk-radios__conditional` area, which the radios script turns into `aria-controls` and shows only while
    the option is chosen. Without JavaScript the nested question is always shown, and the form works as well.
    """

    template = "actions/_radios_with_reveal.html"

    def __init__(self, field: str, *, value: str, revealed: list, legend_size=None, legend_tag=None):
        context = {"reveal_value": str(value)}
        if legend_size:
            context["legend_size"] = Size.for_legend(legend_size)
        if legend_tag:
            context["legend_tag"] = legend_tag
        super().__init__(field, context=context)
        self.revealed = list(revealed)

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        revealed = SafeString(
            "".join(render_field(item, form, context, template_pack=template_pack, **kwargs) for item in self.revealed)
        )
        return self.get_rendered_fields(
            form,
            context,
            template_pack,
            template=self.get_template_name(template_pack),
            attrs=self.attrs,
            extra_context={**self.context, "revealed": revealed},
            **kwargs,
        )


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[Choice(value, label, hint=STATUS_HINTS[value]) for value, label in Status.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of the action", "invalid_choice": "Select a status"},
    )
    closure_reason = forms.ChoiceField(
        label="Why is the action being closed?",
        required=False,
        choices=[Choice(value, label, hint=CLOSURE_HINTS[value]) for value, label in ClosureReason.choices],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select why the action is closed"},
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
            "Needed when the confidence worsens, when the action is completed or closed, "
            "and when the target date is revised."
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
        help_text="A web address starting with https://, for example a document on SharePoint.",
        required=False,
        widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false", "autocomplete": "url"}),
    )
    revised_target_date = RevisedDateField(
        label="Revised target date (optional)",
        help_text="Only if the target date changes. For example, 31 3 2026.",
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

    def __init__(self, *args, action: Action, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.by = by
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            Field("version"),
            # The closure reason is asked only of those closing the action: inside the Closed option.
            RadiosWithReveal(
                "status",
                value=Status.CLOSED,
                revealed=[Field.radios("closure_reason", legend_size=Size.SMALL, small=True)],
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
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
            # Only an admin may update a closed action, and only to reopen it: the button says so.
            Submit("save", "Reopen action" if action.status == Status.CLOSED else "Save update"),
        )

    def clean_evidence_url(self) -> str:
        url = self.cleaned_data["evidence_url"].strip()
        if url:
            problem = evidence_url_problem(url)
            if problem:
                raise ValidationError(problem)
        return url

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the GOV.UK error summary: each links to the first input of its question."""
        links: list[tuple[str, str]] = []
        first_input = {"status": "id_status_1", "closure_reason": "id_closure_reason_1", "rag": "id_rag_1"}
        first_input["revised_target_date"] = "id_revised_target_date_0"
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
        # The reason is asked only inside the Closed option, but stays on the page without JavaScript: a reason
        # picked (or a value forged) for another status is no answer to anything, so it is not an error either.
        if cleaned.get("status") != Status.CLOSED:
            cleaned["closure_reason"] = ""
            self.errors.pop("closure_reason", None)
        self._check_rules(cleaned)
        return cleaned

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
                closure_reason=(given("closure_reason", "") or "").strip(),
            )
        except PermissionDenied:
            return  # The view refuses the person before the form is read; the service refuses them again.
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
