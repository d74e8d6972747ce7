from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .local_plans import national_wording_changed
from .models import Action, NationalChange, StatusUpdate, overdue_q


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


PROGRESS_FIELDS = ("status", "closure_reason", "completed_on", "rag", "revised_target_date", "revision_reason")


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
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
            and f.name not in ("version", "last_update_at", "created_at", "not_applicable", "not_applicable_reason")
        ]
        before = Action.objects.filter(pk=obj.pk).values("title", "description").first() or {}
        obj.save(update_fields=content)
        # The local copies of a national action whose wording changed are told, for their leads to answer.
        if obj.plan.is_national and before:
            national_wording_changed(
                national_action=obj,
                old_title=before["title"],
                old_description=before["description"],
                by=request.user,
                source="Changed by an admin",
            )


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """Status updates are append-only: the admin shows them and never changes or deletes them."""

    list_display = ["action", "created_at", "author", "status_to", "rag_to", "review_cycle"]
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


@admin.register(NationalChange)
class NationalChangeAdmin(admin.ModelAdmin):
    """Changes of national wording marked on local copies: answered on the local action's page, read here."""

    list_display = ["local_action", "source", "changed_at", "answer", "answered_by", "answered_at"]
    list_filter = ["answer", "local_action__plan"]
    search_fields = ["local_action__reference", "title_before", "title_after"]
    list_select_related = ["local_action", "answered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
