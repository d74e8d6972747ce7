from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from simple_history.admin import SimpleHistoryAdmin

from actionplan.constraints import check_constraint_errors
from actionplan.dates import DatePrecision
from actionplan.forms import PeriodDateField
from actionplan.models import User, leads_on_side_q
from themes.admin import theme_label
from themes.models import Plan, Theme

from .local_plans import national_wording_changed
from .models import Action, NationalChange, StatusUpdate, overdue_q
from .validation import SIDE_WORDS, accountability_problem


def action_label(action: Action) -> str:
    """An action as a choice: named with its plan, since local plans repeat the national plan's references."""
    return f"{action.plan.title}: {action.reference} {Truncator(action.title).chars(90)}"


def person_label(person: User) -> str:
    organisation = person.organisation.display_name if person.organisation_id else "no organisation"
    return f"{person} ({organisation})"


def plan_from_request(request: HttpRequest) -> Plan | None:
    """The plan named by `?plan=<id>` on the add page, or None when it is missing or names no plan."""
    raw = request.GET.get("plan", "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return Plan.objects.select_related("mirrors").filter(pk=int(raw)).first()


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        overdue = overdue_q(today=timezone.localdate())
        queryset = queryset.with_current_target()
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class ThemeFilter(admin.SimpleListFilter):
    """Themes named with their plan (every plan has a "1. Supporting victims"); only the chosen plan's themes when
    the list is filtered by plan."""

    title = "theme"
    parameter_name = "theme__id__exact"

    def lookups(self, request, model_admin):
        themes = Theme.objects.select_related("plan").order_by("plan__kind", "plan__title", "number")
        plan = request.GET.get("plan__id__exact", "")
        if plan.isascii() and plan.isdigit():
            themes = themes.filter(plan_id=int(plan))
        return [(str(theme.pk), theme_label(theme)) for theme in themes]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not (value.isascii() and value.isdigit()):
            return queryset.none()
        return queryset.filter(theme_id=int(value))


PROGRESS_FIELDS = (
    "status",
    "closure_reason",
    "completed_on",
    "rag",
    "revised_target_date",
    "revised_target_date_precision",
    "revision_reason",
    "completion_proposed_by",
    "completion_proposed_at",
    "completion_proposed_side",
)
PERIOD_FIELDS = ("start_date", "target_date", "revised_target_date")


class ActionAdminForm(forms.ModelForm):
    """The action's content, within one plan: the page fixes the plan (`fixed_plan`, set by ActionAdmin.get_form)
    and offers only the choices that fit it, each named with its plan."""

    fixed_plan: Plan | None = None

    # Dates typed as the plan published them: a day, a month or a quarter; the precision is kept beside each.
    start_date = PeriodDateField(label="Start date", required=False)
    target_date = PeriodDateField(label="Target date")
    revised_target_date = PeriodDateField(label="Revised target date", required=False)

    class Meta:
        model = Action
        # The plan is not among them: the page fixes it.
        fields = [
            "theme",
            "reference",
            "title",
            "description",
            "side",
            "police_lead",
            "cps_lead",
            "lead_organisations",
            "start_date",
            "target_date",
            "revised_target_date",
            "revision_reason",
            "status",
            "closure_reason",
            "completed_on",
            "rag",
            "mirrors",
            "superseded_by",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.fixed_plan
        if plan is not None:
            self.instance.plan = plan
            self._limit_choices(plan)
        if self.instance.pk:
            for name in PERIOD_FIELDS:
                if name in self.fields:
                    self.initial[name] = getattr(self.instance, f"{name}_text")

    def _clean_period(self, name: str):
        period = self.cleaned_data.get(name)
        setattr(self.instance, f"{name}_precision", period.precision if period else DatePrecision.DAY)
        return period.day if period else None

    def clean_start_date(self):
        return self._clean_period("start_date")

    def clean_target_date(self):
        return self._clean_period("target_date")

    def clean_revised_target_date(self):
        return self._clean_period("revised_target_date")

    def _limit_choices(self, plan: Plan) -> None:
        fields = self.fields
        if "theme" in fields:
            fields["theme"].queryset = plan.themes.select_related("plan").order_by("number")
            fields["theme"].label_from_instance = theme_label
            fields["theme"].error_messages["invalid_choice"] = f"Choose a theme of {plan.title} from the list"
        for name, side in (("police_lead", "police"), ("cps_lead", "cps")):
            if name not in fields:
                continue
            words = SIDE_WORDS[side]
            allowed = leads_on_side_q(side)
            current = getattr(self.instance, f"{name}_id")
            if current is not None:
                # Kept on offer so an edit never drops them unseen; the rules say why they no longer fit.
                allowed |= Q(pk=current)
            field = fields[name]
            field.queryset = (
                User.objects.filter(allowed).select_related("organisation").order_by("last_name", "first_name")
            )
            field.label_from_instance = person_label
            field.help_text = f"People with the lead role in a {words} organisation."
            field.error_messages["invalid_choice"] = (
                f"Choose a {words} lead from the list: a person with the lead role in a {words} organisation"
            )
        if "mirrors" in fields:
            field = fields["mirrors"]
            if plan.mirrors_id is None:
                field.queryset = Action.objects.none()
                field.help_text = "An action of a national plan mirrors no other action: leave this empty."
            else:
                field.queryset = (
                    Action.objects.filter(plan_id=plan.mirrors_id).select_related("plan").order_by("reference_sort")
                )
                field.help_text = f"The action of {plan.mirrors.title} that this local action mirrors."
            field.label_from_instance = action_label
            field.error_messages["invalid_choice"] = "Choose an action of the national plan from the list"
        if "superseded_by" in fields:
            field = fields["superseded_by"]
            same_plan = Q(plan=plan)
            if self.instance.superseded_by_id is not None:
                same_plan |= Q(pk=self.instance.superseded_by_id)
            candidates = Action.objects.filter(same_plan).select_related("plan").order_by("reference_sort")
            if self.instance.pk is not None:
                candidates = candidates.exclude(pk=self.instance.pk)
            field.queryset = candidates
            field.label_from_instance = action_label
            field.error_messages["invalid_choice"] = f"Choose an action of {plan.title} from the list"

    def clean(self) -> dict:
        cleaned = super().clean()
        if "lead_organisations" in self.fields and "side" in cleaned:
            problem = accountability_problem(
                side=cleaned["side"],
                police_lead=cleaned.get("police_lead"),
                cps_lead=cleaned.get("cps_lead"),
                lead_organisations=cleaned.get("lead_organisations") or [],
            )
            if problem and not {"police_lead", "cps_lead", "lead_organisations"} & set(self.errors):
                raise ValidationError(problem)
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        # Django asks only the constraints about the form's own fields; a content edit (a new start date, say) can
        # still break one about a read-only progress field (the revised date): ask every check constraint, so the
        # database never has to refuse it.
        if not self.errors:
            for messages in check_constraint_errors(self.instance).values():
                for message in messages:
                    self.add_error(None, message)

    def _get_validation_exclusions(self):
        # The plan is fixed by the page, not a field of the form; it still takes part in the rules (a reference is
        # unique within its plan), so a duplicate is refused with a message rather than by the database.
        exclude = super()._get_validation_exclusions()
        exclude.discard("plan")
        return exclude

    def add_error(self, field, error):
        """A rule about a read-only field (progress, once the action exists) is shown above the form, naming the
        field, instead of failing for want of a question to put it on."""
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            placed: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    placed.setdefault(name, []).extend(errors)
                    continue
                label = capfirst(Action._meta.get_field(name).verbose_name)
                for item in errors:
                    for message in item.messages:
                        placed.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(f"{label}: {message}"))
            error = ValidationError(placed)
        super().add_error(field, error)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    form = ActionAdminForm
    list_display = [
        "reference",
        "title",
        "plan",
        "side",
        "police_lead",
        "cps_lead",
        "target_date",
        "revised_target_date",
        "status",
        "rag",
    ]
    list_display_links = ["reference", "title"]
    list_filter = ["plan", ThemeFilter, "side", "status", "rag", OverdueFilter]
    search_fields = ["reference", "title", "description", "police_lead__last_name", "cps_lead__last_name"]
    list_select_related = ["plan", "police_lead", "cps_lead"]
    ordering = ["plan", "reference_sort"]
    filter_horizontal = ["lead_organisations"]
    # A completion is proposed, confirmed and declined through the service's sign-off, never edited here.
    readonly_fields = [
        "plan",
        "version",
        "last_update_at",
        "created_at",
        "completion_proposed_by",
        "completion_proposed_at",
        "completion_proposed_side",
    ]
    fieldsets = (
        (None, {"fields": ("plan", "theme", "reference", "title", "description")}),
        ("Ownership", {"fields": ("side", "police_lead", "cps_lead", "lead_organisations")}),
        ("Dates", {"fields": ("start_date", "target_date", "revised_target_date", "revision_reason")}),
        ("Progress", {"fields": ("status", "closure_reason", "completed_on", "rag")}),
        (
            "Joint sign-off",
            {"fields": ("completion_proposed_by", "completion_proposed_at", "completion_proposed_side")},
        ),
        ("Links", {"fields": ("mirrors", "superseded_by")}),
        ("Record", {"fields": ("version", "last_update_at", "created_at")}),
    )
    choose_plan_template = "admin/actions/action/choose_plan.html"

    def get_readonly_fields(self, request, obj=None):
        # Once an action exists, its progress changes only through a status update, which keeps the timeline.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += list(PROGRESS_FIELDS)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        plan = obj.plan if obj is not None else plan_from_request(request)
        return type(form.__name__, (form,), {"fixed_plan": plan})

    def add_view(self, request, form_url="", extra_context=None):
        # An action is added to a plan chosen first (`?plan=<id>`, as the plan's page links), so the form can offer
        # that plan's themes only, with or without JavaScript.
        if plan_from_request(request) is None:
            return self.choose_plan_view(request)
        return super().add_view(request, form_url, extra_context)

    def choose_plan_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        given = request.GET.get("plan")
        kept = [(key, value) for key, value in request.GET.items() if key != "plan"]
        filters = QueryDict(request.GET.get("_changelist_filters", ""))
        suggested = filters.get("plan__id__exact", "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Choose the plan of the new action",
            "plans": Plan.objects.order_by("-kind", "title"),
            "error": "Choose a plan from the list" if given is not None else "",
            "kept": kept,
            "suggested": suggested,
            "is_popup": IS_POPUP_VAR in request.GET,
        }
        return TemplateResponse(request, self.choose_plan_template, context)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST and response.has_header("Location"):
            # The next action goes into the same plan.
            parts = urlsplit(response["Location"])
            query = [(key, value) for key, value in parse_qsl(parts.query) if key != "plan"]
            query.append(("plan", str(obj.plan_id)))
            response["Location"] = urlunsplit(parts._replace(query=urlencode(query)))
        return response

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # A content edit writes only content: a status update saved meanwhile (progress fields and version) is
        # never overwritten by the values this admin page loaded.
        content = [
            f.name
            for f in Action._meta.concrete_fields
            if not f.primary_key
            and f.name not in PROGRESS_FIELDS
            and f.name not in ("version", "last_update_at", "created_at", "not_applicable", "not_applicable_reason")
        ]
        before = Action.objects.filter(pk=obj.pk).values("title", "description").first() or {}
        obj.save(update_fields=content)
        # The local copies of a national action whose wording changed are told, for their leads to answer.
        if obj.plan.is_national and before:
            national_wording_changed(
                national_action=obj,
                old_title=before["title"],
                old_description=before["description"],
                by=request.user,
                source="Changed by an admin",
            )

    def has_delete_permission(self, request, obj=None):
        # An action with status updates keeps them for ever: it is closed, never deleted (no delete button).
        if obj is not None and obj.has_status_updates():
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        kept = Action.objects.filter(pk__in=[action.pk for action in objs]).with_status_updates()
        if kept:
            # Not a matter of permission: the admin's "delete selected" lists these as what stops the deletion.
            reasons = [f"{action}: has status updates, so it cannot be deleted; close it instead" for action in kept]
            return [], {}, set(), reasons
        return super().get_deleted_objects(objs, request)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and obj.has_status_updates() and super().has_delete_permission(request, obj):
            self.message_user(
                request,
                f"“{obj}” has status updates, which are kept for ever, so it cannot be deleted. "
                "To take it out of the plan, close it with a status update (superseded or withdrawn).",
                messages.ERROR,
            )
            return redirect(reverse("admin:actions_action_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """Status updates are append-only: the admin shows them and never changes or deletes them."""

    list_display = ["action", "effective_at", "created_at", "author", "kind", "status_to", "rag_to", "review_cycle"]
    list_filter = ["kind", "status_to", "rag_to", "action__plan"]
    search_fields = ["action__reference", "action__title", "narrative", "author__username"]
    list_select_related = ["action", "author", "review_cycle"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NationalChange)
class NationalChangeAdmin(admin.ModelAdmin):
    """Changes of national wording marked on local copies: answered on the local action's page, read here."""

    list_display = ["local_action", "source", "changed_at", "answer", "answered_by", "answered_at"]
    list_filter = ["answer", "local_action__plan"]
    search_fields = ["local_action__reference", "title_before", "title_after"]
    list_select_related = ["local_action", "answered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
