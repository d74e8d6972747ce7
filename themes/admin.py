from __future__ import annotations

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Plan, ReviewCycle, Theme


def theme_label(theme: Theme) -> str:
    """A theme as a choice: named with its plan, since every plan has a "1. Supporting victims"."""
    return f"{theme.plan.title}: {theme}"


def limit_mirrored_themes(field: forms.ModelChoiceField, plan: Plan | None) -> None:
    """Offer, as the theme a theme mirrors, only the themes of the national plan its plan mirrors; for a plan not
    saved yet, the themes of every national plan; for a national plan, none."""
    themes = Theme.objects.select_related("plan").order_by("plan__title", "number")
    if plan is None or plan.pk is None:
        field.queryset = themes.filter(plan__kind=Plan.Kind.NATIONAL)
    elif plan.kind == Plan.Kind.NATIONAL:
        field.queryset = themes.none()
        field.help_text = "A theme of a national plan mirrors no other theme: leave this empty."
    else:
        field.queryset = themes.filter(plan_id=plan.mirrors_id)
        field.help_text = "The theme of the national plan this theme mirrors."
    field.label_from_instance = theme_label
    field.error_messages["invalid_choice"] = "Choose a theme of the national plan this plan mirrors from the list"


class ThemeInline(admin.TabularInline):
    model = Theme
    fk_name = "plan"
    extra = 0
    fields = ["number", "title", "purpose", "mirrors"]
    ordering = ["number"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        limit_mirrored_themes(formset.form.base_fields["mirrors"], obj)
        return formset


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "revision", "police_force", "cps_area", "period_start", "period_end"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "police_force__name", "cps_area__name"]
    list_select_related = ["police_force", "cps_area"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["admins", "board_members"]
    inlines = [ThemeInline]
    fieldsets = (
        (None, {"fields": ("kind", "title", "slug", "summary", "status", "revision", ("period_start", "period_end"))}),
        ("Local plan", {"fields": ("mirrors", "police_force", "cps_area"), "description": "Only for a local plan."}),
        ("People", {"fields": ("admins", "board_members")}),
    )


class ThemeAdminForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["plan", "number", "title", "purpose", "mirrors"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "mirrors" in self.fields:
            limit_mirrored_themes(self.fields["mirrors"], self.instance.plan if self.instance.plan_id else None)


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    form = ThemeAdminForm
    list_display = ["__str__", "plan"]
    list_filter = ["plan"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan"]
    ordering = ["plan", "number"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "opens_on", "updates_due_on", "board_meeting_on", "state"]
    list_filter = ["state", "plan"]
    search_fields = ["name", "plan__title"]
    list_select_related = ["plan"]
    date_hierarchy = "opens_on"
