"""The dashboard's filters, read from GET parameters so that a filtered view is a link to share.

One FilterSet serves the dashboard, the board pack and the exports. With `local=True` it filters the actions of
local plans, matching the national theme through `Theme.mirrors`.
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import CharField, Exists, F, OrderBy, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, RowNumber, Trim
from django.utils import timezone

from actionplan.models import Organisation, User
from actions.models import Action, Rag, Side, Status, overdue_q
from themes.models import Plan, Theme

OVERDUE_CHOICES = [("yes", "Overdue"), ("no", "Not overdue")]
# Each select's labels as the database writes them: the models' __str__ (a person's full name, else username).
CHOICE_LABELS = {
    "plan": F("title"),
    "organisation": F("name"),
    "lead": Coalesce(
        NullIf(Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField())), Value("")),
        "username",
    ),
}


class DashboardFilter(django_filters.FilterSet):
    # Each plan once, national plans first; with no choice made the page shows the national plan in force.
    # The querysets are given as functions (set for the person and the plan in __init__): a queryset in the class
    # would be deep-copied on every request.
    plan = django_filters.ModelChoiceFilter(
        label="Plan",
        queryset=lambda request: Plan.objects.order_by("-kind", "title"),
        to_field_name="slug",
        method="filter_plan",
        empty_label=None,
        required=False,
    )
    theme = django_filters.TypedChoiceFilter(label="Theme", coerce=int, method="filter_theme")
    side = django_filters.ChoiceFilter(label="Side", choices=Side.choices, method="filter_side", empty_label="Any side")
    organisation = django_filters.ModelChoiceFilter(
        label="Lead organisation",
        queryset=lambda request: Organisation.objects.order_by("kind", "name"),
        method="filter_organisation",
        empty_label="Any organisation",
    )
    lead = django_filters.ModelChoiceFilter(
        label="Lead",
        queryset=lambda request: User.objects.filter(role=User.Role.LEAD).order_by(
            "last_name", "first_name", "username"
        ),
        method="filter_lead",
        empty_label="Anyone",
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, method="filter_status", widget=forms.CheckboxSelectMultiple
    )
    rag = django_filters.MultipleChoiceFilter(
        label="Delivery confidence", choices=Rag.choices, method="filter_rag", widget=forms.CheckboxSelectMultiple
    )
    overdue = django_filters.ChoiceFilter(
        label="Overdue", choices=OVERDUE_CHOICES, method="filter_overdue", widget=forms.RadioSelect
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        *args,
        plan: Plan | None = None,
        local: bool = False,
        today=None,
        user=None,
        themes: list[Theme] | None = None,
        **kwargs,
    ):
        super().__init__(data, *args, **kwargs)
        # Only the plans the person may read are offered (and accepted): a draft is for admins.
        self.form.fields["plan"].queryset = self.form.fields["plan"].queryset.readable_by(user)
        if plan is not None:
            # Only the organisations that lead actions of the plan, and the people who lead them.
            actions = Action.objects.filter(plan=plan)
            owners = Action.lead_organisations.through.objects.filter(action__plan=plan).values("organisation_id")
            self.form.fields["organisation"].queryset = Organisation.objects.filter(pk__in=owners).order_by(
                "kind", "name"
            )
            self.form.fields["lead"].queryset = self.form.fields["lead"].queryset.filter(
                Q(pk__in=actions.values("police_lead_id")) | Q(pk__in=actions.values("cps_lead_id"))
            )
        self.plan_in_scope = plan
        self.local = local
        self.today = today or timezone.localdate()
        # The plan's themes in order (given, or read once here), for the choices and for the page.
        if themes is None:
            themes = list(plan.themes.order_by("number")) if plan else []
        self.plan_themes = themes
        self.form.fields["theme"].choices = [("", "All themes")] + [
            (theme.number, f"{theme.number}. {theme.title}") for theme in themes
        ]
        self.theme_titles = {theme.number: theme.title for theme in themes}

    def select_choices(self) -> dict[str, list[tuple[str, str]]]:
        """Each select's choices for a page to show: the plans, organisations and leads read together in one
        query (a model choice field would count them, then read them, each time it is shown)."""
        choices: dict[str, list[tuple[str, str]]] = {}
        parts = []
        for name, field in self.form.fields.items():
            if not hasattr(field, "queryset"):
                choices[name] = list(field.choices)
                continue
            choices[name] = [] if field.empty_label is None else [("", field.empty_label)]
            queryset = field.queryset
            parts.append(
                queryset.order_by()
                .annotate(
                    choice_of=Value(name, output_field=CharField()),
                    choice_value=Cast(field.to_field_name or "pk", output_field=CharField()),
                    choice_label=CHOICE_LABELS[name],
                    choice_position=Window(
                        RowNumber(),
                        order_by=[
                            OrderBy(F(column[1:]), descending=True) if column.startswith("-") else F(column)
                            for column in queryset.query.order_by
                        ],
                    ),
                )
                .values_list("choice_of", "choice_value", "choice_label", "choice_position")
            )
        rows = parts[0].union(*parts[1:], all=True).order_by("choice_of", "choice_position")
        for name, value, label, _position in rows:
            choices[name].append((value, label))
        return choices

    # The plan chooses the scope (the view reads it); it does not filter the queryset itself.
    def filter_plan(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def filter_theme(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value in (None, ""):
            return queryset
        return queryset.filter(**{"theme__mirrors__number" if self.local else "theme__number": value})

    def filter_side(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(side=value) if value else queryset

    def filter_organisation(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        through = Action.lead_organisations.through
        return queryset.filter(Exists(through.objects.filter(action=OuterRef("pk"), organisation=value)))

    def filter_lead(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(police_lead=value) | Q(cps_lead=value)) if value else queryset

    def filter_status(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(status__in=value) if value else queryset

    def filter_rag(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(rag__in=value) if value else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        overdue = overdue_q(today=self.today)
        queryset = queryset.with_current_target()
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)

    # -- What the page shows about the filters ----------------------------------------------------------------------

    def chosen_theme(self) -> int | None:
        """The theme number named by a valid `theme` parameter."""
        if not self.is_bound:
            return None
        self.form.is_valid()
        number = self.form.cleaned_data.get("theme")
        return None if number in (None, "") else number

    def applied(self) -> list[tuple[str, str, str, str]]:
        """(parameter, value, category heading, label) for each filter in force (invalid values are not)."""
        if not self.is_bound:
            return []
        self.form.is_valid()
        data = self.form.cleaned_data
        result = []
        if data.get("plan"):
            result.append(("plan", data["plan"].slug, "Plan", data["plan"].title))
        if data.get("theme") not in (None, ""):
            number = data["theme"]
            result.append(("theme", str(number), "Theme", f"{number}. {self.theme_titles.get(number, '')}"))
        if data.get("side"):
            result.append(("side", data["side"], "Side", Side(data["side"]).label))
        if data.get("organisation"):
            organisation = data["organisation"]
            result.append(("organisation", str(organisation.pk), "Lead organisation", organisation.name))
        if data.get("lead"):
            result.append(("lead", str(data["lead"].pk), "Lead", str(data["lead"])))
        for value in data.get("status") or []:
            result.append(("status", value, "Status", Status(value).label))
        for value in data.get("rag") or []:
            result.append(("rag", value, "Delivery confidence", Rag(value).label))
        if data.get("overdue"):
            result.append(("overdue", data["overdue"], "Overdue", dict(OVERDUE_CHOICES)[data["overdue"]]))
        return result

    def query_pairs(self) -> list[tuple[str, str]]:
        return [(param, value) for param, value, _, _ in self.applied()]

    def querystring(self, *, without: tuple[str, str] | None = None, drop: str = "") -> str:
        """The filters in force as a query string, less one (parameter, value) pair or every value of `drop`."""
        pairs = [pair for pair in self.query_pairs() if pair != without and pair[0] != drop]
        return urlencode(pairs)

    def selected_categories(self, path: str) -> list[dict]:
        """Selected filters grouped by heading, each with a link that removes it (the MoJ filter's tags)."""
        categories: dict[str, list[dict]] = {}
        for param, value, heading, label in self.applied():
            remaining = self.querystring(without=(param, value))
            categories.setdefault(heading, []).append(
                {"text": label, "href": f"{path}?{remaining}" if remaining else path}
            )
        return [{"heading": heading, "items": items} for heading, items in categories.items()]
