from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, User


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
