from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from actions.models import Action, needs_attention_on
from themes.models import Plan
from themes.selectors import local_plans_of, plan_national_current, plans_visible

from .cycles import cycle_decisions, cycle_minutes
from .exports import export_csv, export_xlsx
from .filters import DashboardFilter
from .forms import BoardPackForm
from .pdf import PdfUnavailable, pdf_from_html
from .selectors import (
    ThemeFigures,
    actions_as_of,
    actions_at_close,
    actions_for_export,
    board_data_version,
    changes_since,
    cycle_cutoff,
    cycle_day,
    end_of_day,
    figures_from_states,
    is_frozen,
    last_closed_cycle,
    local_plans_rollup,
    national_actions_delivery,
    plan_figures,
    plan_last_updated,
    proposals_as_of,
    proposed_in,
    review_cycles_list,
    trend_across_cycles,
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


def resolve_scope(request: HttpRequest, *, today: date) -> tuple[Plan | None, DashboardFilter | None]:
    """The plan named in the query (by slug) or the national plan in force, and the filters bound to it."""
    slug = request.GET.get("plan", "")
    plan = plans_visible(user=request.user).filter(slug=slug).first() if slug else None
    if plan is None:
        plan = plan_national_current()
    if plan is None:
        return None, None
    filterset = DashboardFilter(
        request.GET or None, queryset=plan.actions.all(), plan=plan, today=today, user=request.user
    )
    return plan, filterset


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
    cache_seconds = 15 * 60

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        query = urlencode(sorted(request.GET.lists()), doseq=True)
        digest = hashlib.sha256(query.encode()).hexdigest()[:32]
        # Admins also read draft plans, so they and everyone else have separate copies.
        readers = "admins" if request.user.is_admin else "readers"
        key = f"reviews:dashboard:{readers}:{today.isoformat()}:{board_data_version()}:{digest}"
        page = cache.get(key)
        if page is None:
            context = self.figures_context(today=today)
            page = {
                "body": render_to_string(self.body_template, context, request=request),
                "plan_title": context["plan"].title if context.get("plan") else "",
                "has_errors": bool(context.get("filter_errors")),
            }
            cache.set(key, page, self.cache_seconds)
        return render(request, "reviews/dashboard.html", page)

    def figures_context(self, *, today: date) -> dict:
        context: dict = {}
        plan, filterset = resolve_scope(self.request, today=today)
        context.update({"plan": plan, "today": today, "day": today})
        if plan is None:
            return context
        actions = filterset.qs
        figures, themes = plan_figures(plan=plan, actions=actions, today=today)
        chosen_theme = filterset.chosen_theme()
        if chosen_theme is not None:
            # Filtered to one theme: the others would only show rows and columns of zeros.
            themes = [item for item in themes if item.theme.number == chosen_theme]
        context.update(
            {
                "filterset": filterset,
                "form": filterset.form,
                "filter_errors": filterset.form.errors if filterset.is_bound else {},
                "selected_filters": filterset.selected_categories(self.request.path),
                "querystring": filterset.querystring(),
                "figures": figures,
                "themes": themes,
                "proposed": proposed_in(themes),
                "changes": changes_since(actions=actions, since=last_closed_cycle(plan=plan), moment=None, day=today),
                "trend": trend_across_cycles(plan=plan, actions=actions, today=today),
                "last_updated": plan_last_updated(actions=actions),
            }
        )
        if plan.is_national:
            local_plans = local_plans_of(plan=plan, user=self.request.user)
            local_filter = DashboardFilter(
                self.request.GET or None,
                queryset=Action.objects.filter(plan__in=local_plans.values("pk")),
                plan=plan,
                local=True,
                today=today,
                user=self.request.user,
            )
            delivery, local_plan_count = national_actions_delivery(actions=actions, local_plans=local_plans)
            context.update(
                {
                    "national_themes": [item.theme for item in themes],
                    "local_rows": local_plans_rollup(
                        local_plans=local_plans,
                        local_actions=local_filter.qs,
                        themes=[item.theme for item in themes],
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
        rows = actions_for_export(actions=filterset.qs)
        filename = f"{slugify(plan.slug)}-actions-{today.isoformat()}"
        return export_xlsx(rows, filename=filename) if fmt == "xlsx" else export_csv(rows, filename=filename)


class BoardPackView(DashboardReaderMixin, TemplateView):
    """A printable pack for a board meeting: figures, themes, the actions needing attention with their latest
    narrative, and what changed since the previous review, as they stood at a review cycle or a date."""

    template_name = "reviews/board_pack.html"

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
                moment = cycle_cutoff(cycle)
                # The day it closed, or its board meeting: not the midnight after it, which is the next day.
                day = cycle_day(cycle)
                shown["cycle"] = str(cycle.pk)
            elif form.cleaned_data.get("date"):
                day = form.cleaned_data["date"]
                moment = end_of_day(day)
                shown["date"] = day.isoformat()
        day = min(day, today)
        # A closed cycle's pack is its snapshot; a date, or a cycle closed before snapshots, is replayed.
        frozen = cycle is not None and is_frozen(cycle)
        as_then = (
            actions_at_close(actions=plan.actions.all(), cycle=cycle)
            if frozen
            else actions_as_of(actions=plan.actions.all(), moment=moment)
        )
        rows = list(
            as_then.select_related("theme", "police_lead", "cps_lead").order_by("theme__number", "reference_sort")
        )
        by_theme: dict[int, list[Action]] = defaultdict(list)
        for action in rows:
            by_theme[action.theme_id].append(action)
        themes = []
        for theme in plan.themes.order_by("number"):
            theme_rows = by_theme[theme.pk]
            attention = [
                action
                for action in theme_rows
                if needs_attention_on(
                    status=action.status_then, rag=action.rag_then, target=action.target_then, day=day
                )
            ]
            themes.append(
                ThemeFigures(theme=theme, figures=figures_from_states(rows=theme_rows, day=day), attention=attention)
            )
        previous = last_closed_cycle(plan=plan, before=moment, exclude=cycle)
        context.update(
            {
                "form": form,
                "date_parts": form.date_parts(),
                "date_boxes": [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)],
                "cycle": cycle,
                "day": day,
                "figures": figures_from_states(rows=rows, day=day),
                "themes": themes,
                "proposals": proposals_as_of(rows=rows),
                "changes": changes_since(actions=plan.actions.all(), since=previous, moment=moment, day=day),
                "dashboard_url": reverse("reviews:dashboard"),
                "decisions": cycle_decisions(cycle=cycle) if cycle else [],
                "minutes": cycle_minutes(cycle=cycle) if cycle else None,
                "pdf_url": f"{reverse('reviews:board_pack_pdf')}?{urlencode(shown)}",
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
            return self.render_to_response(context, status=404)
        form = context["form"]
        if form.is_bound and not form.is_valid():
            return self.render_to_response(context, status=400)
        context["pdf"] = True
        html = render_to_string(self.template_name, context, request=request)
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
