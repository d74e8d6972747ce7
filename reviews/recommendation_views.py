"""The recommendation pages: the list with its filters, sources, a recommendation and the actions answering it,
entering recommendations one by one or as a pasted list with a preview, links from either side, and closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from actionplan.govuk_fields import add_errors
from actions.permissions import can_manage_recommendations
from actions.selectors import action_detail_queryset

from .models import FindingSource, Recommendation
from .recommendation_forms import (
    CloseForm,
    FilterForm,
    LinkActionForm,
    LinkRecommendationForm,
    PasteForm,
    RecommendationForm,
    SourceForm,
)
from .recommendation_selectors import (
    progress_of,
    recommendation_detail,
    recommendations_for_action,
    recommendations_linkable,
    recommendations_listed,
    sources_listed,
)
from .recommendations import (
    recommendation_close,
    recommendation_link,
    recommendation_reopen,
    recommendation_save,
    recommendation_unlink,
    recommendations_add_pasted,
    recommendations_parse,
    source_save,
)
from .views import DashboardReaderMixin


class ManagerMixin(DashboardReaderMixin):
    """Admins only: they record and change recommendations."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not can_manage_recommendations(request.user):
            raise PermissionDenied("Only an admin may record or change recommendations")
        return super().dispatch(request, *args, **kwargs)


class RecommendationListView(DashboardReaderMixin, TemplateView):
    template_name = "reviews/recommendation_list.html"

    def get_context_data(self, **kwargs) -> dict:
        form = FilterForm(self.request.GET or None)
        source = form.value("source") if form.is_bound else None
        state = form.value("state") if form.is_bound else None
        addressee = form.value("addressee") if form.is_bound else None
        rows = list(recommendations_listed(source=source, states=[state] if state else None, addressee=addressee))
        return {
            **super().get_context_data(**kwargs),
            "form": form if form.is_bound else FilterForm(),
            "filter_errors": form.errors if form.is_bound else {},
            "rows": [(r, progress_of(r)) for r in rows],
            "sources": sources_listed(),
            "can_manage": can_manage_recommendations(self.request.user),
        }


class SourceSaveView(ManagerMixin, View):
    template_name = "reviews/source_form.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.source = get_object_or_404(FindingSource, pk=kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        initial = {}
        if self.source is not None:
            s = self.source
            initial = {
                "title": s.title,
                "short_title": s.short_title,
                "publisher": s.publisher,
                "kind": s.kind,
                "published_on": s.published_on,
                "url": s.url,
            }
        return self.render(SourceForm(initial=initial))

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        form = SourceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                source = source_save(by=request.user, source=self.source, **data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Source “{source}” saved")
                return HttpResponseRedirect(source.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "source": self.source}, status=status)


class SourceDetailView(DashboardReaderMixin, TemplateView):
    template_name = "reviews/source_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        source = get_object_or_404(FindingSource, pk=self.kwargs["pk"])
        rows = list(recommendations_listed(source=source))
        return {
            **super().get_context_data(**kwargs),
            "source": source,
            "rows": [(r, progress_of(r)) for r in rows],
            "can_manage": can_manage_recommendations(self.request.user),
        }


