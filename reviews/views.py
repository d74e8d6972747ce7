from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView


from .selectors import review_cycles_list


class ReviewCycleListView(TemplateView):
    template_name = "reviews/cycle_list.html"

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "cycles": review_cycles_list(), "today": timezone.localdate()}


class ReviewCycleDetailView(TemplateView):
    template_name = "reviews/cycle_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        cycle = get_object_or_404(review_cycles_list(), pk=self.kwargs["pk"])
        updates = cycle.status_updates.select_related("action", "author").order_by("action__reference_sort", "-created_at")
        return {
            **super().get_context_data(**kwargs),
            "cycle": cycle,
            "updates": updates,
            "today": timezone.localdate(),
        }


