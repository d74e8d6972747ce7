from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from actions.models import Action
from themes.models import Plan
from themes.selectors import local_plans_of, plan_with_themes, plans_national_current, plans_visible

from .board_pack import board_pack, cycle_not_started, pack_moment
from .cycles import cycle_decisions, cycle_minutes
from .exports import ExportScope, export_csv, export_xlsx
from .filters import DashboardFilter
from .forms import BoardPackForm
from .pdf import PdfUnavailable, pdf_from_html
from .recommendation_selectors import STATE_ORDER, recommendation_summary
from .selectors import (
    actions_for_export,
    actions_histories,
    actions_needing_attention,
    board_data_version,
    changes_since,
    end_of_day,
    figures_of,
    latest_closed,
    local_plans_rollup,
    national_actions_delivery,
    plan_closed_cycles,
    plan_figures,
    proposed_actions,
    review_cycles_list,
    snapshot_states,
    trend_across_cycles,
    trend_cycles,
)

logger = logging.getLogger(__name__)


def can_read_dashboards(user) -> bool:
    return bool(getattr(user, "reads_dashboards", False))


class DashboardReaderMixin:
    """Board members, admins and leads read dashboards; nobody else."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not can_read_dashboards(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def resolve_scope(
    request: HttpRequest, *, today: date, data: QueryDict | None = None
) -> tuple[Plan | None, DashboardFilter | None]:
    """The plan named in the query (by slug) or the national plan in force, and the filters (the query, or `data`)
    bound to it."""
    data = request.GET if data is None else data
    slug = data.get("plan", "")
    plan, themes = plan_with_themes(plans_visible(user=request.user).filter(slug=slug)) if slug else (None, [])
    if plan is None:
        plan, themes = plan_with_themes(plans_national_current())
    if plan is None:
        return None, None
    # A local copy that does not apply locally is left out of the plan's figures and exports.
    filterset = DashboardFilter(
        data or None,
        queryset=plan.actions.filter(not_applicable=False),
        plan=plan,
        today=today,
        user=request.user,
        themes=themes,
    )
    return plan, filterset


def local_actions_filter(
    data: QueryDict, *, plan: Plan, local_plans, today: date, user, themes: list | None = None
) -> DashboardFilter:
    """The same filters over the actions of the local plans mirroring `plan` (the theme matched through the
    national theme each local theme mirrors)."""
    return DashboardFilter(
        data or None,
        queryset=Action.objects.filter(plan__in=local_plans.values("pk")),
        plan=plan,
        local=True,
        today=today,
        user=user,
        themes=themes,
    )


CACHED_PAGE_SECONDS = 15 * 60


def cached_page(request: HttpRequest, name: str, build: Callable[[date], dict]) -> dict:
    """The parts of a board page (its body and title, as `build(today)` makes them) from the cache, built on a miss.

    The key holds the query string, the day and `board_data_version()`: any write that can change a figure moves
    the version, so a kept page is never stale, and an unchanged plan is served without recomputing it. Admins
    also read draft plans, so they and everyone else have separate copies; nothing else in it depends on the
    person."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    readers = "admins" if request.user.is_admin else "readers"
    today = timezone.localdate()
    key = f"reviews:{name}:{readers}:{today.isoformat()}:{board_data_version()}:{digest}"
    page = cache.get(key)
    if page is None:
        page = build(today)
        cache.set(key, page, CACHED_PAGE_SECONDS)
    return page


class ReviewCycleListView(DashboardReaderMixin, TemplateView):
    template_name = "reviews/cycle_list.html"

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "cycles": review_cycles_list(user=user),
            # Admins schedule each plan's cycles from here.
            "schedulable": plans_visible(user=user).order_by("kind", "title") if user.is_admin else [],
            "today": timezone.localdate(),
        }


