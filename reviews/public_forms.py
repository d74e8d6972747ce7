"""Forms of the public page's settings and summaries: the rules are in `reviews.public_pages`."""

from __future__ import annotations

from django import forms

from actionplan.govuk_fields import ProseField

from .public_pages import INTRODUCTION_MAX_LENGTH, SUMMARY_MAX_LENGTH


class PublicPageForm(forms.Form):
    enabled = forms.BooleanField(
        label="Publish the progress page",
        required=False,
        help_text="Anyone with the address can read it, without signing in. Untick to take it down at once.",
    )
    introduction = ProseField(
        label="Introduction (optional)",
        required=False,
        help_text=f"A paragraph for the public above the figures. Up to {INTRODUCTION_MAX_LENGTH:,} characters.",
    )
    show_names = forms.BooleanField(
        label="Show the leads' names", required=False, help_text="Beside each completed action."
    )
    show_rag = forms.BooleanField(
        label="Show delivery confidence", required=False, help_text="Each theme's open actions by green, amber, red."
    )
    show_dates = forms.BooleanField(
        label="Show completion dates", required=False, help_text="The day each completed action was completed."
    )


class PublicSummaryForm(forms.Form):
    text = ProseField(
        label="Public summary",
        required=False,
        help_text=(
            "What was done, written for the public. It is published as it is: do not name anyone, and do not paste "
            f"the internal narrative. Up to {SUMMARY_MAX_LENGTH:,} characters."
        ),
    )
