"""Reads of actions and their status updates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from themes.models import Plan, ReviewCycle, Theme

from .models import Action, NationalChange, Status, StatusUpdate, due_soon_q, open_q, overdue_q
from .permissions import can_edit_local_plan, can_resolve_national_change


def action_detail_queryset(*, user) -> QuerySet[Action]:
    """The actions the person may read, with everything the action and update pages show."""
    return (
        Action.objects.readable_by(user)
        .select_related(
            "plan",
            "plan__police_force",
            "plan__cps_area",
            "theme",
            "theme__plan",
            "police_lead",
            "cps_lead",
            "police_lead__organisation",
            "cps_lead__organisation",
            "mirrors",
            "mirrors__plan",
        )
        .prefetch_related("lead_organisations")
    )


def action_timeline(*, action: Action) -> QuerySet[StatusUpdate]:
    """The action's status updates, the latest to happen first, with their authors."""
    return action.updates.select_related("author", "author__organisation", "review_cycle").order_by(
        "-effective_at", "-id"
    )


def status_updates_since(*, action: Action, version: int) -> QuerySet[StatusUpdate]:
    """The action's status updates recorded after `version`, oldest first, with their authors."""
    return (
        action.updates.filter(version__gt=version)
        .select_related("author", "author__organisation")
        .order_by("version", "id")
    )


# -- Plan and theme pages


def _actions_for_listing() -> QuerySet[Action]:
    pending = NationalChange.objects.filter(local_action=OuterRef("pk"), answer=NationalChange.Answer.PENDING)
    return (
        Action.objects.select_related("police_lead", "cps_lead")
        .with_current_target()
        .annotate(national_change_pending=Exists(pending))
        .order_by("reference_sort")
    )


def plan_themes_with_actions(*, plan: Plan) -> QuerySet[Theme]:
    """The plan's themes in order, each with its actions (and their leads) prefetched."""
    return plan.themes.order_by("number").prefetch_related(Prefetch("actions", queryset=_actions_for_listing()))


def theme_actions(*, theme: Theme) -> QuerySet[Action]:
    return _actions_for_listing().filter(theme=theme).prefetch_related("lead_organisations")


# -- My actions ---------------------------------------------------------------------------------------------------


class Urgency:
    """Order of My actions within a theme: the most urgent first."""

    OVERDUE = 0
    NEEDS_UPDATE = 1
    DUE_SOON = 2
    OPEN = 3
    DONE = 4


def actions_for_lead(*, user, as_of: date) -> QuerySet[Action]:
    """The actions the person leads or whose owning organisation they belong to, flagged and most urgent first.

    Each action carries `current_target`, `flag_overdue`, `flag_due_soon` (see `due_soon_days()`), `flag_needs_update`
    (open, and no status update linked to the plan's review cycle whose window contains `as_of`),
    `current_cycle_id`, `urgency`, `led_by_me` and `owned_by_my_organisation`; ordered by plan (national first),
    theme, urgency, target date. Runs as one query whatever the number of actions.
    """
    led = Q(police_lead_id=user.pk) | Q(cps_lead_id=user.pk)
    mine = led
    owned_by_organisation: Q | Value = Value(False)
    if user.organisation_id is not None:
        owned = Action.lead_organisations.through.objects.filter(organisation_id=user.organisation_id)
        owned_by_organisation = Q(pk__in=owned.values("action_id"))
        mine = led | owned_by_organisation

    is_open = open_q()
    current_cycle = ReviewCycle.objects.taking_updates(on=as_of).filter(plan_id=OuterRef("plan_id")).values("id")[:1]
    updated_in_cycle = StatusUpdate.objects.filter(
        action_id=OuterRef("pk"), review_cycle_id=OuterRef("current_cycle_id")
    )
    overdue = overdue_q(today=as_of)
    due_soon = due_soon_q(today=as_of)
    needs_update = is_open & Q(current_cycle_id__isnull=False, updated_in_cycle=False)

    return (
        Action.objects.taking_updates()
        .filter(mine)
        .select_related("plan", "theme", "police_lead", "cps_lead")
        .with_current_target()
        .annotate(
            current_cycle_id=Subquery(current_cycle),
            updated_in_cycle=Exists(updated_in_cycle),
            national_change_pending=Exists(
                NationalChange.objects.filter(local_action=OuterRef("pk"), answer=NationalChange.Answer.PENDING)
            ),
        )
        .annotate(
            flag_overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
            flag_due_soon=ExpressionWrapper(due_soon, output_field=BooleanField()),
            flag_needs_update=ExpressionWrapper(needs_update, output_field=BooleanField()),
            led_by_me=ExpressionWrapper(led, output_field=BooleanField()),
            owned_by_my_organisation=ExpressionWrapper(owned_by_organisation, output_field=BooleanField()),
            urgency=Case(
                When(overdue, then=Value(Urgency.OVERDUE)),
                When(needs_update, then=Value(Urgency.NEEDS_UPDATE)),
                When(due_soon, then=Value(Urgency.DUE_SOON)),
                When(is_open, then=Value(Urgency.OPEN)),
                default=Value(Urgency.DONE),
                output_field=IntegerField(),
            ),
        )
        .annotate(plan_rank=Case(When(plan__kind="national", then=Value(0)), default=Value(1)))
        .order_by("plan_rank", "plan__title", "plan_id", "theme__number", "urgency", "current_target", "reference_sort")
    )


