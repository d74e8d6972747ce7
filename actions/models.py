"""Actions of a plan and the append-only record of their status updates."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actionplan.dates import DatePrecision, format_period
from themes.models import Plan


class Side(models.TextChoices):
    POLICE = "police", "Police"
    CPS = "cps", "CPS"
    JOINT = "joint", "Joint"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Rag(models.TextChoices):
    """Confidence of delivery by the (revised) target date."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


RAG_SEVERITY = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
# Completed and closed actions: delivery confidence means nothing for them, so it may be left blank (a historic
# action brought in as done often has none).
DONE_STATUSES = (Status.COMPLETED, Status.CLOSED)


def reference_sort_key(reference: str) -> str:
    """'2.10' sorts after '2.9': zero-pad every run of digits."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), reference.strip().lower())


# -- The rules about an action's progress, in one place ----------------------------------------------------------
# Each rule has a form for values (an action, or its status and dates as they stood on a day, replayed from its
# history) and a form for the database (a Q over actions annotated with `current_target`). The model methods and
# the queryset methods below use them, and so does every page, export, email and admin column.


def due_soon_days() -> int:
    """How far ahead "due soon" looks: the DUE_SOON_DAYS setting (30 days unless set)."""
    return settings.DUE_SOON_DAYS


def is_open_status(status: str) -> bool:
    """Open: not started or in progress; completed and closed actions are done."""
    return status in OPEN_STATUSES


def is_overdue_on(*, status: str, target: date, day: date) -> bool:
    """Open with its (current) target date before `day`."""
    return is_open_status(status) and target < day


def is_due_soon_on(*, status: str, target: date, day: date) -> bool:
    """Open with its target date from `day` to `due_soon_days()` after it."""
    return is_open_status(status) and day <= target <= day + timedelta(days=due_soon_days())


# Amber means "at risk: delivery by the target date needs attention" (the RAG hint leads read), so it counts.
ATTENTION_RAGS = (Rag.RED, Rag.AMBER)


def needs_attention_on(*, status: str, rag: str, target: date, day: date) -> bool:
    """Needs the board's attention: open, and red, amber or overdue."""
    return is_open_status(status) and (rag in ATTENTION_RAGS or target < day)


def current_target_expression() -> Coalesce:
    """The current target date in the database: the revised date when there is one, else the original."""
    return Coalesce("revised_target_date", "target_date")


def open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_q(*, today: date, target: str = "current_target") -> Q:
    """Actions annotated with `current_target` (or the named target column) that are overdue on `today`."""
    return open_q() & Q(**{f"{target}__lt": today})


def due_soon_q(*, today: date, target: str = "current_target") -> Q:
    return open_q() & Q(**{f"{target}__gte": today, f"{target}__lte": today + timedelta(days=due_soon_days())})


def needs_attention_q(*, today: date, target: str = "current_target") -> Q:
    return open_q() & (Q(rag__in=ATTENTION_RAGS) | Q(**{f"{target}__lt": today}))


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(open_q())

    def with_current_target(self) -> ActionQuerySet:
        return self.annotate(current_target=current_target_expression())

    def overdue(self, *, today: date) -> ActionQuerySet:
        return self.with_current_target().filter(overdue_q(today=today))

    def due_soon(self, *, today: date) -> ActionQuerySet:
        return self.with_current_target().filter(due_soon_q(today=today))

    def needing_attention(self, *, today: date) -> ActionQuerySet:
        return self.with_current_target().filter(needs_attention_q(today=today))

    def readable_by(self, user) -> ActionQuerySet:
        """The actions of the plans the person may read (see `PlanQuerySet.readable_by`)."""
        return self.filter(plan__in=Plan.objects.readable_by(user))

    def taking_updates(self) -> ActionQuerySet:
        """Actions of published plans: the only ones updated and reminded about."""
        return self.filter(plan__status=Plan.Status.PUBLISHED)


