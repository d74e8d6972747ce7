from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from .selectors import action_detail_queryset, action_timeline


class ActionDetailView(TemplateView):
    template_name = "actions/action_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        action = get_object_or_404(action_detail_queryset(), pk=self.kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "action": action,
            "plan": action.plan,
            "timeline": action_timeline(action=action),
            "today": timezone.localdate(),
        }
