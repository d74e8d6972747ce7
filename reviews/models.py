"""The board's records: a review cycle's snapshot frozen when it closes, its decisions and its minutes; the plan's
revisions."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actionplan.append_only import AppendOnlyError, AppendOnlyModel
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
    # A local copy of a national action that did not apply locally then: left out of the cycle's figures.
    not_applicable = models.BooleanField("not applicable locally", default=False)
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


# -- Plan revisions -----------------------------------------------------------------------------------------------
# A revision is the plan's own change over time ("2022 refresh"): in a draft an admin decides the fate of each open
# action; publishing applies every decision in one transaction. Nothing is deleted: closed actions keep their
# reference, history and review cycles, and each decision keeps the wording before and after.


# A published revision, and each of its decisions, is the record of what it did to the plan: like the append-only
# records of actionplan/append_only.py, nothing changes or deletes it once published (not a save, not a queryset's
# update() or delete(), and on PostgreSQL not even raw SQL: a trigger refuses UPDATE and DELETE of those rows).
# A draft is edited, and deleted, freely.


def _refuse_published(what: str):
    raise AppendOnlyError(f"A published revision is kept as the record of what it did: it cannot be {what}.")


def published_kept_trigger(published: str) -> pgtrigger.Trigger:
    """The PostgreSQL trigger that refuses UPDATE and DELETE of a row when `published` (SQL about the OLD row) holds.
    A function rather than a WHEN condition, which PostgreSQL does not allow to look at another table."""
    return pgtrigger.Trigger(
        name="published_kept",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        func=(
            f"IF {published} THEN "
            "RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows of a published revision from % table', "
            "TG_TABLE_NAME; "
            "END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
            "RETURN NEW;"
        ),
    )


class RevisionQuerySet(models.QuerySet["Revision"]):
    def readable_by(self, user) -> RevisionQuerySet:
        """Revisions of the plans the person may read; drafts for admins only."""
        from themes.models import Plan

        mine = self.filter(plan__in=Plan.objects.readable_by(user))
        return mine if getattr(user, "is_admin", False) else mine.filter(status=Revision.Status.PUBLISHED)

    def update(self, **kwargs):
        if self.filter(status=Revision.Status.PUBLISHED).exists():
            _refuse_published("changed")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Revision.Status.PUBLISHED).exists():
            _refuse_published("deleted")
        return super().delete()


class Revision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    plan = models.ForeignKey("themes.Plan", on_delete=models.PROTECT, related_name="revisions")
    name = models.CharField(max_length=100, help_text="For example “2022 refresh”.")
    effective_on = models.DateField("effective date")
    rationale = models.TextField(help_text="Why the plan is revised: the findings, reviews or decisions behind it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The name of the edition this revision replaced ("First edition"), and the plan's themes and actions as they
    # stood just before and just after publishing: "the plan as it stood" at each revision, whatever came later.
    replaced_edition = models.CharField(max_length=100, blank=True)
    content_before = models.JSONField(null=True, blank=True, editable=False)
    content_after = models.JSONField(null=True, blank=True, editable=False)

    objects = RevisionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content_before", "content_after"])

    class Meta:
        ordering = ["plan", "-effective_on", "-id"]
        # Relations use the base manager: make it refuse too.
        base_manager_name = "objects"
        triggers = [published_kept_trigger("OLD.status = 'published'")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="revision_name_unique_in_plan",
                violation_error_message="This plan already has a revision with that name: choose another name",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="draft"),
                name="revision_one_draft_per_plan",
                violation_error_message=(
                    "This plan already has a draft revision: publish it, or carry on with it, before starting another"
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="revision_status_valid",
                violation_error_message="A revision is a draft or published",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="draft", published_at__isnull=True, published_by__isnull=True)
                    | Q(
                        status="published",
                        published_at__isnull=False,
                        published_by__isnull=False,
                        content_before__isnull=False,
                        content_after__isnull=False,
                    )
                ),
                name="revision_published_has_record",
                violation_error_message=(
                    "A published revision records who published it, when, and the plan before and after"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan})"

    def save(self, *args, **kwargs) -> None:
        """Save a draft (publishing is its last save); a revision read or saved as published is not saved again."""
        if getattr(self, "_published_when_read", False):
            _refuse_published("changed")
        super().save(*args, **kwargs)
        self._published_when_read = self.status == self.Status.PUBLISHED

    def get_absolute_url(self) -> str:
        return reverse("reviews:revision", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        if getattr(self, "_published_when_read", False) or (
            self.pk is not None and Revision.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()
        ):
            _refuse_published("deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._published_when_read = instance.__dict__.get("status") == cls.Status.PUBLISHED
        return instance


class RevisionDecisionQuerySet(models.QuerySet["RevisionDecision"]):
    def update(self, **kwargs):
        if self.filter(revision__status=Revision.Status.PUBLISHED).exists():
            _refuse_published("changed")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(revision__status=Revision.Status.PUBLISHED).exists():
            _refuse_published("deleted")
        return super().delete()


class RevisionDecision(models.Model):
    """The fate a revision gives one action: carried forward, changed, merged, superseded, withdrawn, or added."""

    class Fate(models.TextChoices):
        CARRIED = "carried", "Carried forward unchanged"
        CHANGED = "changed", "Changed"
        MERGED = "merged", "Merged into another action"
        SUPERSEDED = "superseded", "Superseded by another action"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ADDED = "added", "Added"

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="decisions")
    fate = models.CharField(max_length=12, choices=Fate.choices)
    # The action decided about; for an added action, the action publishing created (none while a draft).
    action = models.ForeignKey(
        "actions.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="revision_decisions"
    )
    # Merged into, or superseded by, an action that already exists...
    into_action = models.ForeignKey(
        "actions.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="absorbing_decisions"
    )
    # ...or superseded by an action this revision adds.
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_decisions"
    )
    reason = models.TextField(blank=True)

    # The wording and dates a change or an addition gives: blank or null leaves a changed action's value as it is.
    theme = models.ForeignKey("themes.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reference = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    side = models.CharField(max_length=10, blank=True)
    police_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cps_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)

    # The action as it stood before publishing and as publishing left it (reference, theme, wording, dates, leads).
    before = models.JSONField(null=True, blank=True, editable=False)
    after = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RevisionDecisionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["before", "after"])

    CLOSING_FATES = ("merged", "superseded", "withdrawn")

    class Meta:
        ordering = ["revision", "id"]
        base_manager_name = "objects"
        triggers = [
            published_kept_trigger(
                "EXISTS (SELECT 1 FROM reviews_revision WHERE reviews_revision.id = OLD.revision_id "
                "AND reviews_revision.status = 'published')"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "action"],
                condition=Q(action__isnull=False),
                name="revision_decision_one_per_action",
                violation_error_message="This revision already decides the fate of that action",
            ),
            models.CheckConstraint(
                condition=Q(fate__in=["carried", "changed", "merged", "superseded", "withdrawn", "added"]),
                name="revision_decision_fate_valid",
                violation_error_message="Choose what happens to the action",
            ),
            models.CheckConstraint(
                condition=Q(fate="added") | Q(action__isnull=False),
                name="revision_decision_names_its_action",
                violation_error_message="Say which action the decision is about",
            ),
            models.CheckConstraint(
                condition=~Q(fate__in=["merged", "superseded", "withdrawn"]) | ~Q(reason=""),
                name="revision_decision_closing_has_reason",
                violation_error_message="Give the reason for merging, superseding or withdrawing the action",
            ),
            models.CheckConstraint(
                condition=(
                    Q(fate="merged", into_action__isnull=False, successor__isnull=True)
                    | Q(fate="superseded", into_action__isnull=False, successor__isnull=True)
                    | Q(fate="superseded", into_action__isnull=True, successor__isnull=False)
                    | (~Q(fate__in=["merged", "superseded"]) & Q(into_action__isnull=True, successor__isnull=True))
                ),
                name="revision_decision_successor_matches_fate",
                violation_error_message=(
                    "A merged action names the action it is merged into, a superseded action names one successor, "
                    "and no other decision names either"
                ),
            ),
            models.CheckConstraint(
                condition=~Q(into_action=models.F("action")),
                name="revision_decision_not_into_itself",
                violation_error_message="An action cannot be merged into or superseded by itself",
            ),
            models.CheckConstraint(
                condition=~Q(fate="added")
                | (
                    Q(theme__isnull=False, start_date__isnull=False, target_date__isnull=False)
                    & ~Q(title="")
                    & Q(side__in=["police", "cps", "joint"])
                ),
                name="revision_decision_added_is_complete",
                violation_error_message="A new action needs a theme, a title, a side, a start date and a target date",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(target_date__isnull=True)
                | Q(start_date__lte=models.F("target_date")),
                name="revision_decision_dates_in_order",
                violation_error_message="The target date must be the same as or after the start date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.revision.name}: {self.get_fate_display()}"

    def save(self, *args, **kwargs) -> None:
        """Save a decision of a draft; a decision of a published revision is not changed."""
        if self.revision_id is not None and self._of_published_revision():
            _refuse_published("changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._of_published_revision():
            _refuse_published("deleted")
        return super().delete(*args, **kwargs)

    @property
    def closes_action(self) -> bool:
        return self.fate in self.CLOSING_FATES

    def _of_published_revision(self) -> bool:
        return Revision.objects.filter(pk=self.revision_id, status=Revision.Status.PUBLISHED).exists()


# -- Inspection recommendations -----------------------------------------------------------------------------------
# A source of findings (an inspection, a review) has numbered recommendations; each is linked to the actions that
# answer it. Its state follows from those actions, until an admin closes it with evidence.


class FindingSource(models.Model):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", "Inspection"
        REVIEW = "review", "Review"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=100, blank=True, help_text="For example “Joint inspection, phase 1”.")
    publisher = models.CharField(max_length=200, blank=True, help_text="For example “HMICFRS and HMCPSI”.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INSPECTION)
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField("web address", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                name="finding_source_title_unique",
                violation_error_message="A source with this title is already recorded",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["inspection", "review", "other"]),
                name="finding_source_kind_valid",
                violation_error_message="A source is an inspection, a review or other",
            ),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:source", kwargs={"pk": self.pk})


class RecommendationState(models.TextChoices):
    NOT_PLANNED = "not_planned", "Not yet planned"
    IN_PROGRESS = "in_progress", "In progress"
    ADDRESSED = "addressed", "Addressed (awaiting evidence)"
    CLOSED = "closed", "Closed with evidence"


def recommendation_state(*, closed: bool, planned: int, completed: int) -> str:
    """The one rule of a recommendation's state. `planned`: its linked actions still meant to be delivered (closed
    actions, superseded or withdrawn, do not count); `completed`: those completed. No such action: not yet planned;
    some not completed: in progress; all completed: addressed, awaiting evidence; closed by an admin with evidence:
    closed."""
    if closed:
        return RecommendationState.CLOSED
    if planned == 0:
        return RecommendationState.NOT_PLANNED
    if completed >= planned:
        return RecommendationState.ADDRESSED
    return RecommendationState.IN_PROGRESS


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def with_progress(self) -> RecommendationQuerySet:
        """Annotate `planned`, `completed` and `state` (see `recommendation_state`) in the database."""
        from django.db.models import Case, Count, Value, When

        return self.annotate(
            planned=Count("links", filter=~Q(links__action__status="closed"), distinct=True),
            completed=Count("links", filter=Q(links__action__status="completed"), distinct=True),
        ).annotate(
            state=Case(
                When(closed_at__isnull=False, then=Value(RecommendationState.CLOSED.value)),
                When(planned=0, then=Value(RecommendationState.NOT_PLANNED.value)),
                When(completed__gte=models.F("planned"), then=Value(RecommendationState.ADDRESSED.value)),
                default=Value(RecommendationState.IN_PROGRESS.value),
                output_field=models.CharField(),
            )
        )


class Recommendation(models.Model):
    class Addressee(models.TextChoices):
        POLICE = "police", "Police"
        CPS = "cps", "CPS"
        BOTH = "both", "Police and CPS"
        OTHER = "other", "Other"

    State = RecommendationState

    source = models.ForeignKey(FindingSource, on_delete=models.PROTECT, related_name="recommendations")
    number = models.CharField(max_length=20, help_text="As the source numbers it: “3” or “3a”.")
    number_sort = models.CharField(max_length=80, editable=False, db_index=True)
    text = models.TextField()
    addressee = models.CharField(max_length=10, choices=Addressee.choices)
    due_on = models.DateField("due date", null=True, blank=True)
    actions = models.ManyToManyField(
        "actions.Action", through="RecommendationLink", related_name="recommendations", blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_evidence = models.TextField(blank=True)
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "number_sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"],
                name="recommendation_number_unique_in_source",
                violation_error_message="This source already has a recommendation with that number",
            ),
            models.CheckConstraint(
                condition=Q(addressee__in=["police", "cps", "both", "other"]),
                name="recommendation_addressee_valid",
                violation_error_message="A recommendation is addressed to the police, the CPS, both or others",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True, closure_evidence="")
                | (Q(closed_at__isnull=False, closed_by__isnull=False) & ~Q(closure_evidence="")),
                name="recommendation_closed_with_evidence",
                violation_error_message="A recommendation is closed with its evidence, by an admin, at a time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: recommendation {self.number}"

    def save(self, *args, **kwargs) -> None:
        from actions.models import reference_sort_key

        self.number_sort = reference_sort_key(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reviews:recommendation", kwargs={"pk": self.pk})

    def state_of(self, *, planned: int, completed: int) -> str:
        return recommendation_state(closed=self.closed_at is not None, planned=planned, completed=completed)


class RecommendationLink(models.Model):
    """A recommendation answered by an action; its history records each link made and removed."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="links")
    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="recommendation_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "action"],
                name="recommendation_link_once",
                violation_error_message="This recommendation is already linked to that action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} answered by {self.action_id}"


# -- The public progress page -------------------------------------------------------------------------------------
# Opt-in per plan: the plan's progress at a public address without sign-in, showing only what is written for the
# public. Off by default.


class PublicPage(models.Model):
    plan = models.OneToOneField("themes.Plan", on_delete=models.CASCADE, related_name="public_page")
    enabled = models.BooleanField("published", default=False)
    introduction = models.TextField(blank=True, help_text="A paragraph for the public above the figures.")
    show_names = models.BooleanField("show the leads' names", default=False)
    show_rag = models.BooleanField("show delivery confidence", default=False)
    show_dates = models.BooleanField("show completion dates", default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Public progress page of {self.plan}"

    def get_absolute_url(self) -> str:
        return reverse("public:progress", kwargs={"slug": self.plan.slug})


class PublicSummary(models.Model):
    """What the public reads about a completed action: written and approved for publication, never the internal
    narrative."""

    action = models.OneToOneField("actions.Action", on_delete=models.CASCADE, related_name="public_summary")
    text = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="public_summary_not_empty",
                violation_error_message="Write the public summary",
            ),
        ]

    def __str__(self) -> str:
        return f"Public summary of action {self.action_id}"
