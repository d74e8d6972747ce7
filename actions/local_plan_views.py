"""The local plan pages: making a local plan from the national plan, local additions, "not applicable locally",
and answering a change of the national action's wording."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views import View

from actionplan.govuk_fields import add_errors
from themes.selectors import plans_visible

from .local_plan_forms import KeepLocalWordingForm, LocalActionForm, LocalPlanForm, NotApplicableForm
from .local_plans import (
    local_action_add,
    local_action_set_not_applicable,
    local_plan_create,
    national_change_accept,
    national_change_keep_local,
)
from .models import NationalChange
from .permissions import can_create_local_plan, can_edit_local_plan, can_resolve_national_change
from .selectors import action_detail_queryset


class LocalPlanCreateView(View):
    """A local plan for a police force and a CPS Area, made from the national plan in one step."""

    template_name = "themes/local_plan_new.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not can_create_local_plan(request.user):
            raise PermissionDenied("Only an admin may make a local plan")
        self.national = get_object_or_404(plans_visible(user=request.user), slug=kwargs["slug"], kind="national")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render(LocalPlanForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = LocalPlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = local_plan_create(
                    national=self.national,
                    police_force=data["police_force"],
                    cps_area=data["cps_area"],
                    police_lead=data["police_lead"],
                    cps_lead=data["cps_lead"],
                    publish=data["publish"] == "yes",
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Local plan “{plan.title}” made with {plan.actions.count()} actions")
                return HttpResponseRedirect(plan.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "plan": self.national}, status=status)


class LocalActionAddView(View):
    """An action of a local plan with no national counterpart."""

    template_name = "themes/local_action_new.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.plan = get_object_or_404(plans_visible(user=request.user), slug=kwargs["slug"], kind="local")
        if not can_edit_local_plan(request.user, self.plan):
            raise PermissionDenied("Only an admin may add actions to a local plan")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render(LocalActionForm(plan=self.plan))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = LocalActionForm(request.POST, plan=self.plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = local_action_add(local_plan=self.plan, by=request.user, **data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Local action {action.reference} added")
                return HttpResponseRedirect(action.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "plan": self.plan}, status=status)


class NotApplicableView(View):
    """Mark a local copy "not applicable locally" with the reason, or make it apply again."""

    template_name = "actions/not_applicable.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.action = get_object_or_404(action_detail_queryset(user=request.user), pk=kwargs["pk"])
        if not can_edit_local_plan(request.user, self.action.plan):
            raise PermissionDenied("Only an admin may say a local action is not applicable")
        if self.action.mirrors_id is None:
            raise Http404("Only a local copy of a national action can be not applicable locally")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(NotApplicableForm(initial={"reason": self.action.not_applicable_reason}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = NotApplicableForm(request.POST)
        applies = request.POST.get("applies") == "yes"
        if form.is_valid():
            try:
                local_action_set_not_applicable(
                    action=self.action, by=request.user, not_applicable=not applies, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if applies:
                    messages.success(request, f"Action {self.action.reference} applies locally again")
                else:
                    messages.success(request, f"Action {self.action.reference} marked not applicable locally")
                return HttpResponseRedirect(self.action.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        context = {"form": form, "action": self.action, "plan": self.action.plan}
        return render(self.request, self.template_name, context, status=status)


class NationalChangeView(View):
    """The national action's wording before and after; the local lead or an admin accepts it or keeps the local
    wording with a reason (POST `answer=accept` or `answer=keep`)."""

    template_name = "actions/national_change.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.action = get_object_or_404(action_detail_queryset(user=request.user), pk=kwargs["pk"])
        self.change = self.action.national_changes.filter(answer=NationalChange.Answer.PENDING).first()
        if self.change is None:
            raise Http404("No change of the national action awaits an answer")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(KeepLocalWordingForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not can_resolve_national_change(request.user, self.action):
            raise PermissionDenied(
                "Only the local action's lead or an admin may answer a change of the national action"
            )
        form = KeepLocalWordingForm(request.POST)
        answer = request.POST.get("answer")
        if answer not in ("accept", "keep"):
            form.is_valid()
            form.add_error(None, "Choose to use the new national wording or to keep the local wording")
            return self.render(form, status=400)
        if form.is_valid():
            try:
                if answer == "accept":
                    national_change_accept(change=self.change, by=request.user)
                else:
                    national_change_keep_local(change=self.change, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                if answer == "accept":
                    messages.success(request, f"Action {self.action.reference} now has the national wording")
                else:
                    messages.success(request, f"Action {self.action.reference} keeps its local wording")
                return HttpResponseRedirect(self.action.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "action": self.action,
                "plan": self.action.plan,
                "change": self.change,
                "can_answer": can_resolve_national_change(self.request.user, self.action),
            },
            status=status,
        )
