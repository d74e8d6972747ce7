from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReviewCycle


@admin.register(ReviewCycle)
class ReviewCycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "opens_on", "updates_due_on", "board_meeting_on", "state"]
    list_filter = ["state", "plan"]
    search_fields = ["name", "plan__title"]
    list_select_related = ["plan"]
    autocomplete_fields = ["plan"]
    date_hierarchy = "opens_on"
