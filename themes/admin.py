from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Plan, ReviewCycle, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    fk_name = "plan"
    extra = 0
    fields = ["number", "title", "purpose", "mirrors"]
    ordering = ["number"]
    autocomplete_fields = ["mirrors"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "revision", "police_force", "cps_area", "period_start", "period_end"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "police_force__name", "cps_area__name"]
    list_select_related = ["police_force", "cps_area"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["mirrors", "police_force", "cps_area"]
    filter_horizontal = ["admins", "board_members"]
    inlines = [ThemeInline]
    fieldsets = (
        (None, {"fields": ("kind", "title", "slug", "summary", "status", "revision", ("period_start", "period_end"))}),
        ("Local plan", {"fields": ("mirrors", "police_force", "cps_area"), "description": "Only for a local plan."}),
        ("People", {"fields": ("admins", "board_members")}),
    )


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan"]
    list_filter = ["plan"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan"]
    ordering = ["plan", "number"]
    autocomplete_fields = ["plan", "mirrors"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "opens_on", "updates_due_on", "board_meeting_on", "state"]
    list_filter = ["state", "plan"]
    search_fields = ["name", "plan__title"]
    list_select_related = ["plan"]
    autocomplete_fields = ["plan"]
    date_hierarchy = "opens_on"
