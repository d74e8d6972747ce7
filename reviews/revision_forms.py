"""Forms of the revision pages: they read what was typed; the rules are in `reviews.revisions`."""

from __future__ import annotations

from django import forms

from actionplan.govuk_fields import GovukDateField, ProseField, add_errors
from actionplan.models import User
from actions.models import Action, Side, Status
from actions.validation import clean_prose, prose_problem
from themes.models import Plan

from .models import RevisionDecision
from .revision_rules import DESCRIPTION_MAX_LENGTH, REASON_MAX_LENGTH, Proposal, proposal_errors
from .revision_selectors import provisional_references
from .revisions import NAME_MAX_LENGTH, RATIONALE_MAX_LENGTH


def add_rule_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """The service's rules, asked while cleaning so every mistake is listed at once: a question that already has
    a mistake keeps only its own."""
    for name, messages in errors.items():
        if name in form.fields:
            if name not in form._errors:
                form.add_error(name, messages)
        else:
            form.add_error(None, messages)


Fate = RevisionDecision.Fate


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        organisation = obj.organisation.display_name if obj.organisation_id else "no organisation"
        return f"{obj}, {organisation}"


def leads_of_side(side: str):
    return (
        User.objects.filter(role=User.Role.LEAD, is_active=True, organisation__kind=side)
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.title}"


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.reference} {obj.title}"


