"""Reminders: one row per reminder owed to one person about one item on one occasion."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
        # An admin chased the leads whose actions still lack an update in an open cycle.
        CHASE = "chase", "Update chased"
        COMPLETION_PROPOSED = "completion_proposed", "Completion to confirm"
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

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    review_cycle = models.ForeignKey(
        "themes.ReviewCycle", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
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
                violation_error_message="This reminder has already been recorded",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "review_cycle", "occasion"],
                condition=models.Q(review_cycle__isnull=False),
                name="reminder_once_per_cycle_occasion",
                violation_error_message="This reminder has already been recorded",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind__in=["overdue", "escalation", "completion_proposed", "due_soon"],
                        action__isnull=False,
                        review_cycle__isnull=True,
                    )
                    | models.Q(
                        kind__in=["chase", "update_overdue", "update_due", "cycle_opens", "board_meeting"],
                        action__isnull=True,
                        review_cycle__isnull=False,
                    )
                ),
                name="reminder_item_matches_kind",
                violation_error_message=(
                    "A reminder about an action names the action; one about a review cycle names the cycle"
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "claimed", "sending", "sent", "failed"]),
                name="reminder_state_valid",
                violation_error_message="The reminder's state is not one the service knows",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
                violation_error_message="A sent reminder records when it was sent",
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


class CalendarFeed(models.Model):
    """A person's secret calendar address: an iCalendar feed of their actions' target dates and their plans' review
    cycles and board meetings. Only a hash of its key is kept: the address is shown once, and a new one replaces
    it (turning the old one off)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
