"""My actions' filters, read from GET parameters so that a filtered list is a link to keep or share.

The choices of plan and theme are those of the person's own actions; a value that is not one of them (or any other
value that is not valid) is named in the page's error summary and left out of the filtering.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django import forms

from .models import Action, Status

WHOSE_CHOICES = [
    ("", "All of them"),
    ("led", "Only those I lead"),
    ("organisation", "Only my organisation’s"),
]
HIDE_DONE_CHOICES = [("yes", "Hide completed and closed actions")]


class MyActionsFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        label="Status",
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose statuses from the list"},
    )
    plan = forms.ChoiceField(
        label="Plan", required=False, error_messages={"invalid_choice": "Choose a plan from the list"}
    )
    theme = forms.TypedChoiceField(
        label="Theme",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    whose = forms.ChoiceField(
        label="Whose actions",
        choices=WHOSE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose whose actions to show from the list"},
    )
    hide_done = forms.MultipleChoiceField(
        label="Completed and closed",
        choices=HIDE_DONE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tick the box to hide completed and closed actions, or leave it empty"},
    )

    def __init__(self, *args, actions: Iterable[Action], **kwargs):
        super().__init__(*args, **kwargs)
        plans: dict[str, str] = {}
        themes: dict[int, str] = {}
        for action in actions:
            plans.setdefault(action.plan.slug, action.plan.title)
            # Local themes carry the numbers and (mostly) the titles of the national themes they mirror.
            themes.setdefault(action.theme.number, action.theme.title)
        self.fields["plan"].choices = [("", "Every plan"), *plans.items()]
        self.fields["theme"].choices = [("", "Every theme")] + [
            (number, f"{number}. {title}") for number, title in sorted(themes.items())
        ]

    def valid_data(self) -> dict:
        """The values that are valid; an invalid one is left out (and named by `errors`)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", [])}

    def applied(self) -> list[tuple[str, str, str, str]]:
        """(parameter, value, heading, label) of each filter in force."""
        data = self.valid_data()
        result = []
        for value in data.get("status", []):
            result.append(("status", value, "Status", Status(value).label))
        if "plan" in data:
            result.append(("plan", data["plan"], "Plan", dict(self.fields["plan"].choices)[data["plan"]]))
        if "theme" in data:
            label = dict(self.fields["theme"].choices)[data["theme"]]
            result.append(("theme", str(data["theme"]), "Theme", label))
        if "whose" in data:
            result.append(("whose", data["whose"], "Whose actions", dict(WHOSE_CHOICES)[data["whose"]]))
        if data.get("hide_done"):
            result.append(("hide_done", "yes", "Completed and closed", "Hidden"))
        return result

    def selected_categories(self, path: str) -> list[dict]:
        """Selected filters grouped by heading, each with a link that removes it (the MoJ filter's tags)."""
        pairs = [(param, value) for param, value, _, _ in self.applied()]
        categories: dict[str, list[dict]] = {}
        for param, value, heading, label in self.applied():
            remaining = urlencode([pair for pair in pairs if pair != (param, value)])
            categories.setdefault(heading, []).append(
                {"text": label, "href": f"{path}?{remaining}" if remaining else path}
            )
        return [{"heading": heading, "items": items} for heading, items in categories.items()]


def filter_my_actions(actions: Iterable[Action], *, data: dict) -> list[Action]:
    """The actions (from `actions_for_lead`, annotated with `led_by_me` and `owned_by_my_organisation`) that match
    the filters in `data` (from `MyActionsFilterForm.valid_data`), in the order given."""
    statuses = set(data.get("status", []))
    plan, theme, whose = data.get("plan"), data.get("theme"), data.get("whose")
    hide_done = bool(data.get("hide_done"))
    return [
        action
        for action in actions
        if (not statuses or action.status in statuses)
        and (plan is None or action.plan.slug == plan)
        and (theme is None or action.theme.number == theme)
        and (whose != "led" or action.led_by_me)
        and (whose != "organisation" or action.owned_by_my_organisation)
        and (not hide_done or action.is_open)
    ]
