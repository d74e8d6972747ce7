from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from actionplan.refusals import Refusal
from themes.models import Plan
from themes.selectors import local_plans_of, plan_national_current, plans_visible

from .filters import MyActionsFilterForm, filter_my_actions
from .forms import CompletionDecisionForm, StatusUpdateForm, status_choice
from .models import Action, Status, StatusUpdate
from .permissions import (
    can_create_local_plan,
    can_decide_completion,
    can_edit_local_plan,
    can_update_action,
    closed_to,
    completion_decision_refusal,
    why_cannot_update,
)
from .search import RESULTS_PER_PAGE, SearchForm, actions_search
from .sections import page_sections
from .selectors import (
    action_content_history,
    action_detail_queryset,
    action_local_mirrors,
    action_timeline,
    actions_for_lead,
    group_by_plan,
    group_by_plan_and_theme,
    local_copy_context,
    plan_themes_with_actions,
    status_updates_since,
    theme_actions,
)
from .services import (
    CompletionDecision,
    StaleVersion,
    action_completion_confirm,
    action_completion_decline,
    action_update_status,
    completion_pending_message,
)
from .timeline import timeline_with_entries


class ActionDetailView(TemplateView):
    template_name = "actions/action_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        action = get_object_or_404(action_detail_queryset(user=self.request.user), pk=self.kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "action": action,
            "plan": action.plan,
            "timeline": timeline_with_entries(action=action, updates=action_timeline(action=action)),
            "today": timezone.localdate(),
            "can_update": can_update_action(self.request.user, action) and not action.completion_is_proposed,
            "can_decide_completion": can_decide_completion(self.request.user, action),
            "local_mirrors": action_local_mirrors(action=action) if action.plan.is_national else [],
            "content_history": action_content_history(action=action),
            "page_sections": page_sections("action", request=self.request, obj=action),
            **local_copy_context(action=action, user=self.request.user),
        }


class MyActionsView(TemplateView):
    """The actions the signed-in person leads or their organisation owns, most urgent first."""

    template_name = "actions/my_actions.html"

    def get_context_data(self, **kwargs) -> dict:
        today = timezone.localdate()
        everything = list(actions_for_lead(user=self.request.user, as_of=today))
        form = MyActionsFilterForm(self.request.GET or None, actions=everything)
        actions = filter_my_actions(everything, data=form.valid_data())
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "filter_errors": form.errors if form.is_bound else {},
            "filter_errors_note": "The list below leaves out the filters that are not valid.",
            "selected_filters": form.selected_categories(self.request.path),
            "groups": group_by_plan_and_theme(actions),
            "total_count": len(everything),
            "action_count": len(actions),
            "overdue_count": sum(1 for a in actions if a.flag_overdue),
            "due_soon_count": sum(1 for a in actions if a.flag_due_soon),
            "needs_update_count": sum(1 for a in actions if a.flag_needs_update),
            "today": today,
        }