class RecommendationSaveView(ManagerMixin, View):
    """One recommendation of a source, new or changed."""

    template_name = "reviews/recommendation_form.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if "pk" in kwargs:
            self.recommendation = get_object_or_404(Recommendation.objects.select_related("source"), pk=kwargs["pk"])
            self.source = self.recommendation.source
        else:
            self.recommendation = None
            self.source = get_object_or_404(FindingSource, pk=kwargs["source_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        initial = {"addressee": Recommendation.Addressee.BOTH}
        if self.recommendation is not None:
            r = self.recommendation
            initial = {"number": r.number, "text": r.text, "addressee": r.addressee, "due_on": r.due_on}
        return self.render(RecommendationForm(initial=initial))

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        form = RecommendationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                recommendation = recommendation_save(
                    source=self.source,
                    by=request.user,
                    number=data["number"],
                    text=data["text"],
                    addressee=data["addressee"],
                    due_on=data["due_on"],
                    recommendation=self.recommendation,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Recommendation {recommendation.number} saved")
                if self.recommendation is None and "another" in request.POST:
                    return HttpResponseRedirect(reverse("reviews:recommendation_add", args=[self.source.pk]))
                return HttpResponseRedirect(recommendation.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "source": self.source, "recommendation": self.recommendation},
            status=status,
        )


class RecommendationPasteView(ManagerMixin, View):
    """A numbered list pasted in one go: "Preview" shows what would be recorded and any problem; "Save" records
    every line, or none."""

    template_name = "reviews/recommendation_paste.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.source = get_object_or_404(FindingSource, pk=kwargs["source_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return self.render(PasteForm())

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        form = PasteForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        text, default = form.cleaned_data["text"], form.cleaned_data["default_addressee"]
        preview = recommendations_parse(source=self.source, text=text, default_addressee=default)
        if preview.problems:
            form.add_error("text", preview.problems)
            return self.render(form, preview=preview, status=400)
        if request.POST.get("save") != "yes":
            return self.render(form, preview=preview)
        try:
            created = recommendations_add_pasted(
                source=self.source, by=request.user, text=text, default_addressee=default
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form, preview=preview, status=400)
        messages.success(request, f"{len(created)} recommendation{'s' if len(created) != 1 else ''} saved")
        return HttpResponseRedirect(self.source.get_absolute_url())

    def render(self, form, *, preview=None, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "source": self.source, "preview": preview}, status=status
        )


class RecommendationDetailView(DashboardReaderMixin, View):
    """A recommendation, its state and the actions answering it; for admins the forms that link an action and
    close it with evidence (POST `link` or `close`)."""

    template_name = "reviews/recommendation_detail.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.recommendation = recommendation_detail(pk=kwargs["pk"])
        if self.recommendation is None:
            raise Http404("No such recommendation")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render()

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not can_manage_recommendations(request.user):
            raise PermissionDenied("Only an admin may record or change recommendations")
        recommendation = self.recommendation
        if "close" in request.POST:
            form = CloseForm(request.POST)
            if form.is_valid():
                try:
                    recommendation_close(
                        recommendation=recommendation,
                        by=request.user,
                        evidence=form.cleaned_data["evidence"],
                        evidence_url=form.cleaned_data["evidence_url"],
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, f"Recommendation {recommendation.number} closed")
                    return HttpResponseRedirect(recommendation.get_absolute_url())
            return self.render(close_form=form, status=400)
        if "reopen" in request.POST:
            try:
                recommendation_reopen(recommendation=recommendation, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Recommendation {recommendation.number} reopened")
            return HttpResponseRedirect(recommendation.get_absolute_url())
        form = LinkActionForm(request.POST, recommendation=recommendation)
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                recommendation_link(recommendation=recommendation, action=action, by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Action {action.reference} linked")
                return HttpResponseRedirect(recommendation.get_absolute_url())
        return self.render(link_form=form, status=400)

    def render(self, *, link_form=None, close_form=None, status: int = 200) -> HttpResponse:
        recommendation = self.recommendation
        manager = can_manage_recommendations(self.request.user)
        progress = progress_of(recommendation)
        return render(
            self.request,
            self.template_name,
            {
                "recommendation": recommendation,
                "progress": progress,
                "can_manage": manager,
                "link_form": link_form or (LinkActionForm(recommendation=recommendation) if manager else None),
                "close_form": close_form or CloseForm(),
                "can_close": manager and progress.state == Recommendation.State.ADDRESSED,
                "form": link_form or close_form,
            },
            status=status,
        )


class RecommendationUnlinkView(ManagerMixin, View):
    """POST: remove the link between a recommendation and an action; back to whichever page it came from."""

    def post(self, request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
        recommendation = get_object_or_404(Recommendation.objects.select_related("source"), pk=pk)
        action = get_object_or_404(action_detail_queryset(user=request.user), pk=action_pk)
        try:
            recommendation_unlink(recommendation=recommendation, action=action, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Recommendation {recommendation.number} and action {action.reference} unlinked")
        if request.POST.get("back") == "action":
            return HttpResponseRedirect(action.get_absolute_url())
        return HttpResponseRedirect(recommendation.get_absolute_url())


class ActionRecommendationsView(DashboardReaderMixin, View):
    """The recommendations an action answers, and for admins the form that links another (from the action's side)."""

    template_name = "reviews/action_recommendations.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        self.action = get_object_or_404(action_detail_queryset(user=request.user), pk=kwargs["action_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, action_pk: int) -> HttpResponse:
        return self.render()

    def post(self, request: HttpRequest, action_pk: int) -> HttpResponse:
        if not can_manage_recommendations(request.user):
            raise PermissionDenied("Only an admin may record or change recommendations")
        form = LinkRecommendationForm(request.POST, queryset=recommendations_linkable(action=self.action))
        if form.is_valid():
            recommendation = form.cleaned_data["recommendation"]
            try:
                recommendation_link(recommendation=recommendation, action=self.action, by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Recommendation {recommendation.number} of {recommendation.source} linked")
                return HttpResponseRedirect(self.action.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form=None, status: int = 200) -> HttpResponse:
        manager = can_manage_recommendations(self.request.user)
        if form is None and manager:
            form = LinkRecommendationForm(queryset=recommendations_linkable(action=self.action))
        rows = recommendations_for_action(action=self.action)
        return render(
            self.request,
            self.template_name,
            {
                "action": self.action,
                "plan": self.action.plan,
                "rows": [(r, progress_of(r)) for r in rows],
                "form": form,
                "can_manage": manager,
            },
            status=status,
        )