class Action(models.Model):
    plan = models.ForeignKey("themes.Plan", on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey("themes.Theme", on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(max_length=20, help_text="Unique within the plan, for example “2.3”.")
    reference_sort = models.CharField(max_length=80, editable=False, db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    side = models.CharField(max_length=10, choices=Side.choices)
    police_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="police_led_actions"
    )
    cps_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cps_led_actions"
    )
    lead_organisations = models.ManyToManyField(
        "actionplan.Organisation",
        blank=True,
        related_name="owned_actions",
        help_text="The organisations accountable for the action.",
    )

    start_date = models.DateField(null=True, blank=True, help_text="Left blank when the plan published none.")
    target_date = models.DateField(help_text="The original target date; a later date goes in the revised target date.")
    revised_target_date = models.DateField(null=True, blank=True)
    # A published plan often gives a month ("Dec 2021") or a quarter ("Q1 2022"): the date is then the period's
    # last day, and the precision says how to show it.
    start_date_precision = models.CharField(max_length=20, choices=DatePrecision.choices, default=DatePrecision.DAY)
    target_date_precision = models.CharField(max_length=20, choices=DatePrecision.choices, default=DatePrecision.DAY)
    revised_target_date_precision = models.CharField(
        max_length=20, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    revision_reason = models.TextField(blank=True, help_text="Why the target date was revised.")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    closure_reason = models.CharField(max_length=12, choices=ClosureReason.choices, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    rag = models.CharField(
        "delivery confidence",
        max_length=5,
        choices=Rag.choices,
        default=Rag.GREEN,
        blank=True,
        help_text="Blank only for a completed or closed action.",
    )

    # In a local plan, the national action this one mirrors.
    mirrors = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="local_actions")
    # When a revision supersedes this action, the action that carries it forward.
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )

    # Incremented on every status update: the form carries it to refuse lost updates.
    version = models.PositiveIntegerField(default=1)
    last_update_at = models.DateTimeField(null=True, blank=True)
    # When the action joined the plan: the board's "as at" figures leave out actions created later. An action
    # brought in with its history has an earlier date than the moment it was recorded (its history says when).
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[lead_organisations])

    class Meta:
        ordering = ["plan", "reference_sort"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="action_reference_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__lte=models.F("target_date")),
                name="action_start_before_target",
                violation_error_message="The target date must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(revised_target_date__isnull=True)
                    | Q(start_date__isnull=True)
                    | Q(revised_target_date__gte=models.F("start_date"))
                ),
                name="action_revised_after_start",
                violation_error_message="The revised target date must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(revised_target_date__isnull=True) | ~Q(revision_reason=""),
                name="action_revised_date_needs_reason",
            ),
            models.CheckConstraint(
                condition=(
                    Q(side="police", cps_lead__isnull=True) | Q(side="cps", police_lead__isnull=True) | Q(side="joint")
                ),
                name="action_leads_match_side",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(closure_reason="")) | (~Q(status="closed") & Q(closure_reason="")),
                name="action_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="completed", completed_on__isnull=False)
                    | (~Q(status="completed") & Q(completed_on__isnull=True))
                ),
                name="action_completed_has_date",
            ),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="action_side_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="action_status_valid"),
            models.CheckConstraint(
                condition=Q(rag__in=Rag.values) | Q(rag="", status__in=DONE_STATUSES),
                name="action_rag_valid",
                violation_error_message="Give the delivery confidence of an action that is not completed or closed.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(start_date_precision__in=DatePrecision.values)
                    & Q(target_date_precision__in=DatePrecision.values)
                    & Q(revised_target_date_precision__in=DatePrecision.values)
                ),
                name="action_date_precisions_valid",
            ),
            models.CheckConstraint(condition=~Q(mirrors=models.F("id")), name="action_does_not_mirror_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.reference_sort = reference_sort_key(self.reference)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        from .validation import validate_action

        validate_action(self)

    @property
    def current_target_date(self) -> date:
        return self.revised_target_date or self.target_date

    @property
    def current_target_precision(self) -> str:
        return self.revised_target_date_precision if self.revised_target_date else self.target_date_precision

    @property
    def start_date_text(self) -> str:
        """The start date as the plan gave it: "24 March 2021", "December 2021", "Q1 2022"; blank when none."""
        return format_period(self.start_date, self.start_date_precision)

    @property
    def target_date_text(self) -> str:
        return format_period(self.target_date, self.target_date_precision)

    @property
    def revised_target_date_text(self) -> str:
        return format_period(self.revised_target_date, self.revised_target_date_precision)

    @property
    def current_target_date_text(self) -> str:
        return format_period(self.current_target_date, self.current_target_precision)

    @property
    def is_open(self) -> bool:
        return is_open_status(self.status)

    def is_overdue(self, today: date) -> bool:
        return is_overdue_on(status=self.status, target=self.current_target_date, day=today)

    def days_overdue(self, today: date) -> int:
        return (today - self.current_target_date).days if self.is_overdue(today) else 0

    def is_due_soon(self, today: date) -> bool:
        return is_due_soon_on(status=self.status, target=self.current_target_date, day=today)

    def needs_attention(self, today: date) -> bool:
        return needs_attention_on(status=self.status, rag=self.rag, target=self.current_target_date, day=today)

    @property
    def leads(self) -> list:
        return [lead for lead in (self.police_lead, self.cps_lead) if lead is not None]


# A live update happens when it is recorded (to within the moments of one request); history brought in afterwards
# happened at least a day before.
BACKFILL_MARGIN = timedelta(minutes=1)


class StatusUpdate(models.Model):
    """One change of an action's status, RAG or target date, with its narrative. Never edited or deleted."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_updates")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When it happened: the moment it was recorded, or an earlier day for history brought in afterwards. The board's
    # "as at" figures, its changes since the last review and its trend replay the history by this moment.
    effective_at = models.DateTimeField(default=timezone.now, db_index=True)
    review_cycle = models.ForeignKey(
        "themes.ReviewCycle", on_delete=models.SET_NULL, null=True, blank=True, related_name="status_updates"
    )

    status_from = models.CharField(max_length=12, choices=Status.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=Status.choices)
    rag_from = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    rag_to = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    target_date_from = models.DateField(null=True, blank=True)
    target_date_to = models.DateField(null=True, blank=True)
    revision_reason = models.TextField(blank=True)
    narrative = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    version = models.PositiveIntegerField(help_text="The action's version after this update.")

    class Meta:
        ordering = ["-effective_at", "-id"]
        get_latest_by = "effective_at"
        constraints = [
            models.UniqueConstraint(fields=["action", "version"], name="status_update_one_per_version"),
        ]
        indexes = [
            models.Index(fields=["action", "-created_at"], name="status_update_action_recent"),
            models.Index(fields=["action", "-effective_at"], name="status_update_action_effective"),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference}: {self.get_status_to_display()} / {self.get_rag_to_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Status updates are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Status updates are append-only and cannot be deleted.")

    @property
    def is_backfilled(self) -> bool:
        """Recorded on a later day than the one it happened on (history brought in afterwards)."""
        return self.created_at - self.effective_at > BACKFILL_MARGIN

    @property
    def rag_worsened(self) -> bool:
        return bool(self.rag_from and self.rag_to) and RAG_SEVERITY[self.rag_to] > RAG_SEVERITY[self.rag_from]


class ActionImport(models.Model):
    """An uploaded spreadsheet of actions, read and kept on the server until an admin confirms or discards it.

    The rows are kept as read, so the import applies exactly what the preview showed (and is worked out again
    from them, never from anything posted back); `preview` is what the admin was shown.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        APPLIED = "applied", "Imported"
        DISCARDED = "discarded", "Discarded"

    class Joined(models.TextChoices):
        TODAY = "today", "New to the plan: they join it today"
        PLAN_START = "plan_start", "Already in the plan from its start: bring in their history"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey("themes.Plan", on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_imports")
    file_name = models.CharField(max_length=200)
    joined = models.CharField(max_length=12, choices=Joined.choices, default=Joined.TODAY)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    preview = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "applied", "discarded"]), name="action_import_state_valid"
            ),
            models.CheckConstraint(condition=Q(joined__in=["today", "plan_start"]), name="action_import_joined_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} into {self.plan} ({self.get_state_display()})"
