from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, SignInRecord, User
from .two_factor import totp_device_for, two_factor_reset

# Nobody reads or makes another person's authenticator secret: an admin can only reset it (below).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


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
    actions = ["reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title")}),
        ("Organisation and role", {"fields": ("organisation", "role", "is_active")}),
        ("Two-factor authentication", {"fields": ("two_factor_status",)}),
        ("Reminders", {"fields": ("wants_due_soon_reminders", "wants_board_meeting_reminders")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("Organisation and role", {"fields": ("first_name", "last_name", "email", "organisation", "role")}),
    )
    readonly_fields = ["last_login", "date_joined", "two_factor_status"]

    @admin.display(description="Authenticator app")
    def two_factor_status(self, obj: User) -> str:
        device = totp_device_for(obj) if obj.pk else None
        if device is None:
            return "Not set up" + (" (asked to set one up at the next sign-in)" if obj.is_admin else "")
        return "Set up" + (f" on {device.created_at:%d %B %Y}" if device.created_at else "")

    @admin.action(description="Reset two-factor authentication (a lost phone)")
    def reset_two_factor(self, request, queryset) -> None:
        people = list(queryset)
        for person in people:
            two_factor_reset(user=person, by=request.user, request=request)
        self.message_user(
            request,
            f"Two-factor authentication reset for {len(people)} "
            f"{'person' if len(people) == 1 else 'people'}: they will set up an authenticator app again.",
            messages.SUCCESS,
        )


@admin.register(SignInRecord)
class SignInRecordAdmin(admin.ModelAdmin):
    """Failed and completed sign-ins, as the per-username limit counts them: read-only."""

    list_display = ["at", "username", "ip_address", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
