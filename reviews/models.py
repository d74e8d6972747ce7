"""The board's records of a review cycle: the snapshot frozen when it closes, its decisions and its minutes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actionplan.append_only import AppendOnlyModel
from actions.models import ClosureReason, Rag, Status


class ActionSnapshot(AppendOnlyModel):
    """An action as it stood when its plan's review cycle closed. Written once, by closing the cycle, and never
    changed: a closed cycle's page, board pack, changes and trend read these, so later edits never move them."""

    cycle = models.ForeignKey("themes.ReviewCycle", on_delete=models.PROTECT, related_name="snapshots")
    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="snapshots")
    # The wording and place of the action then, so the record reads the same whatever is edited later.
    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    theme_number = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=10)
    status = models.CharField(max_length=12, choices=Status.choices)
    closure_reason = models.CharField(max_length=12, choices=ClosureReason.choices, blank=True)
    rag = models.CharField("delivery confidence", max_length=5, choices=Rag.choices)
    target_date = models.DateField(help_text="The current target date then (the revised date when there was one).")
    target_revised = models.BooleanField(default=False)
    police_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cps_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leads = models.CharField(max_length=400, blank=True, help_text="The leads' names then.")
    last_update_at = models.DateTimeField(null=True, blank=True)
    latest_narrative = models.TextField(blank=True)
    narrative_at = models.DateTimeField(null=True, blank=True)
    updated_in_cycle = models.BooleanField()
    # A joint action whose completion one side had proposed and the other had yet to confirm when the cycle closed.
    proposal = models.ForeignKey(
        "actions.StatusUpdate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The proposed completion awaiting the other side's confirmation when the cycle closed.",
    )
    # When the snapshot was taken (the cycle's closing), given explicitly when history is brought in.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["cycle", "theme_number", "action__reference_sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "action"],
                name="snapshot_once_per_cycle_and_action",
                violation_error_message="This review cycle has already been closed and its snapshot taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} at the close of {self.cycle.name}"


class BoardDecision(AppendOnlyModel):
    """What the board decided about an action at a review cycle's meeting. Recorded, never edited: a later
    decision about the same action is a new record, and the timeline shows both."""

    class Kind(models.TextChoices):
        ACCEPT_COMPLETION = "accept_completion", "Completion accepted"
        ACCEPT_REVISED_DATE = "accept_revised_date", "Revised target date accepted"
        ESCALATE = "escalate", "Escalated to the joint operational improvement board"
        MORE_INFORMATION = "more_information", "More information asked for"
        NOTE = "note", "Noted"

    cycle = models.ForeignKey("themes.ReviewCycle", on_delete=models.PROTECT, related_name="decisions")
    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="board_decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["accept_completion", "accept_revised_date", "escalate", "more_information", "note"]
                ),
                name="board_decision_kind_valid",
                violation_error_message="Select what the board decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.action} ({self.cycle.name})"


class BoardMinutes(models.Model):
    """The board's overall summary of a review cycle's meeting; it can be corrected until the cycle closes."""

    cycle = models.OneToOneField("themes.ReviewCycle", on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "board minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.cycle}"