class DashboardView(DashboardReaderMixin, View):
    """Where the plan stands: headline figures, themes, change since the last review, trend, local plans.

    The page's body is rendered from the database and kept in the cache under the query string, the day and
    `board_data_version()`: any write that can change a figure changes the version, so a cached body is never
    stale; an unchanged plan is served without recomputing every figure.
    """

    body_template = "reviews/_dashboard_body.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        def page(today: date) -> dict:
            context = self.figures_context(today=today)
            return {
                "body": render_to_string(self.body_template, context, request=request),
                "plan_title": context["plan"].title if context.get("plan") else "",
                "has_errors": bool(context.get("filter_errors")),
            }

        return render(request, "reviews/dashboard.html", cached_page(request, "dashboard", page))

    def figures_context(self, *, today: date) -> dict:
        context: dict = {}
        plan, filterset = resolve_scope(self.request, today=today)
        context.update({"plan": plan, "today": today, "day": today})
        if plan is None:
            return context
        actions = filterset.qs
        themes = filterset.plan_themes
        chosen_theme = filterset.chosen_theme()
        # One reading of the plan's actions and their status history gives the figures, the change since the last
        # review and the trend.
        histories = actions_histories(actions=actions)
        shown = plan_figures(histories=histories, themes=themes, today=today)
        theme_rows = shown.themes
        if chosen_theme is not None:
            # Filtered to one theme: the others would only show rows of zeros.
            theme_rows = [item for item in theme_rows if item.theme.number == chosen_theme]
        cycles = plan_closed_cycles(plan=plan)
        # Closed cycles with a snapshot are read from it, not replayed: one query for the change's and the trend's.
        since, shown_cycles = latest_closed(cycles), trend_cycles(cycles)
        snapshots = snapshot_states([since, *shown_cycles])
        context.update(
            {
                "filterset": filterset,
                "choices": filterset.select_choices(),
                "form": filterset.form,
                "filter_errors": filterset.form.errors if filterset.is_bound else {},
                "selected_filters": filterset.selected_categories(self.request.path),
                "querystring": filterset.querystring(),
                "theme_querystring": filterset.querystring(drop="theme"),
                "figures": shown.figures,
                "themes": theme_rows,
                # Listed only when there are some: a dashboard with none reads nothing more.
                "proposed": proposed_actions(actions=actions) if shown.figures.completion_proposed else [],
                "changes": changes_since(
                    actions=actions, since=since, moment=None, day=today, histories=histories, snapshots=snapshots
                ),
                "trend": trend_across_cycles(
                    plan=plan,
                    actions=actions,
                    today=today,
                    cycles=shown_cycles,
                    histories=histories,
                    snapshots=snapshots,
                ),
                "last_updated": shown.last_updated,
            }
        )
        if plan.is_national:
            context["recommendations"] = recommendation_summary()
            context["recommendation_states"] = STATE_ORDER
            local_plans = local_plans_of(plan=plan, user=self.request.user)
            local_actions = None  # every action of the local plans
            if filterset.is_bound:
                local_actions = local_actions_filter(
                    self.request.GET,
                    plan=plan,
                    local_plans=local_plans,
                    today=today,
                    user=self.request.user,
                    themes=themes,
                ).qs
            context["local_rows"] = local_plans_rollup(
                local_plans=local_plans, local_actions=local_actions, themes=[], today=today
            )
        return context


class ThemeDashboardView(DashboardReaderMixin, TemplateView):
    """One theme of the dashboard's plan: its figures, its red, amber or overdue actions with their leads, and
    (for the national plan) each local plan's progress in the theme and where its actions are delivered locally.
    The dashboard's filters apply, except the theme, which the address names."""

    template_name = "reviews/theme_dashboard.html"

    def get_context_data(self, **kwargs) -> dict:
        today = timezone.localdate()
        data = self.request.GET.copy()
        data.pop("theme", None)
        plan, filterset = resolve_scope(self.request, today=today, data=data)
        if plan is None:
            raise Http404("No plan has been published yet.")
        plan_themes = filterset.plan_themes
        theme = next((item for item in plan_themes if item.number == self.kwargs["number"]), None)
        if theme is None:
            raise Http404("This plan has no theme with that number.")
        actions = filterset.qs.filter(theme=theme)
        querystring = filterset.querystring()
        context = {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "theme": theme,
            "plan_themes": plan_themes,
            "today": today,
            "filterset": filterset,
            "form": filterset.form,
            "choices": filterset.select_choices(),
            "filter_errors": filterset.form.errors if filterset.is_bound else {},
            "selected_filters": filterset.selected_categories(self.request.path),
            "querystring": querystring,
            "export_querystring": "&".join(part for part in (querystring, f"theme={theme.number}") if part),
            "figures": figures_of(actions=actions, today=today),
            "attention": list(actions_needing_attention(actions=actions, today=today)),
        }
        if plan.is_national:
            local_plans = local_plans_of(plan=plan, user=self.request.user)
            local_filter = local_actions_filter(
                data, plan=plan, local_plans=local_plans, today=today, user=self.request.user, themes=plan_themes
            )
            delivery, local_plan_count = national_actions_delivery(actions=actions, local_plans=local_plans)
            context.update(
                {
                    "local_rows": local_plans_rollup(
                        local_plans=local_plans,
                        local_actions=local_filter.qs.filter(theme__mirrors=theme),
                        themes=[theme],
                        today=today,
                    ),
                    "delivery": delivery,
                    "local_plan_count": local_plan_count,
                }
            )
        return context


