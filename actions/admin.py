from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from actionplan.dates import DatePrecision
from actionplan.forms import PeriodDateField

from .models import Action, StatusUpdate, overdue_q


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        overdue = overdue_q(today=timezone.localdate())
        queryset = queryset.with_current_target()
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


PROGRESS_FIELDS = (
    "status",
    "closure_reason",
    "completed_on",
    "rag",
    "revised_target_date",
    "revised_target_date_precision",
    "revision_reason",
)
PERIOD_FIELDS = ("start_date", "target_date", "revised_target_date")


class ActionAdminForm(forms.ModelForm):
    """Dates typed as the plan published them: a day, a month or a quarter; the precision is kept beside each."""

    start_date = PeriodDateField(label="Start date", required=False)
    target_date = PeriodDateField(label="Target date")
    revised_target_date = PeriodDateField(label="Revised target date", required=False)

    class Meta:
        model = Action
        # The admin's fieldsets choose the fields; the precisions are set from the dates typed.
        fields = ["plan", "theme", "reference", "title", "start_date", "target_date", "revised_target_date"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in PERIOD_FIELDS:
                if name in self.fields:
                    self.initial[name] = getattr(self.instance, f"{name}_text")

    def _clean_period(self, name: str):
        period = self.cleaned_data.get(name)
        setattr(self.instance, f"{name}_precision", period.precision if period else DatePrecision.DAY)
        return period.day if period else None

    def clean_start_date(self):
        return self._clean_period("start_date")

    def clean_target_date(self):
        return self._clean_period("target_date")

    def clean_revised_target_date(self):
        return self._clean_period("revised_target_date")


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    form = ActionAdminForm
    list_display = [
        "reference",
        "title",
        "plan",
        "side",
        "police_lead",
        "cps_lead",
        "target_date",
        "revised_target_date",
        "status",
        "rag",
    ]
    list_display_links = ["reference", "title"]
    list_filter = ["plan", "theme", "side", "status", "rag", OverdueFilter]
    search_fields = ["reference", "title", "description", "police_lead__last_name", "cps_lead__last_name"]
    list_select_related = ["plan", "police_lead", "cps_lead"]
    ordering = ["plan", "reference_sort"]
    autocomplete_fields = ["plan", "theme", "police_lead", "cps_lead", "mirrors", "superseded_by"]
    filter_horizontal = ["lead_organisations"]
    readonly_fields = ["version", "last_update_at", "created_at"]
    fieldsets = (
        (None, {"fields": ("plan", "theme", "reference", "title", "description")}),
        ("Ownership", {"fields": ("side", "police_lead", "cps_lead", "lead_organisations")}),
        ("Dates", {"fields": ("start_date", "target_date", "revised_target_date", "revision_reason")}),
        ("Progress", {"fields": ("status", "closure_reason", "completed_on", "rag")}),
        ("Links", {"fields": ("mirrors", "superseded_by")}),
        ("Record", {"fields": ("version", "last_update_at", "created_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Once an action exists, its progress changes only through a status update, which keeps the timeline.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += list(PROGRESS_FIELDS)
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # A content edit writes only content: a status update saved meanwhile (progress fields and version) is
        # never overwritten by the values this admin page loaded.
        content = [
            f.name
            for f in Action._meta.concrete_fields
            if not f.primary_key
            and f.name not in PROGRESS_FIELDS
            and f.name not in ("version", "last_update_at", "created_at")
        ]
        obj.save(update_fields=content)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """Status updates are append-only: the admin shows them and never changes or deletes them."""

    list_display = ["action", "effective_at", "created_at", "author", "status_to", "rag_to", "review_cycle"]
    list_filter = ["status_to", "rag_to", "action__plan"]
    search_fields = ["action__reference", "action__title", "narrative", "author__username"]
    list_select_related = ["action", "author", "review_cycle"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