class RevisionStartForm(forms.Form):
    plan = forms.ModelChoiceField(
        label="Plan",
        queryset=Plan.objects.none(),
        empty_label="Choose a plan",
        error_messages={"required": "Choose the plan to revise", "invalid_choice": "Choose a published plan"},
    )
    name = forms.CharField(
        label="Name of the revision",
        help_text="For example, 2022 refresh.",
        required=False,
    )
    effective_on = GovukDateField(what="effective date", label="Effective date", help_text="For example, 31 3 2022.")
    rationale = ProseField(
        label="Rationale",
        help_text="Why the plan is revised: the findings, reviews or decisions behind it.",
        required=False,
    )
    error_anchors = {"effective_on": "id_effective_on_0"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.published().order_by("kind", "title")

    def clean_name(self) -> str:
        name = clean_prose(self.cleaned_data.get("name"))
        problem = prose_problem(name, what="name of the revision", max_length=NAME_MAX_LENGTH, required=True)
        if problem:
            raise forms.ValidationError(problem)
        return name

    def clean_rationale(self) -> str:
        rationale = clean_prose(self.cleaned_data.get("rationale"))
        problem = prose_problem(rationale, what="rationale", max_length=RATIONALE_MAX_LENGTH, required=True)
        if problem:
            raise forms.ValidationError(problem)
        return rationale


class ProposalFields(forms.Form):
    """The wording, theme, side, leads and dates of a changed or new action."""

    theme = ThemeChoiceField(
        label="Theme",
        queryset=None,
        required=False,
        empty_label="Choose a theme",
        error_messages={"invalid_choice": "Choose a theme of this plan"},
    )
    title = forms.CharField(label="Title", required=False)
    description = ProseField(label="Description (optional)", required=False)
    side = forms.ChoiceField(
        label="Side that owns it",
        choices=[("", "Choose a side"), *Side.choices],
        required=False,
        error_messages={"invalid_choice": "Choose police, CPS or joint"},
    )
    police_lead = LeadChoiceField(
        label="Police lead",
        queryset=None,
        required=False,
        empty_label="None named",
        error_messages={"invalid_choice": "Choose a police lead from the list"},
    )
    cps_lead = LeadChoiceField(
        label="CPS lead",
        queryset=None,
        required=False,
        empty_label="None named",
        error_messages={"invalid_choice": "Choose a CPS lead from the list"},
    )
    start_date = GovukDateField(what="start date", label="Start date", required=False)
    target_date = GovukDateField(
        what="target date",
        label="Target date",
        required=False,
        help_text="For example, 31 3 2023. A later date than the current one is recorded as a revised target date.",
    )
    error_anchors = {"start_date": "id_start_date_0", "target_date": "id_target_date_0"}
    proposal_fields = ("theme", "title", "description", "side", "police_lead", "cps_lead", "start_date", "target_date")

    def setup_proposal(self, plan: Plan) -> None:
        self.fields["theme"].queryset = plan.themes.order_by("number")
        self.fields["police_lead"].queryset = leads_of_side("police")
        self.fields["cps_lead"].queryset = leads_of_side("cps")
        self.fields["description"].help_text = f"Up to {DESCRIPTION_MAX_LENGTH:,} characters."

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        return Proposal(
            theme=data.get("theme"),
            title=data.get("title") or "",
            description=data.get("description") or "",
            side=data.get("side") or "",
            police_lead=data.get("police_lead"),
            cps_lead=data.get("cps_lead"),
            start_date=data.get("start_date"),
            target_date=data.get("target_date"),
            reference=data.get("reference") or "",
        )


FATE_HINTS = {
    Fate.CARRIED: "The action goes on as it is.",
    Fate.CHANGED: "New wording, theme, side, leads or dates. Its status and history stay.",
    Fate.MERGED: "Closed as superseded, pointing at the action its work joins.",
    Fate.SUPERSEDED: (
        "Closed as superseded, pointing at the action that replaces it: an open action of the plan, or a new action "
        "of this revision (add it first)."
    ),
    Fate.WITHDRAWN: "Closed as withdrawn: the work is no longer needed.",
}
FATE_CHOICES = [(value, label) for value, label in Fate.choices if value != Fate.ADDED]


class FateForm(forms.Form):
    """First question: what happens to the action. The questions of that fate follow on their own page."""

    fate = forms.ChoiceField(
        label="What happens to this action in the revision?",
        choices=FATE_CHOICES,
        error_messages={"required": "Choose what happens to the action", "invalid_choice": "Choose a fate"},
    )

    def fate_options(self) -> list[dict]:
        current = self["fate"].value() or ""
        return [
            {"value": value, "label": label, "hint": FATE_HINTS[value], "checked": value == current}
            for value, label in FATE_CHOICES
        ]


class DecisionForm(ProposalFields):
    """The questions of one fate: the new wording of a change, the action merged into or superseding, the reason."""

    merge_into = ActionChoiceField(
        label="Action it is merged into",
        queryset=None,
        required=False,
        empty_label="Choose an action",
        error_messages={"invalid_choice": "Choose an open action of this plan from the list"},
    )
    superseded_by = forms.ChoiceField(
        label="Action that supersedes it",
        choices=[],
        required=False,
        help_text="An open action of the plan, or a new action of this revision (add it first).",
        error_messages={"invalid_choice": "Choose an action from the list"},
    )
    reason = ProseField(label="Reason", required=False)

    error_anchors = {"start_date": "id_start_date_0", "target_date": "id_target_date_0"}
    FATE_FIELDS = {
        Fate.CHANGED: (*ProposalFields.proposal_fields, "reason"),
        Fate.MERGED: ("merge_into", "reason"),
        Fate.SUPERSEDED: ("superseded_by", "reason"),
        Fate.WITHDRAWN: ("reason",),
    }

    def __init__(self, *args, revision, action: Action, fate: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.revision, self.action, self.fate = revision, action, fate
        for name in list(self.fields):
            if name not in self.FATE_FIELDS[fate]:
                del self.fields[name]
        if fate == Fate.CHANGED:
            self.setup_proposal(revision.plan)
        candidates = (
            revision.plan.actions.filter(status__in=(Status.NOT_STARTED, Status.IN_PROGRESS))
            .exclude(pk=action.pk)
            .order_by("reference_sort")
        )
        self.candidates = candidates
        if fate == Fate.MERGED:
            self.fields["merge_into"].queryset = candidates
        if fate == Fate.SUPERSEDED:
            added = revision.decisions.filter(fate=Fate.ADDED).select_related("theme").order_by("id")
            provisional = provisional_references(revision=revision)
            self.fields["superseded_by"].choices = [
                ("", "Choose an action"),
                *((f"new-{d.pk}", f"New action {provisional.get(d.pk, '')}: {d.title}") for d in added),
                *((f"action-{a.pk}", f"{a.reference} {a.title}") for a in candidates),
            ]
        required = fate in RevisionDecision.CLOSING_FATES
        self.fields["reason"].label = "Reason" if required else "Reason (optional)"
        self.fields["reason"].help_text = f"Up to {REASON_MAX_LENGTH:,} characters."

    def clean(self) -> dict:
        data = super().clean()
        choice = data.get("superseded_by") or ""
        data["into_action"], data["successor"] = None, None
        if self.fate == Fate.MERGED:
            data["into_action"] = data.get("merge_into")
        elif self.fate == Fate.SUPERSEDED and choice:
            kind, _, pk = choice.partition("-")
            if kind == "new":
                data["successor"] = self.revision.decisions.filter(pk=pk, fate=Fate.ADDED).first()
            else:
                data["into_action"] = self.candidates.filter(pk=pk).first()
        if self.fate == Fate.CHANGED:
            add_rule_errors(
                self, proposal_errors(plan=self.revision.plan, proposal=self.proposal(), action=self.action)
            )
        return data

    def add_service_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            remapped = {}
            for name, messages in error.message_dict.items():
                if name == "into_action":
                    name = "merge_into" if self.fate == Fate.MERGED else "superseded_by"
                remapped.setdefault(name, []).extend(messages)
            error = forms.ValidationError(remapped)
        add_errors(self, error)


class AddActionForm(ProposalFields):
    reference = forms.CharField(
        label="Reference (optional)",
        help_text="Leave empty for the next free reference in the theme when the revision is published.",
        required=False,
    )
    reason = ProseField(label="Why it is added (optional)", required=False)

    def __init__(self, *args, revision, **kwargs):
        super().__init__(*args, **kwargs)
        self.revision = revision
        self.setup_proposal(revision.plan)
        self.fields["side"].widget = forms.RadioSelect()
        self.fields["side"].choices = Side.choices
        self.fields["reason"].help_text = f"Up to {REASON_MAX_LENGTH:,} characters."

    def clean(self) -> dict:
        data = super().clean()
        add_rule_errors(self, proposal_errors(plan=self.revision.plan, proposal=self.proposal()))
        return data
