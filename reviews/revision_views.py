"""The revision pages: the list, a revision (a draft being decided, or what a published one did), the forms that
decide fates and add actions, publishing, and the plan as it stood at each revision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from actionplan.govuk_fields import add_errors
from actions.models import Action
from actions.permissions import can_revise_plan

from .models import Revision, RevisionDecision
from .revision_forms import AddActionForm, DecisionForm, FateForm, RevisionStartForm
from .revision_rules import revision_problems
from .revision_selectors import (
    edition_content,
    plan_editions,
    provisional_references,
    revision_draft_rows,
    revision_report,
    revisions_readable,
)
from .revisions import revision_add_action, revision_decide, revision_publish, revision_remove_decision, revision_start
from .views import DashboardReaderMixin

Fate = RevisionDecision.Fate


class RevisionMixin(DashboardReaderMixin):
    """The revision named in the URL, if the person may read it (drafts: admins only)."""

    def get_revision(self) -> Revision:
        return get_object_or_404(revisions_readable(user=self.request.user), pk=self.kwargs["pk"])

    def get_draft_to_edit(self) -> Revision:
        revision = self.get_revision()
        if not can_revise_plan(self.request.user, revision.plan):
            raise PermissionDenied("Only an admin may revise a plan")
        if not revision.is_draft:
            raise PermissionDenied(f"The revision “{revision.name}” is published: it cannot be changed")
        return revision


class RevisionListView(DashboardReaderMixin, TemplateView):
    template_name = "reviews/revision_list.html"

    def get_context_data(self, **kwargs) -> dict:
        revisions = list(revisions_readable(user=self.request.user))
        plans = []
        for revision in revisions:
            if not plans or plans[-1]["plan"].pk != revision.plan_id:
                plans.append({"plan": revision.plan, "revisions": []})
            plans[-1]["revisions"].append(revision)
        for item in plans:
            item["editions"] = plan_editions(plan=item["plan"], user=self.request.user)
        return {**super().get_context_data(**kwargs), "plans": plans, "can_start": self.request.user.is_admin}


class RevisionStartView(DashboardReaderMixin, View):
    template_name = "reviews/revision_start.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not getattr(request.user, "is_admin", False):
            raise PermissionDenied("Only an admin may revise a plan")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        slug = request.GET.get("plan", "")
        if slug:
            initial["plan"] = RevisionStartForm().fields["plan"].queryset.filter(slug=slug).first()
        return render(request, self.template_name, {"form": RevisionStartForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RevisionStartForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                revision = revision_start(
                    plan=data["plan"],
                    by=request.user,
                    name=data["name"],
                    effective_on=data["effective_on"],
                    rationale=data["rationale"],
                )
            except (ValidationError, PermissionDenied) as error:
                add_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
            else:
                messages.success(request, f"Draft revision “{revision.name}” started")
                return HttpResponseRedirect(revision.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)


class RevisionDetailView(RevisionMixin, TemplateView):
    template_name = "reviews/revision_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        revision = self.get_revision()
        context = {
            **super().get_context_data(**kwargs),
            "revision": revision,
            "plan": revision.plan,
            "report": revision_report(revision=revision),
            "can_edit": revision.is_draft and can_revise_plan(self.request.user, revision.plan),
        }
        if revision.is_draft:
            context["themes"] = revision_draft_rows(revision=revision)
            context["provisional"] = provisional_references(revision=revision)
        return context


class DecisionPageMixin(RevisionMixin):
    """A draft revision and one of its plan's open actions, for an admin."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not getattr(request.user, "reads_dashboards", False):
            raise PermissionDenied
        self.revision = self.get_draft_to_edit()
        self.action = get_object_or_404(
            Action.objects.select_related("theme", "police_lead", "cps_lead"),
            pk=kwargs["action_pk"],
            plan=self.revision.plan,
        )
        if not self.action.is_open:
            raise Http404("Only an open action's fate is decided in a revision")
        self.decision = self.revision.decisions.filter(action=self.action).first()
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status: int = 200, **extra) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "revision": self.revision, "action": self.action, "plan": self.revision.plan, **extra},
            status=status,
        )


