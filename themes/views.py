from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from .models import Plan
from .selectors import local_plans_of, plan_national_current, plan_themes_with_actions, plans_visible, theme_actions


class PlanPageMixin:
    def plan_context(self, plan: Plan | None) -> dict:
        if plan is None:
            return {"plan": None}
        return {
            "plan": plan,
            "themes": plan_themes_with_actions(plan=plan),
            "local_plans": local_plans_of(plan=plan) if plan.is_national else [],
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
        plan = get_object_or_404(plans_visible(), slug=self.kwargs["slug"])
        return {**super().get_context_data(**kwargs), **self.plan_context(plan)}


class ThemeDetailView(TemplateView):
    template_name = "themes/theme_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        plan = get_object_or_404(plans_visible(), slug=self.kwargs["slug"])
        theme = get_object_or_404(plan.themes.select_related("plan"), number=self.kwargs["number"])
        return {
            **super().get_context_data(**kwargs),
            "plan": plan,
            "theme": theme,
            "actions": theme_actions(theme=theme),
            "today": timezone.localdate(),
        }
