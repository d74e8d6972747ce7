"""The review cycle as the board runs it: schedule, open, follow the updates, record decisions, close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from actions.models import Action
from themes.models import ReviewCycle
from themes.selectors import plans_visible
from themes.services import (
    review_cycle_change,
    review_cycle_create,
    review_cycle_open,
    review_cycles_schedule_year,
)

from .cycles import actions_led_by, cycle_minutes, cycle_progress, decisions_by_action
from .forms import BoardDecisionForm, BoardMinutesForm, CloseCycleForm, ReviewCycleForm, ReviewYearForm
from .selectors import review_cycles_list
from .services import board_decision_record, board_minutes_save, can_record_decisions, review_cycle_close


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal, shown on the form: by field where the form has the field, else for the whole form."""
    for name, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _cycle_for(request: HttpRequest, pk: int) -> ReviewCycle:
    """The cycle, if the person may read its plan (404 otherwise)."""
    if not getattr(request.user, "reads_dashboards", False):
        raise PermissionDenied
    return get_object_or_404(review_cycles_list(user=request.user), pk=pk)


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_admin:
        raise PermissionDenied


class ReviewCycleDetailView(View):
    """The cycle's page: its dates and state, who has updated, what is missing, the board's decisions and
    minutes, and the admin's next steps. Leads see their own actions only."""

    template_name = "reviews/cycle_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = _cycle_for(request, pk)
        user = request.user
        actions = Action.objects.filter(plan_id=cycle.plan_id)
        own_part = not (user.is_admin or user.is_board_member)
        if own_part:
            actions = actions_led_by(user=user, actions=actions)
        progress = cycle_progress(cycle=cycle, actions=actions)
        decisions = decisions_by_action(cycle=cycle)
        may_decide = can_record_decisions(user, cycle) and cycle.state != ReviewCycle.State.CLOSED
        return render(
            request,
            self.template_name,
            {
                "cycle": cycle,
                "plan": cycle.plan,
                "progress": progress,
                "own_part": own_part,
                "decisions": decisions,
                "decision_rows": [(row, decisions.get(row.action.pk, [])) for row in progress.rows],
                "minutes": cycle_minutes(cycle=cycle),
                "may_manage": user.is_admin,
                "may_decide": may_decide,
                "today": timezone.localdate(),
            },
        )


