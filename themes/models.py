"""The plan, its themes and its calendar of review cycles. A plan is national or local; a local plan mirrors the
national plan; a review cycle is a dated window of a plan in which leads update their actions."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actionplan.text import prose_problem

from .constraints import DateRange, PostgresExclusionConstraint


def validate_prose(instance: models.Model, fields: dict[str, str]) -> None:
    """Raise ValidationError naming each of `fields` (name: how a message calls it) that holds control or
    direction-changing characters."""
    errors = {}
    for name, what in fields.items():
        problem = prose_problem(getattr(instance, name) or "", what=what)
        if problem:
            errors[name] = problem
    if errors:
        raise ValidationError(errors)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class PlanQuerySet(models.QuerySet["Plan"]):
    def published(self) -> PlanQuerySet:
        """Plans in force: the only ones whose actions take updates and send reminders."""
        return self.filter(status=Plan.Status.PUBLISHED)

    def readable_by(self, user) -> PlanQuerySet:
        """Admins read every plan; everyone else reads published and archived plans, never a draft."""
        if getattr(user, "is_admin", False):
            return self.all()
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(status__in=Plan.READABLE_STATUSES)


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
    board_records_decisions = models.BooleanField(
        "the board records its own decisions",
        default=False,
        help_text="Board members may record the board's decisions and minutes; otherwise only admins do.",
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[admins, board_members])

    # Drafts are for admins only; an archived plan stays readable, but nothing in it is updated any more.
    READABLE_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="plan_period_order",
                violation_error_message="The plan's end date must be the same as or after its start date",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="national", mirrors__isnull=True, police_force__isnull=True, cps_area__isnull=True)
                    | models.Q(kind="local", mirrors__isnull=False, police_force__isnull=False, cps_area__isnull=False)
                ),
                name="plan_local_has_force_area_and_national",
                violation_error_message=(
                    "A local plan needs a police force, a CPS Area and the national plan it mirrors; a national plan "
                    "has none of them"
                ),
            ),
            models.UniqueConstraint(
                fields=["mirrors", "police_force", "cps_area"],
                name="plan_one_local_plan_per_force_area",
                violation_error_message=(
                    "This police force and CPS Area already have a local plan of this national plan: edit that plan "
                    "instead"
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "archived"]),
                name="plan_status_valid",
                violation_error_message="Select whether the plan is a draft, published or archived",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("themes:plan", kwargs={"slug": self.slug})

    def clean(self) -> None:
        validate_prose(self, {"title": "The title", "summary": "The summary", "revision": "The revision"})

    @property
    def is_national(self) -> bool:
        return self.kind == self.Kind.NATIONAL

    @property
    def accepts_updates(self) -> bool:
        """Only a published plan's actions are updated and reminded about: not a draft, not an archive."""
        return self.status == self.Status.PUBLISHED

    def is_readable_by(self, user) -> bool:
        """The single-plan form of `Plan.objects.readable_by(user)`."""
        if getattr(user, "is_admin", False):
            return True
        signed_in = bool(getattr(user, "is_authenticated", False) and user.is_active)
        return signed_in and self.status in self.READABLE_STATUSES


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
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="theme_number_unique_in_plan",
                violation_error_message="The plan already has a theme with this number: choose another number",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="theme_number_positive",
                violation_error_message="Enter a theme number of 1 or more",
            ),
            models.CheckConstraint(
                condition=~models.Q(mirrors=models.F("id")),
                name="theme_does_not_mirror_itself",
                violation_error_message="A theme cannot mirror itself: choose a theme of the national plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("themes:theme", kwargs={"slug": self.plan.slug, "number": self.number})

    def clean(self) -> None:
        validate_prose(self, {"title": "The title", "purpose": "The purpose"})
        # A local plan's theme mirrors a theme of the national plan its plan mirrors; a national theme mirrors
        # nothing. Spans two rows, so it is checked here rather than by the database.
        errors: dict[str, str] = {}
        # In the plan's admin page the plan may not be saved yet: use the plan object the form gave.
        plan = self.plan if self.plan_id or Theme.plan.is_cached(self) else None
        if self.mirrors_id is not None and self.mirrors_id != self.pk and plan is not None:
            mirrored = self.mirrors
            if plan.kind == Plan.Kind.NATIONAL:
                errors["mirrors"] = "Leave this empty: a theme of a national plan mirrors no other theme"
            elif plan.mirrors_id is not None and mirrored.plan_id != plan.mirrors_id:
                errors["mirrors"] = (
                    f"Choose a theme of {plan.mirrors.title}, the national plan this plan mirrors: "
                    f"{mirrored} belongs to {mirrored.plan.title}"
                )
        if errors:
            raise ValidationError(errors)


class ReviewCycleQuerySet(models.QuerySet["ReviewCycle"]):
    def taking_updates(self, *, on: date) -> ReviewCycleQuerySet:
        """Cycles not closed whose update window contains the day, the latest opened first."""
        return (
            self.filter(opens_on__lte=on, updates_due_on__gte=on)
            .exclude(state=ReviewCycle.State.CLOSED)
            .order_by("-opens_on", "-id")
        )

    def overlapping(self, *, opens_on: date, board_meeting_on: date) -> ReviewCycleQuerySet:
        """Cycles whose span, from the day updates open to the board meeting, shares a day with the one given."""
        return self.filter(opens_on__lte=board_meeting_on, board_meeting_on__gte=opens_on)


class ReviewCycle(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="review_cycles")
    name = models.CharField(max_length=100, help_text="For example “Q3 2021-22”.")
    opens_on = models.DateField("updates open on")
    updates_due_on = models.DateField("updates due by")
    board_meeting_on = models.DateField("board meeting on")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReviewCycleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-opens_on"]
        get_latest_by = "opens_on"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="review_cycle_name_unique_in_plan",
                violation_error_message="The plan already has a review cycle with this name: choose another name",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("updates_due_on")),
                name="review_cycle_opens_before_due",
                violation_error_message="The date updates are due must be the same as or after the date they open",
            ),
            models.CheckConstraint(
                condition=Q(updates_due_on__lte=F("board_meeting_on")),
                name="review_cycle_due_before_meeting",
                violation_error_message="The board meeting must be on or after the date updates are due",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "open", "closed"]),
                name="review_cycle_state_valid",
                violation_error_message="Select whether the review cycle is planned, open or closed",
            ),
            # Of one plan's cycles that are not closed, update windows never overlap, so "the cycle taking updates
            # today" is one cycle. PostgreSQL holds it; `clean()` checks the same in Python on every database.
            PostgresExclusionConstraint(
                name="review_cycle_windows_do_not_overlap",
                expressions=[
                    (
                        DateRange(
                            "opens_on", "updates_due_on", RangeBoundary(inclusive_lower=True, inclusive_upper=True)
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    ("plan", RangeOperators.EQUAL),
                ],
                condition=~Q(state="closed"),
                violation_error_message=(
                    "The update window overlaps another review cycle of this plan that is not closed: "
                    "change the dates, or close the other cycle first"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        validate_prose(self, {"name": "The name"})
        problem = self.window_overlap_problem()
        if problem:
            raise ValidationError({"opens_on": problem})

    def window_overlap_problem(self) -> str | None:
        """Of one plan's cycles that are not closed, update windows never overlap (PostgreSQL holds it too): why
        this cycle's does, or None."""
        if not (self.plan_id and self.opens_on and self.updates_due_on) or self.state == self.State.CLOSED:
            return None
        clash = self.overlapping().first()
        if clash is None:
            return None
        return (
            f"The update window overlaps {clash.name} ({_long_date(clash.opens_on)} to "
            f"{_long_date(clash.updates_due_on)}), which is not closed: change the dates so the windows do not "
            f"overlap, or close {clash.name} first"
        )

    def overlapping(self) -> ReviewCycleQuerySet:
        """The plan's other cycles, not closed, whose update window shares a day with this one's."""
        others = ReviewCycle.objects.filter(
            plan_id=self.plan_id, opens_on__lte=self.updates_due_on, updates_due_on__gte=self.opens_on
        ).exclude(state=self.State.CLOSED)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.order_by("opens_on")