class ActionExportView(DashboardReaderMixin, View):
    """The dashboard's filtered action list as CSV or XLSX."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in ("csv", "xlsx"):
            raise Http404("Exports are CSV or XLSX.")
        today = timezone.localdate()
        plan, filterset = resolve_scope(request, today=today)
        if plan is None:
            return HttpResponse("No plan has been published yet.", status=404, content_type="text/plain")
        if filterset.is_bound and not filterset.form.is_valid():
            messages = [
                f"{filterset.form.fields[name].label}: {' '.join(errors)}"
                for name, errors in filterset.form.errors.items()
            ]
            return HttpResponse(
                "The export was not made because a filter is not valid.\n" + "\n".join(messages),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        applied = filterset.applied()
        scope = ExportScope(
            plan_title=plan.title,
            plan_slug=plan.slug,
            filters=[(heading, label) for param, _value, heading, label in applied if param != "plan"],
            filter_names=[
                (param, label if param in ("organisation", "lead") else value)
                for param, value, _heading, label in applied
                if param != "plan"
            ],
            today=today,
        )
        rows = actions_for_export(actions=filterset.qs)
        return export_xlsx(rows, scope=scope) if fmt == "xlsx" else export_csv(rows, scope=scope)


class BoardPackView(DashboardReaderMixin, TemplateView):
    """A printable pack for a board meeting: figures, themes, the actions needing attention with their latest
    narrative, and what changed since the previous review, as they stood at a review cycle or a date."""

    template_name = "reviews/board_pack.html"
    body_template = "reviews/_board_pack_body.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """As the dashboard's, the pack's body is kept in the cache under the query, the day and the data version
        (which decisions and minutes move too): the board reading the pack again before a meeting, the busiest
        time, costs a cache read; any write that could change it makes the next reading recompute it."""
        page = cached_page(request, "board-pack", lambda _today: self.page(self.get_context_data(**kwargs)))
        return render(request, self.template_name, page)

    def page(self, context: dict) -> dict:
        """The page's body and title from the pack's context."""
        plan, cycle, form = context["plan"], context.get("cycle"), context.get("form")
        title = "Board pack"
        if plan is not None:
            when = f"board meeting {format_date(cycle.board_meeting_on, 'j F Y')}" if cycle else ""
            title = f"Board pack: {plan.title}, {when or format_date(context['day'], 'j F Y')}"
        return {
            "body": render_to_string(self.body_template, context, request=self.request),
            "page_title": title,
            "has_errors": bool(form is not None and form.errors),
        }

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        plan, _ = resolve_scope(self.request, today=today)
        context.update({"plan": plan, "today": today})
        if plan is None:
            return context
        form = BoardPackForm(self.request.GET or None, plan=plan)
        cycle, moment, day = None, timezone.now(), today
        # The pack shown, as a link: what the PDF of this pack asks for.
        shown: dict[str, str] = {"plan": plan.slug}
        if form.is_bound and form.is_valid():
            cycle = form.cleaned_data.get("cycle")
            if cycle is not None:
                moment, day = pack_moment(cycle)
                shown["cycle"] = str(cycle.pk)
            elif form.cleaned_data.get("date"):
                day = form.cleaned_data["date"]
                moment = end_of_day(day)
                shown["date"] = day.isoformat()
        day = min(day, today)
        context.update(
            {
                "form": form,
                "date_parts": form.date_parts(),
                "date_boxes": [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)],
                "cycle": cycle,
                "day": day,
                "dashboard_url": reverse("reviews:dashboard"),
                "decisions": cycle_decisions(cycle=cycle) if cycle else [],
                "minutes": cycle_minutes(cycle=cycle) if cycle else None,
                "pdf_url": f"{reverse('reviews:board_pack_pdf')}?{urlencode(shown)}",
                "recommendations": recommendation_summary(moment=moment) if plan.is_national else None,
                "recommendation_states": STATE_ORDER,
            }
        )
        if cycle is not None and cycle_not_started(cycle, today=today):
            # Nothing has happened in it yet: showing today's figures under its name would mislead the board.
            context["not_started"] = True
            return context
        pack = board_pack(plan=plan, cycle=cycle, moment=moment, day=day)
        context.update(
            {
                "figures": pack.figures,
                "themes": pack.themes,
                "proposals": pack.proposals,
                "changes": pack.changes,
                "frozen": pack.frozen,
            }
        )
        return context


class BoardPackPdfView(BoardPackView):
    """The board pack as a PDF to circulate before the meeting: the print view rendered by WeasyPrint (A4, page
    numbers, the pack's title and the OFFICIAL marking in the margins). Who may read it, and the query it takes,
    are the HTML pack's; a query the HTML pack would answer with errors gets that page, with its errors, as 400."""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        plan = context["plan"]
        if plan is None:
            return render(request, self.template_name, self.page(context), status=404)
        form = context["form"]
        if form.is_bound and not form.is_valid():
            return render(request, self.template_name, self.page(context), status=400)
        context["pdf"] = True
        html = render_to_string(self.template_name, {**context, **self.page(context)}, request=request)
        try:
            pdf = pdf_from_html(html=html, base_url=request.build_absolute_uri("/"))
        except PdfUnavailable:
            logger.exception("The board pack PDF could not be made")
            return HttpResponse(
                "The PDF cannot be made on this server at the moment. Print the board pack from your browser instead.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        when = slugify(context["cycle"].name) if context["cycle"] else context["day"].isoformat()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="board-pack-{slugify(plan.slug)}-{when}.pdf"'
        return response
