from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView

from .health import health_report
from .reminders import reminders_for_recipient, user_update_reminder_preferences


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """{"database": "ok", "broker": "ok", ...}: 200 when all is well, 503 naming the failing part."""
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


# After sign-in, each role lands where its work is; the first page in the list that exists wins.
LANDING_PAGES = {
    "lead": ["actions:mine", "themes:home"],
    "board": ["reviews:dashboard", "themes:home"],
    "admin": ["reviews:dashboard", "themes:home"],
}


def landing(request: HttpRequest) -> HttpResponseRedirect:
    user = request.user
    role = "admin" if user.is_admin else user.role
    for name in LANDING_PAGES.get(role, ["themes:home"]):
        try:
            return HttpResponseRedirect(reverse(name))
        except NoReverseMatch:
            continue
    return HttpResponseRedirect(reverse("themes:home"))


class ReminderPreferencesForm(forms.Form):
    # The error summary links to the first checkbox, whose id the template sets.
    error_anchors = {"optional": "optional"}

    optional = forms.MultipleChoiceField(
        label="Which optional reminders do you want by email?",
        choices=[
            ("due_soon", "Actions due soon"),
            ("board_meeting", "Board meetings coming"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select only the reminders listed"},
    )


class NotificationListView(FormView):
    """The reminders sent to the signed-in person, and their choice of optional reminders."""

    template_name = "notifications/notification_list.html"
    form_class = ReminderPreferencesForm
    paginate_by = 50

    def get_initial(self) -> dict:
        user = self.request.user
        chosen = [
            name
            for name, wanted in (
                ("due_soon", user.wants_due_soon_reminders),
                ("board_meeting", user.wants_board_meeting_reminders),
            )
            if wanted
        ]
        return {"optional": chosen}

    def get_context_data(self, **kwargs) -> dict:
        page = Paginator(reminders_for_recipient(user=self.request.user), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        days = sorted(settings.REMINDER_DUE_SOON_DAYS, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "reminders": page.object_list,
            "due_soon_days": " and ".join(", ".join(map(str, days)).rsplit(", ", 1)),
            "board_meeting_days": settings.REMINDER_BOARD_MEETING_DAYS,
        }

    def form_valid(self, form: ReminderPreferencesForm) -> HttpResponseRedirect:
        chosen = set(form.cleaned_data["optional"])
        user_update_reminder_preferences(
            user=self.request.user, due_soon="due_soon" in chosen, board_meeting="board_meeting" in chosen
        )
        messages.success(self.request, "Your reminder choices have been saved")
        return HttpResponseRedirect(reverse("notifications:list"))