@dataclass
class ThemeGroup:
    theme: Theme
    actions: list[Action]


@dataclass
class PlanGroup:
    plan: Plan
    themes: list[ThemeGroup]


def group_by_plan_and_theme(actions: Iterable[Action]) -> list[PlanGroup]:
    """Group an ordered list of actions (as `actions_for_lead` gives them) by plan, then theme."""
    groups: list[PlanGroup] = []
    for action in actions:
        if not groups or groups[-1].plan.pk != action.plan_id:
            groups.append(PlanGroup(plan=action.plan, themes=[]))
        themes = groups[-1].themes
        if not themes or themes[-1].theme.pk != action.theme_id:
            themes.append(ThemeGroup(theme=action.theme, actions=[]))
        themes[-1].actions.append(action)
    return groups


def group_by_plan(actions: Iterable[Action]) -> list[PlanResults]:
    """Group an ordered list of actions (with their plans) by plan, in the order they come."""
    groups: list[PlanResults] = []
    for action in actions:
        if not groups or groups[-1].plan.pk != action.plan_id:
            groups.append(PlanResults(plan=action.plan, actions=[]))
        groups[-1].actions.append(action)
    return groups


@dataclass
class PlanResults:
    plan: Plan
    actions: list[Action]


# -- Action page --------------------------------------------------------------------------------------------------


def action_local_mirrors(*, action: Action) -> QuerySet[Action]:
    """The local actions that mirror a national action, with their plan's force and Area."""
    return (
        action.local_actions.select_related("plan", "plan__police_force", "plan__cps_area")
        .with_current_target()
        .order_by("plan__police_force__name", "plan__cps_area__name", "plan__title")
    )


# Fields of an action that content edits change; progress fields change only through status updates.
HISTORY_SKIPPED_FIELDS = {"reference_sort", "version", "last_update_at", "created_at"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ContentEdit:
    when: datetime
    who: object
    kind: str
    changes: list[FieldChange]
    reason: str


def _display(record, field_obj) -> str:
    value = getattr(record, field_obj.attname)
    if value in (None, ""):
        return "(blank)"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


# The history of the action's lead organisations: one row per organisation per historical record.
ORGANISATIONS_HISTORY = Action.history.model._meta.get_field("historicalaction_lead_organisations")


def _organisations(record) -> dict[int, str]:
    return {row.organisation_id: str(row.organisation) for row in record.organisation_rows}


def action_content_history(*, action: Action, limit: int = 50) -> list[ContentEdit]:
    """The action's content edits (from its django-simple-history records), newest first, with what changed."""
    organisations = Prefetch(
        ORGANISATIONS_HISTORY.get_accessor_name(),
        queryset=ORGANISATIONS_HISTORY.related_model.objects.select_related("organisation").order_by(
            "organisation__name"
        ),
        to_attr="organisation_rows",
    )
    records = list(
        action.history.select_related("history_user")
        .prefetch_related(organisations)
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    fields = [
        f
        for f in Action._meta.concrete_fields
        if f.name not in HISTORY_SKIPPED_FIELDS and f.name != "id" and not f.is_relation
    ]
    relations = [f for f in Action._meta.concrete_fields if f.is_relation and f.name not in HISTORY_SKIPPED_FIELDS]
    edits: list[ContentEdit] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            for f in fields:
                if getattr(record, f.attname) != getattr(previous, f.attname):
                    long_text = f.get_internal_type() == "TextField"
                    changes.append(
                        FieldChange(
                            label=str(f.verbose_name).capitalize(),
                            old="" if long_text else _display(previous, f),
                            new="" if long_text else _display(record, f),
                        )
                    )
            for f in relations:
                if getattr(record, f.attname) != getattr(previous, f.attname):
                    changes.append(FieldChange(label=str(f.verbose_name).capitalize(), old="", new=""))
            before, after = _organisations(previous), _organisations(record)
            if before != after:
                changes.append(
                    FieldChange(
                        label="Lead organisations",
                        old=", ".join(before.values()) or "(none)",
                        new=", ".join(after.values()) or "(none)",
                    )
                )
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}.get(record.history_type, "Changed")
        edits.append(
            ContentEdit(
                when=record.history_date,
                who=record.history_user,
                kind=kind,
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return edits


def local_copy_context(*, action: Action, user) -> dict:
    """What the action page shows of a local copy of a national action: "not applicable locally", and a change
    of the national wording awaiting an answer, with the answers given before."""
    if action.mirrors_id is None:
        return {"pending_change": None, "answered_changes": [], "can_mark_not_applicable": False}
    changes = list(action.national_changes.select_related("answered_by").order_by("-changed_at", "-id"))
    open_copy = action.status not in (Status.COMPLETED, Status.CLOSED)
    return {
        "pending_change": next((c for c in changes if c.is_pending), None),
        "answered_changes": [c for c in changes if not c.is_pending],
        "can_mark_not_applicable": can_edit_local_plan(user, action.plan) and (open_copy or action.not_applicable),
        "can_answer_change": can_resolve_national_change(user, action),
    }
