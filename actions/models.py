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

from actionplan.append_only import AppendOnlyModel
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


class LeadSide(models.TextChoices):
    """One side of a joint action: the side a lead signs off for."""

    POLICE = "police", "Police"
    CPS = "cps", "CPS"


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


def other_side(side: str) -> str:
    """The side that confirms what the other proposed: police for CPS, CPS for police."""
    return LeadSide.CPS if side == LeadSide.POLICE else LeadSide.POLICE


def side_words(side: str) -> str:
    """'police' or 'CPS', as a sentence names a side."""
    return "police" if side == LeadSide.POLICE else "CPS"


def completion_proposed_q() -> Q:
    """Joint actions whose completion one side has proposed and the other has not yet confirmed or declined."""
    return Q(completion_proposed_at__isnull=False)


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

    def completion_proposed(self) -> ActionQuerySet:
        return self.filter(completion_proposed_q())

    def readable_by(self, user) -> ActionQuerySet:
        """The actions of the plans the person may read (see `PlanQuerySet.readable_by`)."""
        return self.filter(plan__in=Plan.objects.readable_by(user))

    def taking_updates(self) -> ActionQuerySet:
        """Actions of published plans that apply there: the only ones reminded and chased about (a local copy not
        applicable locally is not)."""
        return self.filter(plan__status=Plan.Status.PUBLISHED, not_applicable=False)

    def with_status_updates(self) -> ActionQuerySet:
        """Actions with status updates: they keep them for ever, so they are closed, never deleted."""
        return self.filter(updates__isnull=False).distinct()


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

    # Joint sign-off: a joint action marked completed by one side's lead stays in progress, flagged with who
    # proposed it, until a lead of the other side confirms (it is completed) or declines (the flag is cleared).
    completion_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completions_proposed",
    )
    completion_proposed_at = models.DateTimeField(null=True, blank=True)
    completion_proposed_side = models.CharField(max_length=10, choices=LeadSide.choices, blank=True)

    # In a local plan, the national action this one mirrors.
    mirrors = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="local_actions")
    # When a revision supersedes this action, the action that carries it forward.
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    # A local copy of a national action that the local plan does not deliver, and why: left out of the local
    # plan's figures, shown on the roll-up.
    not_applicable = models.BooleanField("not applicable locally", default=False)
    not_applicable_reason = models.TextField(blank=True)

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
            models.UniqueConstraint(
                fields=["plan", "reference"],
                name="action_reference_unique_in_plan",
                violation_error_message="The plan already has an action with this reference: choose another reference",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__lte=models.F("target_date")),
                name="action_start_before_target",
                violation_error_message="The target date must be the same as or after the start date",
            ),
            models.CheckConstraint(
                condition=(
                    Q(revised_target_date__isnull=True)
                    | Q(start_date__isnull=True)
                    | Q(revised_target_date__gte=models.F("start_date"))
                ),
                name="action_revised_after_start",
                violation_error_message="The revised target date must be the same as or after the start date",
            ),
            models.CheckConstraint(
                condition=Q(revised_target_date__isnull=True) | ~Q(revision_reason=""),
                name="action_revised_date_needs_reason",
                violation_error_message="Give the reason the target date was revised",
            ),
            models.CheckConstraint(
                condition=(
                    Q(side="police", cps_lead__isnull=True) | Q(side="cps", police_lead__isnull=True) | Q(side="joint")
                ),
                name="action_leads_match_side",
                violation_error_message=(
                    "A police action has no CPS lead and a CPS action has no police lead: remove the lead of the other "
                    "side or make the action joint"
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(closure_reason="")) | (~Q(status="closed") & Q(closure_reason="")),
                name="action_closed_has_reason",
                violation_error_message=(
                    "Select why the action is closed: superseded or withdrawn (and give no closure reason for an "
                    "action that is not closed)"
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="completed", completed_on__isnull=False)
                    | (~Q(status="completed") & Q(completed_on__isnull=True))
                ),
                name="action_completed_has_date",
                violation_error_message=(
                    "A completed action needs its completion date, and an action that is not completed has none"
                ),
            ),
            models.CheckConstraint(
                condition=Q(side__in=Side.values),
                name="action_side_valid",
                violation_error_message="Select whether the action is led by the police, the CPS or both",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="action_status_valid",
                violation_error_message="Select the status of the action",
            ),
            models.CheckConstraint(
                condition=Q(rag__in=Rag.values) | Q(rag="", status__in=DONE_STATUSES),
                name="action_rag_valid",
                violation_error_message=(
                    "Select the delivery confidence: green, amber or red (it may be left blank only for a completed or "
                    "closed action)"
                ),
            ),
            models.CheckConstraint(
                condition=~Q(mirrors=models.F("id")),
                name="action_does_not_mirror_itself",
                violation_error_message="An action cannot mirror itself: choose the national action it mirrors",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        completion_proposed_at__isnull=True,
                        completion_proposed_by__isnull=True,
                        completion_proposed_side="",
                    )
                    | Q(
                        completion_proposed_at__isnull=False,
                        completion_proposed_by__isnull=False,
                        completion_proposed_side__in=LeadSide.values,
                    )
                ),
                name="action_completion_proposal_whole",
                violation_error_message=(
                    "A proposed completion records who proposed it, when, and for which side (police or CPS)"
                ),
            ),
            models.CheckConstraint(
                condition=Q(completion_proposed_at__isnull=True) | Q(side="joint", status="in_progress"),
                name="action_completion_proposed_joint_in_progress",
                violation_error_message="Only a joint action in progress can have a completion awaiting confirmation",
            ),
            models.CheckConstraint(
                condition=(
                    Q(start_date_precision__in=DatePrecision.values)
                    & Q(target_date_precision__in=DatePrecision.values)
                    & Q(revised_target_date_precision__in=DatePrecision.values)
                ),
                name="action_date_precisions_valid",
                violation_error_message="Give each date as a day, a month or a quarter",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False, not_applicable_reason="")
                | (Q(not_applicable=True, mirrors__isnull=False) & ~Q(not_applicable_reason="")),
                name="action_not_applicable_is_a_local_copy_with_reason",
                violation_error_message=(
                    "Only a local copy of a national action is not applicable locally, and it says why"
                ),
            ),
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

    def has_status_updates(self) -> bool:
        """An action with status updates keeps them for ever: it is closed, never deleted."""
        return self.updates.exists()

    @property
    def completion_is_proposed(self) -> bool:
        """A lead of one side has marked this joint action completed; a lead of the other side has yet to confirm."""
        return self.completion_proposed_at is not None

    @property
    def completion_awaited_side(self) -> str:
        """The side whose lead confirms or declines the proposed completion ("" when none is proposed)."""
        return other_side(self.completion_proposed_side) if self.completion_is_proposed else ""

    @property
    def completion_awaited_side_words(self) -> str:
        """The side awaited as a sentence names it: "police" or "CPS" ("" when no completion is proposed)."""
        return side_words(self.completion_awaited_side) if self.completion_is_proposed else ""

    @property
    def completion_awaited_lead(self):
        """The named lead of the side that confirms, if there is one (uses the cached relation)."""
        if not self.completion_is_proposed:
            return None
        return self.cps_lead if self.completion_awaited_side == LeadSide.CPS else self.police_lead


