"""Review cycles: a window in which leads update their actions, ending in a board meeting."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ReviewCycleQuerySet(models.QuerySet["ReviewCycle"]):
    def taking_updates(self, *, on: date) -> ReviewCycleQuerySet:
        """Cycles not closed whose update window contains the day, the latest opened first."""
        return (
            self.filter(opens_on__lte=on, updates_due_on__gte=on)
            .exclude(state=ReviewCycle.State.CLOSED)
            .order_by("-opens_on", "-id")
        )


class ReviewCycle(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey("themes.Plan", on_delete=models.CASCADE, related_name="review_cycles")
    name = models.CharField(max_length=100, help_text="For example “Q3 2021-22”.")
    opens_on = models.DateField("updates open on")
    updates_due_on = models.DateField("updates due by")
    board_meeting_on = models.DateField("board meeting on")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewCycleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-opens_on"]
        get_latest_by = "opens_on"
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="review_cycle_name_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("updates_due_on")), name="review_cycle_opens_before_due"
            ),
            models.CheckConstraint(
                condition=Q(updates_due_on__lte=F("board_meeting_on")), name="review_cycle_due_before_meeting"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "open", "closed"]), name="review_cycle_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"pk": self.pk})

    def is_window_open(self, today: date) -> bool:
        return self.state != self.State.CLOSED and self.opens_on <= today <= self.updates_due_on
