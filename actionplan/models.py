"""Organisations and the people who work in them."""

from __future__ import annotations

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
                condition=models.Q(kind__in=["police", "cps", "other"]),
                name="organisation_kind_valid",
                violation_error_message="Select whether the organisation is police, CPS or other",
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
                condition=models.Q(role__in=["admin", "lead", "board", "none"]),
                name="user_role_valid",
                violation_error_message="Select the person's role: admin, lead, board member or no role",
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

    def can_lead_on(self, side: str) -> bool:
        """True when the person may be named an action's lead on that side ("police" or "cps"): the one-object
        form of `leads_on_side_q`."""
        return self.is_lead and self.side == side

    @property
    def side(self) -> str | None:
        """'police' or 'cps' from the person's organisation (uses the cached organisation)."""
        if self.organisation is None:
            return None
        return self.organisation.kind if self.organisation.kind in ("police", "cps") else None


def leads_on_side_q(side: str) -> models.Q:
    """People who may be named an action's police (or CPS) lead: active, with the lead role, in an organisation of
    that side. The admin's lead pickers offer only them; `User.can_lead_on` is the rule for one person."""
    return models.Q(is_active=True, role=User.Role.LEAD, organisation__kind=side)


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app, kept only as a salted hash.

    The codes are random (about 60 bits each) and shown once when made; what is stored cannot be turned back into
    a code. Using one stamps `used_at`, so each works once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "created_at", "id"]
        indexes = [models.Index(fields=["user", "used_at"], name="recovery_code_user_unused")]

    def __str__(self) -> str:
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"


class SignInRecord(models.Model):
    """A failed or completed sign-in for a username, from an address: what the per-username limit counts.

    Failures are kept for the limit's window; completions for SIGNIN_KNOWN_ADDRESS_DAYS, to recognise the
    addresses a person usually signs in from.
    """

    class Outcome(models.TextChoices):
        FAILED = "failed", "Failed"
        COMPLETED = "completed", "Completed"

    username = models.CharField(max_length=150)
    ip_address = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "outcome", "at"], name="signin_record_username")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["failed", "completed"]),
                name="signin_outcome_valid",
                violation_error_message="A sign-in record is either failed or completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} sign-in for {self.username} from {self.ip_address or 'unknown'}"


class Heartbeat(models.Model):
    """The last time a background process showed it was alive (written by the heartbeat task)."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class DataVersion(models.Model):
    """One row whose value moves forward with every write to the tables that count it (see data_version.py).

    Only database triggers write it; the application reads it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="data_version_one_row",
                violation_error_message="There is only one data version",
            ),
        ]

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def current(cls) -> int:
        """The data version now (0 before the first counted write), in one query."""
        return cls.objects.filter(pk=1).values_list("value", flat=True).first() or 0
