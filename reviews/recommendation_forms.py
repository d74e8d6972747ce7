"""Forms of the recommendation pages: they read what was typed; the rules are in `reviews.recommendations`."""

from __future__ import annotations

from django import forms

from actionplan.govuk_fields import GovukDateField, ProseField
from actions.models import Action, Status
from themes.models import Plan

from .models import FindingSource, Recommendation
from .recommendations import EVIDENCE_MAX_LENGTH, TEXT_MAX_LENGTH

ADDRESSEE_CHOICES = Recommendation.Addressee.choices
STATE_CHOICES = Recommendation.State.choices


class SourceForm(forms.Form):
    title = forms.CharField(
        label="Title",
        required=False,
        help_text="For example, Joint thematic inspection of the police and CPS response to rape, phase 1.",
    )
    short_title = forms.CharField(label="Short title (optional)", required=False, help_text="For example, Phase 1.")
    publisher = forms.CharField(
        label="Published by (optional)", required=False, help_text="For example, HMICFRS and HMCPSI."
    )
    kind = forms.ChoiceField(
        label="Kind of source",
        choices=FindingSource.Kind.choices,
        initial=FindingSource.Kind.INSPECTION,
        error_messages={"required": "Choose the kind of source", "invalid_choice": "Choose the kind of source"},
    )
    published_on = GovukDateField(
        what="publication date", label="Published on (optional)", required=False, help_text="For example, 27 7 2021."
    )
    url = forms.CharField(label="Web address (optional)", required=False, help_text="Starting with https://")
    error_anchors = {"published_on": "id_published_on_0"}


class RecommendationForm(forms.Form):
    number = forms.CharField(label="Number", required=False, help_text="As the source numbers it: 3, or 3a.")
    text = ProseField(label="Recommendation", required=False, help_text=f"Up to {TEXT_MAX_LENGTH:,} characters.")
    addressee = forms.ChoiceField(
        label="Addressed to",
        choices=ADDRESSEE_CHOICES,
        error_messages={
            "required": "Choose who the recommendation is addressed to",
            "invalid_choice": "Choose who the recommendation is addressed to",
        },
    )
    due_on = GovukDateField(
        what="due date", label="Due by (optional)", required=False, help_text="If the source gives one."
    )
    error_anchors = {"due_on": "id_due_on_0"}


class PasteForm(forms.Form):
    text = ProseField(
        label="Recommendations",
        required=False,
        help_text=(
            "One per line, each starting with its number: “1. Chief constables should…”, “2) The CPS should…”, "
            "“Recommendation 3: …”."
        ),
    )
    default_addressee = forms.ChoiceField(
        label="Addressed to, when a recommendation's words do not say",
        help_text="A recommendation naming the police, the CPS, or both, is addressed to them.",
        choices=ADDRESSEE_CHOICES,
        initial=Recommendation.Addressee.BOTH,
        error_messages={
            "required": "Choose who the recommendations are addressed to when their words do not say",
            "invalid_choice": "Choose who the recommendations are addressed to when their words do not say",
        },
    )


class ActionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.reference} {obj.title}"


class LinkActionForm(forms.Form):
    """The recommendation page's choice of an action of the national plans in force."""

    action = ActionChoice(
        label="Action that answers it",
        queryset=Action.objects.none(),
        empty_label="Choose an action",
        error_messages={"required": "Choose the action to link", "invalid_choice": "Choose an action from the list"},
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = (
            Action.objects.filter(plan__kind=Plan.Kind.NATIONAL, plan__status=Plan.Status.PUBLISHED)
            .exclude(status=Status.CLOSED)
            .exclude(recommendation_links__recommendation=recommendation)
            .order_by("plan__title", "reference_sort")
        )


class RecommendationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        text = obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"
        return f"{obj.source}, {obj.number}: {text}"


class LinkRecommendationForm(forms.Form):
    recommendation = RecommendationChoice(
        label="Recommendation this action answers",
        queryset=Recommendation.objects.none(),
        empty_label="Choose a recommendation",
        error_messages={
            "required": "Choose the recommendation to link",
            "invalid_choice": "Choose a recommendation from the list",
        },
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = queryset


class CloseForm(forms.Form):
    evidence = ProseField(
        label="Evidence that it is met",
        required=False,
        help_text=f"What shows the recommendation is met. Up to {EVIDENCE_MAX_LENGTH:,} characters.",
    )
    evidence_url = forms.CharField(label="Link to the evidence (optional)", required=False)


class FilterForm(forms.Form):
    source = forms.ModelChoiceField(
        label="Source",
        queryset=FindingSource.objects.order_by("published_on", "title"),
        required=False,
        empty_label="All sources",
        error_messages={"invalid_choice": "Choose a source from the list"},
    )
    state = forms.ChoiceField(
        label="State",
        choices=[("", "Any state"), *STATE_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Choose a state from the list"},
    )
    addressee = forms.ChoiceField(
        label="Addressed to",
        choices=[("", "Anyone"), *ADDRESSEE_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Choose who it is addressed to from the list"},
    )

    def value(self, name: str):
        """A valid filter's value, or None: an invalid one is named in the error summary and left out."""
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None