class ActionUpdateStatusView(View):
    """GET shows the status update form; POST records the update through the service."""

    template_name = "actions/action_update.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.action = get_object_or_404(action_detail_queryset(user=request.user), pk=kwargs["pk"])
        if not can_update_action(request.user, self.action):
            if request.method == "POST" and closed_to(request.user, self.action):
                # Closed while the lead was writing: say so, show what changed and give their text back.
                return self.render_closed_meanwhile(request)
            raise Refusal(
                "You cannot update this action",
                why_cannot_update(request.user, self.action),
                [(f"Go back to action {self.action.reference}", self.action.get_absolute_url())],
            )
        if self.action.completion_is_proposed:
            # Awaiting the other side's confirmation: that decision comes before any other update.
            if request.method == "GET" and can_decide_completion(request.user, self.action):
                return HttpResponseRedirect(reverse("actions:completion", args=[self.action.pk]))
            return self.render_completion_pending(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = StatusUpdateForm(
            action=self.action,
            by=request.user,
            initial={
                "status": status_choice(self.action.status, self.action.closure_reason),
                "rag": self.action.rag,
                "version": self.action.version,
            },
        )
        return self.render(form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = StatusUpdateForm(request.POST, action=self.action, by=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        reopening = self.action.status == Status.CLOSED
        try:
            action_update_status(
                action=self.action,
                by=request.user,
                status=data["status"],
                rag=data["rag"],
                narrative=data["narrative"],
                evidence_url=data["evidence_url"],
                revised_target_date=data["revised_target_date"],
                revision_reason=data["revision_reason"],
                closure_reason=data["closure_reason"],
                expected_version=data["version"],
                effective_on=data.get("effective_on"),
            )
        except StaleVersion as stale:
            return self.render_stale(request, stale)
        except ValidationError as error:
            form.add_rule_errors(error)
            return self.render(form, status=400)
        if reopening:
            messages.success(request, f"Action {self.action.reference} reopened")
        elif self.action.completion_is_proposed:
            messages.success(
                request,
                f"Completion of action {self.action.reference} proposed: "
                f"it is completed when the {self.action.completion_awaited_side_words} lead confirms it",
            )
        else:
            messages.success(request, f"Status of action {self.action.reference} updated")
        return HttpResponseRedirect(self.action.get_absolute_url())

    def render_stale(self, request: HttpRequest, stale: StaleVersion) -> HttpResponse:
        # Keep what the person typed, based on the version that now stands, so a resubmission works.
        data = request.POST.copy()
        data["version"] = str(stale.action.version)
        current = get_object_or_404(action_detail_queryset(user=self.request.user), pk=self.action.pk)
        form = StatusUpdateForm(data, action=current, by=request.user)
        form.is_valid()
        form.non_field_anchor = "changed-meanwhile"
        form.add_error(
            None,
            "Someone else updated this action while you were writing your update, so your update was not saved. "
            "Check what changed, then save your update again.",
        )
        return self.render(form, status=409, action=current, stale=stale)

    def render_closed_meanwhile(self, request: HttpRequest) -> HttpResponse:
        raw = request.POST.get("version", "")
        seen = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
        return render(
            request,
            "actions/action_closed_meanwhile.html",
            {
                "action": self.action,
                "plan": self.action.plan,
                "updates_since": list(status_updates_since(action=self.action, version=seen)),
                "narrative": request.POST.get("narrative", "")[:100_000],
            },
            status=409,
        )

    def render_completion_pending(self, request: HttpRequest) -> HttpResponse:
        """The update page of an action awaiting the other side's confirmation: why it takes no update now, and,
        for a submission, what changed since the form was shown and the person's text back."""
        posted = request.method == "POST"
        raw = request.POST.get("version", "") if posted else ""
        seen = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else self.action.version
        return render(
            request,
            "actions/completion_pending.html",
            {
                "action": self.action,
                "plan": self.action.plan,
                "message": completion_pending_message(self.action),
                "posted": posted,
                "updates_since": list(status_updates_since(action=self.action, version=seen)) if posted else [],
                "narrative": request.POST.get("narrative", "")[:100_000] if posted else "",
            },
            status=409 if posted else 200,
        )

    def render(self, form: StatusUpdateForm, *, status: int = 200, action: Action | None = None, stale=None):
        action = action or self.action
        return render(
            self.request,
            self.template_name,
            {"action": action, "plan": action.plan, "form": form, "stale": stale, "today": timezone.localdate()},
            status=status,
        )


class ActionCompletionView(View):
    """A joint action's proposed completion: the other side's lead (or an admin on their behalf) confirms or
    declines it. GET shows the decision form; POST records it through the service."""

    template_name = "actions/completion_decide.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.action = get_object_or_404(
            action_detail_queryset(user=request.user).select_related("completion_proposed_by"), pk=kwargs["pk"]
        )
        self.today = timezone.localdate()
        if self.action.completion_is_proposed:
            refusal = completion_decision_refusal(request.user, self.action)
            if refusal is not None:
                raise Refusal(
                    "You cannot confirm or decline this completion",
                    [refusal],
                    [(f"Go back to action {self.action.reference}", self.action.get_absolute_url())],
                )
        elif not can_update_action(request.user, self.action):
            raise Refusal(
                "You cannot update this action",
                why_cannot_update(request.user, self.action),
                [(f"Go back to action {self.action.reference}", self.action.get_absolute_url())],
            )
        else:
            # Nothing awaits a decision (already confirmed or declined, or never proposed): say so.
            return self.render_nothing_to_decide(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = CompletionDecisionForm(
            action=self.action, by=request.user, today=self.today, initial={"version": self.action.version}
        )
        return self.render(form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = CompletionDecisionForm(request.POST, action=self.action, by=request.user, today=self.today)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        decide = (
            action_completion_confirm if data["decision"] == CompletionDecision.CONFIRM else (action_completion_decline)
        )
        try:
            decide(action=self.action, by=request.user, reason=data["reason"], expected_version=data["version"])
        except StaleVersion as stale:
            return self.render_stale(request, stale)
        except ValidationError as error:
            form.add_rule_errors(error)
            return self.render(form, status=400)
        if data["decision"] == CompletionDecision.CONFIRM:
            messages.success(request, f"Completion of action {self.action.reference} confirmed: it is completed")
        else:
            messages.success(request, f"Completion of action {self.action.reference} declined: it is back in progress")
        return HttpResponseRedirect(self.action.get_absolute_url())

    def render_stale(self, request: HttpRequest, stale: StaleVersion) -> HttpResponse:
        current = get_object_or_404(
            action_detail_queryset(user=request.user).select_related("completion_proposed_by"), pk=self.action.pk
        )
        if not current.completion_is_proposed or not can_decide_completion(request.user, current):
            return self.render_nothing_to_decide(request, action=current, stale=stale)
        # Declined and proposed again meanwhile: a new proposal, decided afresh on what it now says.
        data = request.POST.copy()
        data["version"] = str(current.version)
        form = CompletionDecisionForm(data, action=current, by=request.user, today=self.today)
        form.is_valid()
        form.add_error(
            None,
            "The proposed completion changed while you were deciding, so your decision was not saved. "
            "Check what changed, then save your decision again.",
        )
        return self.render(form, status=409, action=current, stale=stale)

    def render_nothing_to_decide(
        self, request: HttpRequest, *, action: Action | None = None, stale: StaleVersion | None = None
    ) -> HttpResponse:
        action = action or self.action
        latest = (
            action.updates.exclude(kind=StatusUpdate.Kind.UPDATE)
            .select_related("author", "author__organisation")
            .order_by("-version")
            .first()
        )
        posted = request.method == "POST"
        if stale is not None:
            updates_since = stale.updates_since
        elif posted:
            raw = request.POST.get("version", "")
            seen = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else action.version
            updates_since = list(status_updates_since(action=action, version=seen))
        else:
            updates_since = []
        return render(
            request,
            "actions/completion_decided.html",
            {
                "action": action,
                "plan": action.plan,
                "latest_signoff": latest,
                "posted": posted,
                "updates_since": updates_since,
                "reason": request.POST.get("reason", "")[:100_000] if posted else "",
            },
            status=409 if posted else 200,
        )

    def render(self, form, *, status: int = 200, action: Action | None = None, stale=None) -> HttpResponse:
        action = action or self.action
        return render(
            self.request,
            self.template_name,
            {"action": action, "plan": action.plan, "form": form, "stale": stale, "today": self.today},
            status=status,
        )


# -- The plan and theme pages, which list the actions -----------------------------------------------------------


class PlanPageMixin:
    def plan_context(self, plan: Plan | None) -> dict:
        if plan is None:
            return {"plan": None}
        return {
            "plan": plan,
            "themes": plan_themes_with_actions(plan=plan),
            "local_plans": local_plans_of(plan=plan, user=self.request.user) if plan.is_national else [],
            "today": timezone.localdate(),
            "page_sections": page_sections("plan", request=self.request, obj=plan),
            "can_make_local_plan": plan.is_national
            and plan.accepts_updates
            and can_create_local_plan(self.request.user),
            "can_add_local_action": not plan.is_national and can_edit_local_plan(self.request.user, plan),
        }


class HomeView(PlanPageMixin, TemplateView):
    """`/`: the national plan in force, its five themes and their actions."""

    template_name = "themes/plan_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **self.plan_context(plan_national_current()), "is_home": True}


class PlanDetailView(PlanPageMixin, TemplateView):
    template_name = "themes/plan_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        plan = get_object_or_404(plans_visible(user=self.request.user), slug=self.kwargs["slug"])
        return {**super().get_context_data(**kwargs), **self.plan_context(plan)}


class ThemeDetailView(TemplateView):
    template_name = "themes/theme_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        plan = get_object_or_404(plans_visible(user=self.request.user), slug=self.kwargs["slug"])
        theme = get_object_or_404(plan.themes.select_related("plan"), number=self.kwargs["number"])
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "theme": theme,
            "actions": theme_actions(theme=theme),
            "today": timezone.localdate(),
        }


# -- Search -------------------------------------------------------------------------------------------------------


def pagination_items(page, *, link) -> list[dict]:
    """The GOV.UK pagination's numbered items: the first and last pages, the current one and its neighbours, and
    an ellipsis where pages are left out. `link(number)` gives a page's address."""
    last = page.paginator.num_pages
    wanted = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1)))
    items: list[dict] = []
    for number in wanted:
        if items and number - items[-1]["number"] > 1:
            items.append({"ellipsis": True, "number": number - 1})
        items.append({"number": number, "href": link(number), "current": number == page.number})
    return items


class SearchView(TemplateView):
    """Actions by reference, words of their title or description, or a lead's name, across the plans the person
    may read; a GET form, so a search is a link."""

    template_name = "actions/search.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        searched = "q" in self.request.GET
        form = SearchForm(self.request.GET if searched else None)
        # The page's own search box replaces the header's.
        context.update({"form": form, "searched": searched, "today": timezone.localdate(), "hide_header_search": True})
        if not searched or not form.is_valid():
            return context
        query = form.cleaned_data["q"]
        page = Paginator(actions_search(user=self.request.user, query=query), RESULTS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )

        def link(number: int) -> str:
            return "?" + urlencode({"q": query, **({"page": number} if number > 1 else {})})

        context.update(
            {
                "query": query,
                "page": page,
                "groups": group_by_plan(page.object_list),
                "pages": pagination_items(page, link=link) if page.paginator.num_pages > 1 else [],
                "previous_href": link(page.previous_page_number()) if page.has_previous() else "",
                "next_href": link(page.next_page_number()) if page.has_next() else "",
            }
        )
        return context