class RevisionDecideView(DecisionPageMixin, View):
    """First question: what happens to the action. "Carried forward unchanged" is saved at once; the other answers
    lead to their own questions."""

    template_name = "reviews/revision_decide.html"

    def get(self, request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
        fate = self.decision.fate if self.decision else Fate.CARRIED
        return self.render(FateForm(initial={"fate": fate}))

    def post(self, request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
        form = FateForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        fate = form.cleaned_data["fate"]
        if fate != Fate.CARRIED:
            return HttpResponseRedirect(
                reverse(
                    "reviews:revision_decide_fate",
                    kwargs={"pk": self.revision.pk, "action_pk": self.action.pk, "fate": fate},
                )
            )
        try:
            revision_decide(revision=self.revision, action=self.action, by=request.user, fate=Fate.CARRIED)
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form, status=400)
        messages.success(request, f"Action {self.action.reference}: carried forward unchanged")
        return HttpResponseRedirect(f"{self.revision.get_absolute_url()}#action-{self.action.pk}")


class RevisionDecideFateView(DecisionPageMixin, View):
    """The questions of the chosen fate: the new wording, the action it joins, the reason."""

    template_name = "reviews/revision_decide_fate.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if kwargs["fate"] not in DecisionForm.FATE_FIELDS:
            raise Http404("No such fate")
        self.fate = kwargs["fate"]
        return super().dispatch(request, *args, **kwargs)

    def initial(self) -> dict:
        action, decision = self.action, self.decision
        same = decision is not None and decision.fate == self.fate
        initial = {
            "reason": decision.reason if same else "",
            "theme": action.theme,
            "title": action.title,
            "description": action.description,
            "side": action.side,
            "police_lead": action.police_lead,
            "cps_lead": action.cps_lead,
            "start_date": action.start_date,
            "target_date": action.current_target_date,
        }
        if same and decision.fate == Fate.CHANGED:
            initial.update(
                {
                    "theme": decision.theme,
                    "title": decision.title,
                    "description": decision.description,
                    "side": decision.side,
                    "police_lead": decision.police_lead,
                    "cps_lead": decision.cps_lead,
                    "start_date": decision.start_date,
                    "target_date": decision.target_date,
                }
            )
        if same and decision.fate == Fate.MERGED:
            initial["merge_into"] = decision.into_action
        if same and decision.fate == Fate.SUPERSEDED:
            initial["superseded_by"] = (
                f"new-{decision.successor_id}" if decision.successor_id else f"action-{decision.into_action_id}"
            )
        return initial

    def form(self, data=None) -> DecisionForm:
        return DecisionForm(data, initial=self.initial(), revision=self.revision, action=self.action, fate=self.fate)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return self.render(self.form(), fate_label=dict(Fate.choices)[self.fate])

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                revision_decide(
                    revision=self.revision,
                    action=self.action,
                    by=request.user,
                    fate=self.fate,
                    reason=data.get("reason") or "",
                    into_action=data["into_action"],
                    successor=data["successor"],
                    proposal=form.proposal() if self.fate == Fate.CHANGED else None,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                label = dict(Fate.choices)[self.fate].lower()
                messages.success(request, f"Action {self.action.reference}: {label}")
                return HttpResponseRedirect(f"{self.revision.get_absolute_url()}#action-{self.action.pk}")
        return self.render(form, status=400, fate_label=dict(Fate.choices)[self.fate])


class RevisionAddActionView(RevisionMixin, View):
    """A new action in a draft revision (or a change to one added earlier)."""

    template_name = "reviews/revision_add.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not getattr(request.user, "reads_dashboards", False):
            raise PermissionDenied
        self.revision = self.get_draft_to_edit()
        self.decision = None
        if "decision_pk" in kwargs:
            self.decision = get_object_or_404(self.revision.decisions, pk=kwargs["decision_pk"], fate=Fate.ADDED)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        initial = {}
        if self.decision is not None:
            d = self.decision
            initial = {
                "theme": d.theme,
                "reference": d.reference,
                "title": d.title,
                "description": d.description,
                "side": d.side,
                "police_lead": d.police_lead,
                "cps_lead": d.cps_lead,
                "start_date": d.start_date,
                "target_date": d.target_date,
                "reason": d.reason,
            }
        return self.render(AddActionForm(initial=initial, revision=self.revision))

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        form = AddActionForm(request.POST, revision=self.revision)
        if form.is_valid():
            try:
                decision = revision_add_action(
                    revision=self.revision,
                    by=request.user,
                    proposal=form.proposal(),
                    reason=form.cleaned_data.get("reason") or "",
                    decision=self.decision,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                verb = "changed" if self.decision else "added"
                messages.success(request, f"New action “{decision.title}” {verb}")
                return HttpResponseRedirect(f"{self.revision.get_absolute_url()}#added")
        return self.render(form, status=400)

    def render(self, form, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "revision": self.revision, "decision": self.decision, "plan": self.revision.plan},
            status=status,
        )


class RevisionRemoveDecisionView(RevisionMixin, View):
    """POST: take a decision or a new action out of a draft."""

    def post(self, request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
        revision = self.get_draft_to_edit()
        decision = get_object_or_404(revision.decisions.select_related("action"), pk=decision_pk)
        try:
            revision_remove_decision(revision=revision, decision=decision, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if decision.fate == Fate.ADDED:
                messages.success(request, f"New action “{decision.title}” removed from the revision")
            else:
                messages.success(request, f"Action {decision.action.reference}: carried forward unchanged")
        return HttpResponseRedirect(revision.get_absolute_url())


class RevisionPublishView(RevisionMixin, View):
    """GET: what publishing will do and anything that stops it; POST: publish."""

    template_name = "reviews/revision_publish.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        revision = self.get_draft_to_edit()
        return self.render(revision, problems=revision_problems(revision=revision))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        revision = self.get_revision()
        if not can_revise_plan(request.user, revision.plan):
            raise PermissionDenied("Only an admin may publish a revision")
        try:
            revision_publish(revision=revision, by=request.user)
        except ValidationError as error:
            return self.render(revision, problems=error.messages, status=400)
        messages.success(request, f"Revision “{revision.name}” published")
        return HttpResponseRedirect(revision.get_absolute_url())

    def render(self, revision: Revision, *, problems: list[str], status: int = 200) -> HttpResponse:
        revision.refresh_from_db()
        return render(
            self.request,
            self.template_name,
            {
                "revision": revision,
                "plan": revision.plan,
                "problems": problems,
                "report": revision_report(revision=revision),
            },
            status=status,
        )


class RevisionPlanView(RevisionMixin, TemplateView):
    """The plan as it stood just before or just after a published revision."""

    template_name = "reviews/revision_plan.html"

    def get_context_data(self, **kwargs) -> dict:
        revision = self.get_revision()
        which = self.kwargs["which"]
        if revision.is_draft:
            raise Http404("A draft revision has not changed the plan yet")
        editions = plan_editions(plan=revision.plan, user=self.request.user)
        if which == "before":
            name = revision.replaced_edition or "As first published"
        else:
            name = revision.name
        return {
            **super().get_context_data(**kwargs),
            "revision": revision,
            "plan": revision.plan,
            "which": which,
            "edition_name": name,
            "content": edition_content(revision=revision, which=which),
            "editions": editions,
            "revision_url": reverse("reviews:revision", kwargs={"pk": revision.pk}),
        }
