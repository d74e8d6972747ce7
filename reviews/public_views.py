"""The public progress page (no sign-in) and the admin's pages that switch it on and approve its summaries."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from actionplan.govuk_fields import add_errors
from actions.models import Status
from actions.permissions import can_manage_public_page
from themes.selectors import plans_visible

from .models import PublicPage
from .public_forms import PublicPageForm, PublicSummaryForm
from .public_pages import public_page_save, public_summary_approve, public_summary_withdraw
from .public_selectors import public_page_content, public_page_of, public_summaries_to_write
from .selectors import board_data_version

CACHE_SECONDS = 15 * 60


@login_not_required
@require_GET
def public_progress(request: HttpRequest, slug: str) -> HttpResponse:
    """A plan's progress for the public. Rendered without the request, so the page is the same for everyone and
    sets no cookie, and kept in the cache under the data version: a change of the plan, its summaries or the
    page's settings shows at once. Browsers and proxies may keep a copy but must check it each time (`no-cache`
    with an ETag, answered 304 when unchanged), so a page switched off is gone at once: 404."""
    page = public_page_of(slug=slug[:80])
    if page is None:
        response = HttpResponse(render_to_string("public/not_found.html"), status=404)
        response["Cache-Control"] = "no-store"
        return response
    today = timezone.localdate()
    key = f"public:progress:{page.pk}:{today.isoformat()}:{board_data_version()}"
    body = cache.get(key)
    if body is None:
        themes = public_page_content(page=page, today=today)
        totals = {
            name: sum(getattr(theme.figures, name) for theme in themes)
            for name in ("total", "completed", "in_progress", "not_started", "closed", "green", "amber", "red")
        }
        body = render_to_string(
            "public/progress.html",
            {"page": page, "plan": page.plan, "themes": themes, "totals": totals, "today": today},
        )
        cache.set(key, body, CACHE_SECONDS)
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body)
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


class PublicPageMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.plan = get_object_or_404(plans_visible(user=request.user), slug=kwargs["slug"])
        if not can_manage_public_page(request.user, self.plan):
            raise PermissionDenied("Only an admin may change the public progress page")
        self.page = PublicPage.objects.filter(plan=self.plan).first()
        return super().dispatch(request, *args, **kwargs)


class PublicPageSettingsView(PublicPageMixin, View):
    """Switch the plan's public page on or off, choose what it shows, and see the summaries to approve."""

    template_name = "reviews/public_page_settings.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        page = self.page
        initial = {
            "enabled": page.enabled if page else False,
            "introduction": page.introduction if page else "",
            "show_names": page.show_names if page else False,
            "show_rag": page.show_rag if page else False,
            "show_dates": page.show_dates if page else False,
        }
        return self.render(PublicPageForm(initial=initial))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = PublicPageForm(request.POST)
        if form.is_valid():
            try:
                page = public_page_save(plan=self.plan, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                state = "published" if page.enabled else "switched off"
                messages.success(request, f"Public progress page {state}")
                return HttpResponseRedirect(request.path)
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "plan": self.plan,
                "page": self.page,
                "public_url": self.request.build_absolute_uri(
                    reverse("public:progress", kwargs={"slug": self.plan.slug})
                ),
                "actions": public_summaries_to_write(plan=self.plan),
            },
            status=status,
        )


class PublicSummaryView(PublicPageMixin, View):
    """Write and approve the public summary of one completed action (POST `withdraw` takes it off)."""

    template_name = "reviews/public_summary.html"

    def get_action(self):
        return get_object_or_404(
            self.plan.actions.select_related("public_summary"), pk=self.kwargs["action_pk"], status=Status.COMPLETED
        )

    def get(self, request: HttpRequest, slug: str, action_pk: int) -> HttpResponse:
        action = self.get_action()
        summary = getattr(action, "public_summary", None)
        return self.render(PublicSummaryForm(initial={"text": summary.text if summary else ""}), action)

    def post(self, request: HttpRequest, slug: str, action_pk: int) -> HttpResponse:
        action = self.get_action()
        form = PublicSummaryForm(request.POST)
        if "withdraw" in request.POST:
            try:
                public_summary_withdraw(action=action, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Public summary of action {action.reference} withdrawn")
            return HttpResponseRedirect(reverse("reviews:public_page", kwargs={"slug": self.plan.slug}))
        if form.is_valid():
            try:
                public_summary_approve(action=action, by=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Public summary of action {action.reference} approved")
                return HttpResponseRedirect(reverse("reviews:public_page", kwargs={"slug": self.plan.slug}))
        return self.render(form, action, status=400)

    def render(self, form, action, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "plan": self.plan, "action": action, "summary": getattr(action, "public_summary", None)},
            status=status,
        )
