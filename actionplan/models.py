"""Organisations and the people who work in them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    """A police force, a CPS Area, or a national body (CPS headquarters, NPCC, College of Policing...)."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        CPS = "cps", "CPS"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_national = models.BooleanField(
        default=False, help_text="A national body (CPS headquarters, NPCC) rather than a force or an Area."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["police", "cps", "other"]), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who signs in. Their role is the one mechanism that decides what they may do."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        LEAD = "lead", "Lead"
        BOARD = "board", "Board member"
        NONE = "none", "No role"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.NONE)
    job_title = models.CharField(max_length=200, blank=True)
    # Optional reminders a person may turn off; overdue and escalation reminders cannot be turned off.
    wants_due_soon_reminders = models.BooleanField("Due soon reminders", default=True)
    wants_board_meeting_reminders = models.BooleanField("Board meeting reminders", default=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "lead", "board", "none"]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        # Admins reach the Django admin; nobody else does. The role decides, not a separate flag.
        self.is_staff = self.is_superuser or self.role == self.Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == self.Role.ADMIN)

    @property
    def is_lead(self) -> bool:
        return self.is_active and self.role == self.Role.LEAD

    @property
    def is_board_member(self) -> bool:
        return self.is_active and self.role == self.Role.BOARD

    @property
    def reads_dashboards(self) -> bool:
        """Board members, admins and leads read the dashboards, board packs and review cycles; nobody else."""
        return self.is_board_member or self.is_admin or self.is_lead

    @property
    def side(self) -> str | None:
        """'police' or 'cps' from the person's organisation (uses the cached organisation)."""
        if self.organisation is None:
            return None
        return self.organisation.kind if self.organisation.kind in ("police", "cps") else None


class Heartbeat(models.Model):
    """The last time a background process showed it was alive (written by the heartbeat task)."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class Reminder(models.Model):
    """One reminder owed to one person about one item on one occasion: the record that makes it exactly once.

    The sweep inserts a row per (recipient, kind, item, occasion); the unique constraints make a second insert
    a no-op. A row is claimed with a conditional UPDATE (state and claim token) before its email goes out, so
    two workers never send it both; a claim not reported back within REMINDER_CLAIM_TIMEOUT_MINUTES is taken
    again rather than lost.
    """

    class Kind(models.TextChoices):
        # Listed in the order a digest shows them: what is late first.
        OVERDUE = "overdue", "Action overdue"
        ESCALATION = "escalation", "Action escalated"
        UPDATE_OVERDUE = "update_overdue", "Update overdue"
        UPDATE_DUE = "update_due", "Update due"
        DUE_SOON = "due_soon", "Action due soon"
        CYCLE_OPENS = "cycle_opens", "Review cycle opens"
        BOARD_MEETING = "board_meeting", "Board meeting coming"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    review_cycle = models.ForeignKey(
        "reviews.ReviewCycle", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # Which occurrence of the kind for the item, for example "2022-03-31-14" (14 days before 31 March 2022).
    # A changed target date is a new occasion, so it is reminded again.
    occasion = models.CharField(max_length=40)
    # The day of the sweep that found it due.
    due_on = models.DateField()

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "action", "occasion"],
                condition=models.Q(action__isnull=False),
                name="reminder_once_per_action_occasion",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "review_cycle", "occasion"],
                condition=models.Q(review_cycle__isnull=False),
                name="reminder_once_per_cycle_occasion",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind__in=["overdue", "escalation", "due_soon"], action__isnull=False, review_cycle__isnull=True
                    )
                    | models.Q(
                        kind__in=["update_overdue", "update_due", "cycle_opens", "board_meeting"],
                        action__isnull=True,
                        review_cycle__isnull=False,
                    )
                ),
                name="reminder_item_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "claimed", "sending", "sent", "failed"]),
                name="reminder_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False), name="reminder_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "claimed_at"], name="reminder_state_claimed"),
            models.Index(fields=["claim"], name="reminder_claim"),
            models.Index(fields=["recipient", "-due_on"], name="reminder_recipient_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} ({self.occasion}): {self.get_state_display()}"

    @property
    def given_up(self) -> bool:
        """Failed with every attempt spent: it will not be sent."""
        return self.state == self.State.FAILED and self.attempts >= settings.REMINDER_MAX_ATTEMPTS

    @property
    def item(self):
        """The action or review cycle the reminder is about (uses the cached relation)."""
        return self.action if self.action_id else self.review_cycle
