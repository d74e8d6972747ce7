"""The plan and its themes. A plan is national or local; a local plan mirrors the national plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Plan(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", "National"
        LOCAL = "local", "Local"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.CharField(
        max_length=100, blank=True, help_text="The revision in force, for example “2022 refresh”."
    )
    # A local plan belongs to a police force and a CPS Area, and mirrors a national plan.
    mirrors = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_plans",
        limit_choices_to={"kind": "national"},
    )
    police_force = models.ForeignKey(
        "actionplan.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "police"},
    )
    cps_area = models.ForeignKey(
        "actionplan.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "cps"},
    )
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="administered_plans",
        help_text="People who administer this plan and receive its escalations.",
    )
    board_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="boards",
        help_text="Members of the board that oversees this plan.",
    )

    history = HistoricalRecords(m2m_fields=[admins, board_members])

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="plan_period_order"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="national", mirrors__isnull=True, police_force__isnull=True, cps_area__isnull=True)
                    | models.Q(kind="local", mirrors__isnull=False, police_force__isnull=False, cps_area__isnull=False)
                ),
                name="plan_local_has_force_area_and_national",
            ),
            models.UniqueConstraint(
                fields=["mirrors", "police_force", "cps_area"], name="plan_one_local_plan_per_force_area"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "archived"]), name="plan_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("themes:plan", kwargs={"slug": self.slug})

    @property
    def is_national(self) -> bool:
        return self.kind == self.Kind.NATIONAL


class Theme(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    # In a local plan, the national theme this one mirrors (for roll-up by theme).
    mirrors = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="local_themes")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="theme_number_unique_in_plan"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="theme_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("themes:theme", kwargs={"slug": self.plan.slug, "number": self.number})
