"""Forms of the local plan pages: they read what was typed; the rules are in `actions.local_plans`."""

from __future__ import annotations

from django import forms

from actionplan.govuk_fields import GovukDateField, ProseField
from actionplan.models import Organisation, User

from .local_plans import DESCRIPTION_MAX_LENGTH, REASON_MAX_LENGTH
from .models import Side


class LeadChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj}, {obj.organisation.display_name}" if obj.organisation_id else str(obj)


def local_leads_of(kind: str):
    return (
        User.objects.filter(
            role=User.Role.LEAD, is_active=True, organisation__kind=kind, organisation__is_national=False
        )
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


class LocalPlanForm(forms.Form):
    police_force = forms.ModelChoiceField(
        label="Police force",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.POLICE, is_national=False).order_by("name"),
        empty_label="Choose a police force",
        error_messages={"required": "Choose a police force", "invalid_choice": "Choose a police force from the list"},
    )
    cps_area = forms.ModelChoiceField(
        label="CPS Area",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.CPS, is_national=False).order_by("name"),
        empty_label="Choose a CPS Area",
        error_messages={"required": "Choose a CPS Area", "invalid_choice": "Choose a CPS Area from the list"},
    )
    police_lead = LeadChoice(
        label="Police lead of the local actions (optional)",
        help_text="A lead of the force, named on every police and joint action. Leave it to assign later.",
        queryset=local_leads_of("police"),
        required=False,
        empty_label="Assign later",
        error_messages={"invalid_choice": "Choose a police lead from the list"},
    )
    cps_lead = LeadChoice(
        label="CPS lead of the local actions (optional)",
        help_text="A lead of the Area, named on every CPS and joint action. Leave it to assign later.",
        queryset=local_leads_of("cps"),
        required=False,
        empty_label="Assign later",
        error_messages={"invalid_choice": "Choose a CPS lead from the list"},
    )
    publish = forms.ChoiceField(
        label="When can its leads update it?",
        choices=[("yes", "Publish it now"), ("no", "Keep it as a draft, for admins only, until it is published")],
        initial="yes",
        error_messages={"required": "Choose whether to publish it now", "invalid_choice": "Choose an answer"},
    )


class LocalActionForm(forms.Form):
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=None,
        empty_label="Choose a theme",
        required=False,
        error_messages={"invalid_choice": "Choose a theme of this local plan"},
    )
    title = forms.CharField(label="Title", required=False)
    description = ProseField(
        label="Description (optional)", required=False, help_text=f"Up to {DESCRIPTION_MAX_LENGTH:,} characters."
    )
    side = forms.ChoiceField(
        label="Side that owns it",
        choices=Side.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose police, CPS or joint"},
    )
    police_lead = LeadChoice(
        label="Police lead (optional)",
        queryset=None,
        required=False,
        empty_label="None named",
        error_messages={"invalid_choice": "Choose a police lead from the list"},
    )
    cps_lead = LeadChoice(
        label="CPS lead (optional)",
        queryset=None,
        required=False,
        empty_label="None named",
        error_messages={"invalid_choice": "Choose a CPS lead from the list"},
    )
    start_date = GovukDateField(what="start date", label="Start date", required=False)
    target_date = GovukDateField(what="target date", label="Target date", required=False)
    error_anchors = {"start_date": "id_start_date_0", "target_date": "id_target_date_0"}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = plan.themes.order_by("number")
        self.fields["theme"].label_from_instance = lambda theme: f"{theme.number}. {theme.title}"
        self.fields["police_lead"].queryset = User.objects.filter(
            role=User.Role.LEAD, is_active=True, organisation=plan.police_force
        ).select_related("organisation")
        self.fields["cps_lead"].queryset = User.objects.filter(
            role=User.Role.LEAD, is_active=True, organisation=plan.cps_area
        ).select_related("organisation")


class NotApplicableForm(forms.Form):
    reason = ProseField(
        label="Why does it not apply locally?",
        required=False,
        help_text=f"Shown with the action and on the roll-up. Up to {REASON_MAX_LENGTH:,} characters.",
    )


class KeepLocalWordingForm(forms.Form):
    reason = ProseField(
        label="Why keep the local wording?",
        required=False,
        help_text=f"Up to {REASON_MAX_LENGTH:,} characters.",
    )
