from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from themes.models import Plan
from themes.selectors import local_plans_of, plan_national_current, plans_visible

from .filters import MyActionsFilterForm, filter_my_actions
from .forms import StatusUpdateForm, status_choice
from .models import Action, Status
from .permissions import can_update_action, closed_to
from .search import RESULTS_PER_PAGE, SearchForm, actions_search
from .selectors import (
    action_content_history,
    action_detail_queryset,
    action_local_mirrors,
    action_timeline,
    actions_for_lead,
    group_by_plan,
    group_by_plan_and_theme,
    plan_themes_with_actions,
    status_updates_since,
    theme_actions,
)
from .services import StaleVersion, action_update_status


class ActionDetailView(TemplateView):
    template_name = "actions/action_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        action = get_object_or_404(action_detail_queryset(user=self.request.user), pk=self.kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "action": action,
            "plan": action.plan,
            "timeline": action_timeline(action=action),
            "today": timezone.localdate(),
            "can_update": can_update_action(self.request.user, action),
            "local_mirrors": action_local_mirrors(action=action) if action.plan.is_national else [],
            "content_history": action_content_history(action=action),
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
            raise PermissionDenied("You cannot update this action.")
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
            )
        except StaleVersion as stale:
            return self.render_stale(request, stale)
        except ValidationError as error:
            form.add_rule_errors(error)
            return self.render(form, status=400)
        if reopening:
            messages.success(request, f"Action {self.action.reference} reopened")
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

    def render(self, form: StatusUpdateForm, *, status: int = 200, action: Action | None = None, stale=None):
        action = action or self.action
        return render(
            self.request,
            self.template_name,
            {"action": action, "plan": action.plan, "form": form, "stale": stale, "today": timezone.localdate()},
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
