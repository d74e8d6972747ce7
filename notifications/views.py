from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from themes.models import ReviewCycle

from .forms import ReminderPreferencesForm
from .selectors import reminders_for_recipient
from .services import review_cycle_chase, user_update_reminder_preferences
from .tasks import queue_delivery


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


class ReviewCycleChaseView(View):
    """The cycle page's "Chase the missing leads now": queues one chase digest per lead still owing an update."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        if not request.user.is_admin:
            raise PermissionDenied
        cycle = get_object_or_404(ReviewCycle.objects.select_related("plan"), pk=pk)
        try:
            result = review_cycle_chase(cycle=cycle, by=request.user, deliver=queue_delivery)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if result.recorded:
                people = f"{result.recorded} lead{'s' if result.recorded != 1 else ''}"
                messages.success(request, f"Chase sent to {people} whose actions still have no update in {cycle.name}")
            else:
                messages.success(
                    request, "Every lead still owing an update has already been chased today: nobody was chased again"
                )
        return HttpResponseRedirect(f"{reverse('reviews:detail', kwargs={'pk': cycle.pk})}#progress")