# A live update happens when it is recorded (to within the moments of one request); history brought in afterwards
# happened at least a day before.
BACKFILL_MARGIN = timedelta(minutes=1)


class StatusUpdate(AppendOnlyModel):
    """One change of an action's status, RAG or target date, with its narrative. Never edited or deleted: see
    actionplan/append_only.py. An action, author or review cycle with status updates cannot be deleted.

    Most are plain updates. The steps of a joint action's sign-off are updates too, of their own kind: the
    proposal (the proposing side's lead), then its confirmation or its decline (the other side's lead, or an
    admin on that lead's behalf, with the reason in the narrative).
    """

    class Kind(models.TextChoices):
        UPDATE = "update", "Status update"
        COMPLETION_PROPOSED = "completion_proposed", "Completion proposed"
        COMPLETION_CONFIRMED = "completion_confirmed", "Completion confirmed"
        COMPLETION_DECLINED = "completion_declined", "Completion declined"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_updates")
    # Set when the row is inserted (a row is never saved twice); the demo history inserts its own past times.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # When it happened: the moment it was recorded, or an earlier day for history brought in afterwards. The board's
    # "as at" figures, its changes since the last review and its trend replay the history by this moment.
    effective_at = models.DateTimeField(default=timezone.now, db_index=True)
    review_cycle = models.ForeignKey(
        "themes.ReviewCycle", on_delete=models.PROTECT, null=True, blank=True, related_name="status_updates"
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

    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.UPDATE)
    # For a sign-off step: the side it speaks for (the proposing side, or the side that confirmed or declined).
    signoff_side = models.CharField(max_length=10, choices=LeadSide.choices, blank=True)
    # An admin confirmed or declined for the side's lead; the narrative holds their reason.
    on_behalf = models.BooleanField(default=False)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-effective_at", "-id"]
        get_latest_by = "effective_at"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "version"],
                name="status_update_one_per_version",
                violation_error_message="Someone else updated this action first: nothing was saved",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["update", "completion_proposed", "completion_confirmed", "completion_declined"]),
                name="status_update_kind_valid",
                violation_error_message="A status update is an update, or a completion proposed, confirmed or declined",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="update", signoff_side="", on_behalf=False)
                    | (~Q(kind="update") & Q(signoff_side__in=["police", "cps"]))
                ),
                name="status_update_signoff_has_side",
                violation_error_message="A sign-off step names the side it is for; a plain update names none",
            ),
            models.CheckConstraint(
                condition=Q(on_behalf=False) | Q(kind__in=["completion_confirmed", "completion_declined"]),
                name="status_update_on_behalf_decides",
                violation_error_message="Only a confirmation or a decline can be made on a lead's behalf",
            ),
            models.CheckConstraint(
                condition=(Q(on_behalf=False) & ~Q(kind="completion_declined")) | ~Q(narrative=""),
                name="status_update_decision_has_reason",
                violation_error_message="A decline, and a decision made on a lead's behalf, records its reason",
            ),
        ]
        indexes = [
            models.Index(fields=["action", "-created_at"], name="status_update_action_recent"),
            models.Index(fields=["action", "-effective_at"], name="status_update_action_effective"),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference}: {self.get_status_to_display()} / {self.get_rag_to_display()}"

    @property
    def is_signoff(self) -> bool:
        return self.kind != self.Kind.UPDATE

    @property
    def signoff_summary(self) -> str:
        """A sign-off step in words: "Completion confirmed by an admin for the CPS lead" ("" for a plain update)."""
        if not self.is_signoff:
            return ""
        side = side_words(self.signoff_side)
        if self.kind == self.Kind.COMPLETION_PROPOSED:
            return f"Completion proposed by the {side} lead"
        verb = "confirmed" if self.kind == self.Kind.COMPLETION_CONFIRMED else "declined"
        who = f"an admin on the {side} lead’s behalf" if self.on_behalf else f"the {side} lead"
        return f"Completion {verb} by {who}"

    @property
    def is_backfilled(self) -> bool:
        """Recorded on a later day than the one it happened on (history brought in afterwards)."""
        return self.created_at - self.effective_at > BACKFILL_MARGIN


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
                condition=Q(state__in=["pending", "applied", "discarded"]),
                name="action_import_state_valid",
                violation_error_message="Select whether the import is waiting, imported or discarded",
            ),
            models.CheckConstraint(
                condition=Q(joined__in=["today", "plan_start"]),
                name="action_import_joined_valid",
                violation_error_message="Select when the imported actions joined the plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} into {self.plan} ({self.get_state_display()})"


class NationalChange(models.Model):
    """A change of a national action's wording, marked on one local copy until its local lead or an admin answers
    it: the new national wording accepted, or the local wording kept with a reason. The local status is never
    touched."""

    class Answer(models.TextChoices):
        PENDING = "pending", "Awaiting an answer"
        ACCEPTED = "accepted", "New national wording accepted"
        KEPT = "kept", "Local wording kept"

    local_action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="national_changes")
    title_before = models.CharField(max_length=300)
    title_after = models.CharField(max_length=300)
    description_before = models.TextField(blank=True)
    description_after = models.TextField(blank=True)
    source = models.CharField(max_length=300, help_text="What changed the national action: a revision, an edit.")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the local wording is kept.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["local_action", "-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_action"],
                condition=Q(answer="pending"),
                name="national_change_one_pending_per_local_action",
                violation_error_message="This local action already awaits an answer to a national change",
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["pending", "accepted", "kept"]),
                name="national_change_answer_valid",
                violation_error_message="Accept the national wording or keep the local wording",
            ),
            models.CheckConstraint(
                condition=Q(answer="pending", answered_by__isnull=True, answered_at__isnull=True, reason="")
                | Q(answer="accepted", answered_by__isnull=False, answered_at__isnull=False)
                | (Q(answer="kept", answered_by__isnull=False, answered_at__isnull=False) & ~Q(reason="")),
                name="national_change_answer_recorded",
                violation_error_message="An answer records who gave it and when; keeping the local wording says why",
            ),
        ]

    def __str__(self) -> str:
        return f"National change to {self.local_action.reference}: {self.get_answer_display()}"

    @property
    def is_pending(self) -> bool:
        return self.answer == self.Answer.PENDING
