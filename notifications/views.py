from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView

from themes.models import ReviewCycle

from .feeds import calendar_feed_create, calendar_feed_for_key, calendar_feed_revoke, calendar_ics
from .forms import ReminderPreferencesForm
from .models import CalendarFeed
from .selectors import reminders_for_recipient
from .services import review_cycle_chase, user_update_reminder_preferences
from .tasks import queue_delivery

# The new calendar address waits in the session for the page that shows it once.
NEW_FEED_SESSION_KEY = "notifications:new-calendar-feed"


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
            "calendar_feed": CalendarFeed.objects.filter(user=self.request.user).first(),
            "new_calendar_url": self.request.session.pop(NEW_FEED_SESSION_KEY, None),
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


class CalendarFeedView(View):
    """Create a new secret calendar address (replacing any earlier one), or turn it off."""

    def post(self, request: HttpRequest) -> HttpResponseRedirect:
        if request.POST.get("calendar") == "off":
            if calendar_feed_revoke(user=request.user):
                messages.success(request, "Your calendar address has been turned off: it no longer works")
        else:
            _feed, key = calendar_feed_create(user=request.user)
            path = reverse("notifications:calendar_feed", kwargs={"key": key})
            request.session[NEW_FEED_SESSION_KEY] = f"{settings.SITE_URL}{path}"
        return HttpResponseRedirect(reverse("notifications:list") + "#calendar")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The iCalendar feed behind a secret address: calendar programs cannot sign in, so the key is the credential."""
    feed = calendar_feed_for_key(key=key)
    if feed is None:
        return HttpResponse(
            "No calendar has this address: it may have been turned off. Create a new one on the Notifications page.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(calendar_ics(user=feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rasso-action-plan.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