class PlanCycleScheduleView(View):
    """An admin schedules a plan's review cycles: one at a time, or a year of quarterly cycles at once."""

    template_name = "reviews/cycle_schedule.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _require_admin(request)
        self.plan = get_object_or_404(plans_visible(user=request.user), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, *, one=None, year=None, status: int = 200) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "plan": self.plan,
                "one": one or ReviewCycleForm(prefix="one"),
                "year": year or ReviewYearForm(prefix="year"),
                "cycles": self.plan.review_cycles.order_by("opens_on"),
                "today": timezone.localdate(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        if "year-first_opens_on_0" in request.POST:
            year = ReviewYearForm(request.POST, prefix="year")
            if year.is_valid():
                try:
                    cycles = review_cycles_schedule_year(
                        plan=self.plan, by=request.user, first_opens_on=year.cleaned_data["first_opens_on"]
                    )
                except ValidationError as error:
                    _add_errors(year, error)
                else:
                    names = ", ".join(cycle.name for cycle in cycles)
                    messages.success(request, f"{len(cycles)} review cycles scheduled: {names}")
                    return HttpResponseRedirect(reverse("reviews:schedule", kwargs={"slug": self.plan.slug}))
            return self.render_page(request, year=year, status=400)
        one = ReviewCycleForm(request.POST, prefix="one")
        if one.is_valid():
            try:
                cycle = review_cycle_create(plan=self.plan, by=request.user, **one.cleaned_data)
            except ValidationError as error:
                _add_errors(one, error)
            else:
                messages.success(request, f"Review cycle {cycle.name} scheduled")
                return HttpResponseRedirect(reverse("reviews:schedule", kwargs={"slug": self.plan.slug}))
        return self.render_page(request, one=one, status=400)


class ReviewCycleChangeView(View):
    """An admin changes a planned cycle's name or dates."""

    template_name = "reviews/cycle_change.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _require_admin(request)
        self.cycle = _cycle_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, form, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"cycle": self.cycle, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.cycle
        initial = {
            "name": cycle.name,
            "opens_on": cycle.opens_on,
            "updates_due_on": cycle.updates_due_on,
            "board_meeting_on": cycle.board_meeting_on,
        }
        return self.render_page(request, ReviewCycleForm(initial=initial, submit="Save changes"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReviewCycleForm(request.POST, submit="Save changes")
        if form.is_valid():
            try:
                cycle = review_cycle_change(cycle=self.cycle, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"Review cycle {cycle.name} changed")
                return HttpResponseRedirect(cycle.get_absolute_url())
        return self.render_page(request, form, status=400)


class ReviewCycleOpenView(View):
    """An admin opens a planned cycle now (before its opening day, or on it before the daily task runs)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require_admin(request)
        cycle = _cycle_for(request, pk)
        try:
            cycle = review_cycle_open(cycle=cycle, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{cycle.name} is open: updates made from today belong to it")
        return HttpResponseRedirect(cycle.get_absolute_url())


class ReviewCycleCloseView(View):
    """An admin closes the cycle after the board meeting; closing freezes the snapshot of every action."""

    template_name = "reviews/cycle_close.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _require_admin(request)
        self.cycle = _cycle_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, form, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        return render(
            request,
            self.template_name,
            {"cycle": self.cycle, "form": form, "before_meeting": today < self.cycle.board_meeting_on},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, CloseCycleForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = CloseCycleForm(request.POST)
        if form.is_valid():
            try:
                review_cycle_close(
                    cycle=self.cycle,
                    by=request.user,
                    before_meeting_confirmed=form.cleaned_data["before_meeting_confirmed"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"{self.cycle.name} is closed: its figures are frozen as they stand now")
                return HttpResponseRedirect(self.cycle.get_absolute_url())
        return self.render_page(request, form, status=400)


class BoardDecisionCreateView(View):
    """The board's decision about one action of the cycle's plan."""

    template_name = "reviews/decision_form.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.cycle = _cycle_for(request, kwargs["pk"])
        if not can_record_decisions(request.user, self.cycle):
            raise PermissionDenied
        self.action = get_object_or_404(Action.objects.select_related("plan"), pk=kwargs["action_pk"])
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, form, status: int = 200) -> HttpResponse:
        context = {"cycle": self.cycle, "action": self.action, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
        return self.render_page(request, BoardDecisionForm())

    def post(self, request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
        form = BoardDecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = board_decision_record(
                    cycle=self.cycle, action=self.action, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                recorded = f"Decision recorded for action {self.action.reference}: {decision.get_kind_display()}"
                messages.success(request, recorded)
                return HttpResponseRedirect(f"{self.cycle.get_absolute_url()}#decisions")
        return self.render_page(request, form, status=400)


class BoardMinutesView(View):
    """The board's summary of the cycle's meeting."""

    template_name = "reviews/minutes_form.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.cycle = _cycle_for(request, kwargs["pk"])
        if not can_record_decisions(request.user, self.cycle):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, form, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"cycle": self.cycle, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        minutes = cycle_minutes(cycle=self.cycle)
        return self.render_page(request, BoardMinutesForm(initial={"text": minutes.text if minutes else ""}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = BoardMinutesForm(request.POST)
        if form.is_valid():
            try:
                board_minutes_save(cycle=self.cycle, by=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "The board's summary has been saved")
                return HttpResponseRedirect(f"{self.cycle.get_absolute_url()}#minutes")
        return self.render_page(request, form, status=400)
