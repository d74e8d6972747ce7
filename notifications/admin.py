from __future__ import annotations

from django.contrib import admin

from .models import Reminder


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
