from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, Reminder, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "is_national"]
    list_filter = ["kind", "is_national"]
    search_fields = ["name", "short_name"]
    ordering = ["kind", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active", "organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title")}),
        ("Organisation and role", {"fields": ("organisation", "role", "is_active")}),
        ("Reminders", {"fields": ("wants_due_soon_reminders", "wants_board_meeting_reminders")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("Organisation and role", {"fields": ("first_name", "last_name", "email", "organisation", "role")}),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Reminders are written by the sweep only; the admin shows their state and errors, and changes nothing."""

    list_display = ["due_on", "recipient", "kind", "action", "review_cycle", "occasion", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind", "due_on"]
    search_fields = ["recipient__username", "recipient__email", "recipient__last_name", "action__reference", "occasion"]
    list_select_related = ["recipient", "action", "review_cycle", "review_cycle__plan"]
    date_hierarchy = "due_on"
    ordering = ["-due_on", "-id"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
