"""Writes to actions. Every path that changes an action's progress (browser, admin, API, import) comes here."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from actionplan.constraints import check_constraint_errors
from actionplan.dates import DatePrecision, format_period, is_period_end
from actionplan.text import prose_problem
from themes.models import ReviewCycle

from .local_plans import national_wording_changed
from .models import DONE_STATUSES, RAG_SEVERITY, Action, ClosureReason, Rag, Side, Status, StatusUpdate, side_words
from .permissions import can_update_action, completion_decision_refusal, lead_side
from .validation import history_reason

if TYPE_CHECKING:
    from actionplan.models import User

NARRATIVE_MAX_LENGTH = 5000
REVISION_REASON_MAX_LENGTH = 2000
EVIDENCE_URL_MAX_LENGTH = 500
# Markup is refused rather than stored: text is always shown escaped, but a tag in a narrative is never meant.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
UNSAFE_URL_CHARACTERS = re.compile(r"[\s<>\"'`\\\x00-\x1f\x7f]")
# A link typed without its scheme starts with a host name: "sharepoint.example/sites/x", "10.0.0.1/x",
# "localhost:8000/x". Anything else ("javascript:...", "see minutes") is left as typed, and judged as it is.
HOST_FIRST = re.compile(
    r"^(?:(?:[a-z0-9-]+\.)+[a-z0-9-]+|localhost)(?::\d{1,5})?(?:[/?#]|$)",
    re.IGNORECASE,
)
# A narrative, when one is needed, is at least a short sentence: this many words and characters.
NARRATIVE_MIN_WORDS = 3
NARRATIVE_MIN_CHARACTERS = 15
NARRATIVE_MINIMUM = f"at least {NARRATIVE_MIN_WORDS} words and {NARRATIVE_MIN_CHARACTERS} characters"


@dataclass
class StaleVersion(Exception):
    """The action changed since the form was rendered: nothing was saved.

    Carries the action as it stands now and the status updates recorded after the version the person saw,
    oldest first, so the page can show what changed and keep the person's text for a resubmission.
    """

    action: Action
    updates_since: list[StatusUpdate] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"Action {self.action.reference} was updated by someone else (now version {self.action.version}); "
            "nothing was saved."
        )


def review_cycle_current(*, plan_id: int, today: date) -> ReviewCycle | None:
    """The plan's review cycle whose update window contains today, if any."""
    return ReviewCycle.objects.taking_updates(on=today).filter(plan_id=plan_id).first()


def normalise_line_breaks(text: str) -> str:
    """CR LF and lone CR become LF: a line break is one character, as people and the character count see it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def evidence_url_normalise(url: str) -> str:
    """The link as stored: `https://` added when it was typed without a scheme ("example.org/minutes")."""
    url = (url or "").strip()
    if url.startswith("//"):
        return f"https:{url}"
    if HOST_FIRST.match(url):
        return f"https://{url}"
    return url


def narrative_is_a_sentence(narrative: str) -> bool:
    """At least NARRATIVE_MIN_WORDS words and NARRATIVE_MIN_CHARACTERS characters: enough to say what happened."""
    return len(narrative) >= NARRATIVE_MIN_CHARACTERS and len(narrative.split()) >= NARRATIVE_MIN_WORDS


def evidence_url_problem(url: str) -> str | None:
    """Why the evidence link cannot be stored, or None: only plain http(s) addresses are kept."""

    if len(url) > EVIDENCE_URL_MAX_LENGTH:
        return f"The evidence link must be {EVIDENCE_URL_MAX_LENGTH} characters or fewer"
    if UNSAFE_URL_CHARACTERS.search(url):
        return "The evidence link must not contain spaces, quotation marks, < > characters or hidden characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Enter the evidence link as a web address starting with https://"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "Enter the evidence link as a web address, for example https://sharepoint.example/sites/rasso/minutes"
    return None


def text_problem(text: str, *, name: str, max_length: int) -> str | None:
    """Why a piece of prose cannot be stored, or None: too long, a character that cannot be saved, or markup."""
    if len(text) > max_length:
        return f"The {name} must be {max_length:,} characters or fewer"
    problem = prose_problem(text, what=f"The {name}")
    if problem:
        return problem
    if MARKUP.search(text):
        return f"The {name} must not contain HTML or other markup: remove the < > tags"
    return None


def completion_pending_message(action: Action) -> str:
    """Why an action awaiting the other side's confirmation takes no other update."""
    proposer = action.completion_proposed_by
    when = timezone.localtime(action.completion_proposed_at).date()
    return (
        f"Completion of this action was proposed by {proposer} ({side_words(action.completion_proposed_side)}) "
        f"on {when.day} {when:%B %Y} and is awaiting the {side_words(action.completion_awaited_side)} lead: "
        "it must be confirmed or declined before the action can be updated again"
    )


def effective_moment(day: date) -> datetime:
    """The moment an update dated `day` (and not recorded that day) counts from: the start of the day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def last_update_effective_on(action: Action) -> date | None:
    """The day the action's latest status update happened, if it has any."""
    latest = action.updates.order_by("-effective_at", "-id").values_list("effective_at", flat=True).first()
    return timezone.localdate(latest) if latest is not None else None


def first_narrative_problem(narrative: str) -> str | None:
    """Why a narrative (stripped) cannot start a new action's timeline, or None. That first status update keeps the
    status and confidence the action starts with, so, like any update that changes neither, it says what has
    happened: in a sentence. For an action brought in from a spreadsheet, checked before it exists."""
    return text_problem(narrative, name="narrative", max_length=NARRATIVE_MAX_LENGTH) or _narrative_problem(
        narrative, worsens=False, finishes="", revising=False, unchanged=True
    )


def action_update_validate(
    *,
    action: Action,
    by: User,
    status: str,
    rag: str,
    narrative: str,
    evidence_url: str,
    revised_target_date: date | None,
    revision_reason: str,
    closure_reason: str,
    revised_target_precision: str = DatePrecision.DAY,
    effective_on: date | None = None,
    today: date,
) -> None:
    """Raise ValidationError (by field) when the update would break a rule; PermissionDenied when `by` is not
    an admin and the action is closed. Writes nothing: the form runs it too, so every mistake is listed at once.
    Text is expected stripped and the link normalised, as `action_update_status` does.

    `effective_on` is the day the update happened when that is before today (history brought in afterwards): it
    cannot be in the future, before the action joined the plan, or before the day of its latest update.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if status not in Status.values:
        add("status", "Select the status of the action")
    if rag not in Rag.values and not (rag == "" and status in DONE_STATUSES):
        add("rag", "Select the delivery confidence")
    if revised_target_precision not in DatePrecision.values:
        add("revised_target_date", "Give the revised target date as a day, a month or a quarter")
    elif revised_target_date is not None and not is_period_end(revised_target_date, revised_target_precision):
        add("revised_target_date", "A month or a quarter is stored as its last day")
    if closure_reason and closure_reason not in ClosureReason.values:
        add("closure_reason", "Select why the action is closed")
    if errors:
        raise ValidationError(errors)

    if action.completion_is_proposed:
        raise ValidationError(completion_pending_message(action))

    if action.status == Status.CLOSED:
        # A closed action stays closed; only an admin may reopen it, and an update of it must reopen it.
        if not by.is_admin:
            raise PermissionDenied("Only an admin may reopen a closed action.")
        if status == Status.CLOSED:
            add("status", "This action is closed: to update it, reopen it by choosing another status")

    if status == Status.COMPLETED and action.status != Status.COMPLETED and action.side == Side.JOINT:
        # A joint action is completed by both sides: one side's lead proposes it, the other side's confirms.
        if not by.is_admin and lead_side(by, action) is None:
            add("status", "Only a police or CPS lead of this joint action can propose its completion")
        elif by.is_admin:
            add(
                "status",
                "A joint action is completed when a lead of one side proposes it and a lead of the other side "
                "confirms it: ask a lead to mark it completed, then you can confirm it on the other lead’s behalf",
            )

    problem = text_problem(narrative, name="narrative", max_length=NARRATIVE_MAX_LENGTH)
    if problem:
        add("narrative", problem)
    problem = text_problem(revision_reason, name="reason", max_length=REVISION_REASON_MAX_LENGTH)
    if problem:
        add("revision_reason", problem)
    if evidence_url:
        problem = evidence_url_problem(evidence_url)
        if problem:
            add("evidence_url", problem)

    if effective_on is not None:
        today = today or timezone.localdate()
        joined = timezone.localdate(action.created_at) if action.created_at else None
        latest = last_update_effective_on(action)
        if not by.is_admin:
            # Bringing in history is an admin's task, by whatever way the update comes (the form offers it only to
            # admins; the API is told the same).
            add(
                "effective_on",
                "Only an admin records an update as of an earlier day: leave out the date it happened to record what "
                "happens now",
            )
        elif effective_on > today:
            add("effective_on", "The date it happened must be today or in the past")
        elif joined is not None and effective_on < joined:
            add(
                "effective_on",
                f"The date it happened must be on or after {format_period(joined)}, when the action joined the plan",
            )
        elif latest is not None and effective_on < latest:
            add(
                "effective_on",
                f"The date it happened must be on or after {format_period(latest)}, the date of the latest update",
            )

    revising = revised_target_date is not None and revised_target_date != action.current_target_date
    if revised_target_date is not None and not revising:
        add("revised_target_date", "The revised target date is the same as the current target date")
    if revising:
        if revised_target_date < (effective_on or today):
            add(
                "revised_target_date",
                (
                    "A revised target date must be on or after the date it happened"
                    if effective_on is not None
                    else "A revised target date must be today or later"
                )
                + "; to record that an action was delivered, mark it completed",
            )
        if not revision_reason:
            # Each revision gives its own reason: the reason of an earlier revision does not explain this one.
            add("revision_reason", "Give the reason the target date is revised")
    elif revision_reason and revised_target_date is None:
        add("revised_target_date", "Enter the revised target date, or remove the reason for revising it")

    problem = _narrative_problem(
        narrative,
        worsens=bool(rag and action.rag) and RAG_SEVERITY.get(rag, 0) > RAG_SEVERITY.get(action.rag, 0),
        finishes=status if status in (Status.COMPLETED, Status.CLOSED) and status != action.status else "",
        revising=revising,
        unchanged=status == action.status and rag == action.rag,
    )
    if problem and "narrative" not in errors:
        add("narrative", problem)

    if errors:
        # The constraints are asked of the database, which must never be sent text it refuses (a NUL).
        raise ValidationError(errors)
    # The rules of one row (a closed action has its reason, a completed one its date, a revised date is not
    # before the start...) are the model's constraints: ask them about the action as this update would leave it.
    after = _action_after(
        action,
        status=status,
        rag=rag,
        closure_reason=closure_reason,
        revised_target_date=revised_target_date if revising else None,
        revision_reason=revision_reason if revising else "",
        today=effective_on or today,
    )
    for name, messages in check_constraint_errors(after, fields=CONSTRAINT_FIELDS).items():
        for message in messages:
            add(name, message)
    if errors:
        raise ValidationError(errors)


# The question of the update form each constraint of an action concerns, so its message is shown there.
CONSTRAINT_FIELDS = {
    "action_closed_has_reason": "closure_reason",
    "action_revised_after_start": "revised_target_date",
    "action_revised_date_needs_reason": "revision_reason",
    "action_status_valid": "status",
    "action_rag_valid": "rag",
}


def _completed_on(action: Action, status: str, today: date) -> date | None:
    """Completing sets the completion date (kept when it was already completed); any other status clears it."""
    if status != Status.COMPLETED:
        return None
    return action.completed_on if action.status == Status.COMPLETED and action.completed_on else today


def _action_after(
    action: Action,
    *,
    status: str,
    rag: str,
    closure_reason: str,
    revised_target_date: date | None,
    revision_reason: str,
    today: date | None = None,
) -> Action:
    """An unsaved copy of the action as the update would leave it."""
    after = copy.copy(action)
    after.status, after.rag, after.closure_reason = status, rag, closure_reason
    after.completed_on = _completed_on(action, status, today or timezone.localdate())
    if revised_target_date is not None:
        after.revised_target_date, after.revision_reason = revised_target_date, revision_reason
    return after


# Why a narrative is needed: what to ask for when there is none, what to ask for when it is too short, an example.
NARRATIVE_NEEDED = {
    "worsens": (
        "Explain why the delivery confidence has worsened",
        "Explain in a sentence why the delivery confidence has worsened",
        "Trainers were recruited late, so the course now starts in June",
    ),
    Status.COMPLETED: (
        "Explain how the action was completed",
        "Explain in a sentence how the action was completed",
        "Guidance published and sent to every force and CPS Area",
    ),
    Status.CLOSED: (
        "Explain how the action was closed",
        "Explain in a sentence why the action was closed",
        "Replaced by action 2.4 in the 2022 refresh of the plan",
    ),
    "revising": (
        "Explain what has happened that means the target date is revised",
        "Explain in a sentence what has happened that means the target date is revised",
        "The supplier has delayed the new case system until the spring",
    ),
    "unchanged": (
        "Say what has happened since the last update, or change the status or confidence",
        "Say in a sentence what has happened since the last update",
        "Two more teams have started the training this month",
    ),
}


def _narrative_problem(narrative: str, *, worsens: bool, finishes: str, revising: bool, unchanged: bool) -> str:
    """The error for a narrative that is needed (the first reason that applies) and missing or too short."""
    reason = "worsens" if worsens else finishes or ("revising" if revising else "unchanged" if unchanged else "")
    if not reason:
        return ""
    missing, short, example = NARRATIVE_NEEDED[reason]
    if not narrative:
        return missing
    if not narrative_is_a_sentence(narrative):
        return f"{short}: {NARRATIVE_MINIMUM}, for example “{example}”"
    return ""


def action_update_status(
    *,
    action: Action,
    by: User,
    status: str,
    rag: str,
    narrative: str = "",
    evidence_url: str = "",
    revised_target_date: date | None = None,
    revision_reason: str = "",
    closure_reason: str = "",
    expected_version: int,
    revised_target_precision: str = DatePrecision.DAY,
    effective_on: date | None = None,
    today: date | None = None,
) -> StatusUpdate:
    """Record a status update of the action, made by `by`, based on the action's `expected_version`.

    Marking a joint action completed is a proposal: the action stays in progress, flagged with who proposed it,
    until a lead of the other side confirms or declines it (`action_completion_confirm`, `action_completion_decline`);
    until then it takes no other update.

    Raises PermissionDenied when `by` may not update the action, ValidationError (by field) when the update
    breaks a rule, and StaleVersion when the action has changed since `expected_version`: then nothing is
    saved. The lost-update guard is a conditional UPDATE on the version that must touch exactly one row;
    the unique (action, version) of status updates is the second guard.

    `effective_on` records history brought in afterwards: the update counts from that day in the board's figures
    (never as a change of this week), completes the action on that day, and belongs to the review cycle whose
    update window holds that day, unless that cycle is closed: a closed cycle's snapshot never changes. A completed
    or closed action may have no delivery confidence (`rag=""`).
    """
    if not can_update_action(by, action):
        raise PermissionDenied("You cannot update this action.")
    today = today or timezone.localdate()
    narrative = normalise_line_breaks(narrative or "").strip()
    evidence_url = evidence_url_normalise(evidence_url)
    revision_reason = normalise_line_breaks(revision_reason or "").strip()
    closure_reason = (closure_reason or "").strip()
    rag = rag or ""

    if action.version != expected_version:
        raise _stale(action.pk, expected_version)

    if effective_on == today:
        effective_on = None
    action_update_validate(
        action=action,
        by=by,
        status=status,
        rag=rag,
        narrative=narrative,
        evidence_url=evidence_url,
        revised_target_date=revised_target_date,
        revision_reason=revision_reason,
        closure_reason=closure_reason,
        revised_target_precision=revised_target_precision,
        effective_on=effective_on,
        today=today,
    )

    revising = revised_target_date is not None and revised_target_date != action.current_target_date
    now = timezone.now()
    proposing = status == Status.COMPLETED and action.status != Status.COMPLETED and action.side == Side.JOINT
    proposing_side = lead_side(by, action) if proposing else ""
    if proposing:
        status = Status.IN_PROGRESS
    happened = now
    if effective_on is not None:
        # From the start of that day, but never before the latest update: the history replays in the order recorded.
        latest = action.updates.order_by("-effective_at", "-id").values_list("effective_at", flat=True).first()
        happened = max(effective_moment(effective_on), latest) if latest else effective_moment(effective_on)
    changes: dict = {
        "status": status,
        "rag": rag,
        "closure_reason": closure_reason,
        "completed_on": _completed_on(action, status, effective_on or today),
        "version": F("version") + 1,
        "last_update_at": now,
    }
    if revising:
        changes["revised_target_date"] = revised_target_date
        changes["revised_target_date_precision"] = revised_target_precision
        changes["revision_reason"] = revision_reason
    if proposing:
        changes.update(completion_proposed_by=by, completion_proposed_at=now, completion_proposed_side=proposing_side)

    try:
        with transaction.atomic():
            touched = Action.objects.filter(pk=action.pk, version=expected_version).update(**changes)
            if touched != 1:
                raise _Conflict
            update = StatusUpdate(
                action=action,
                author=by,
                effective_at=happened,
                # The cycle whose update window holds the day it happened. A closed cycle takes no more updates:
                # history dated in its window belongs to no cycle, and the snapshot frozen at its close stays as it was.
                review_cycle=review_cycle_current(plan_id=action.plan_id, today=effective_on or today),
                status_from=action.status,
                status_to=status,
                rag_from=action.rag,
                rag_to=rag,
                target_date_from=action.current_target_date if revising else None,
                target_date_to=revised_target_date if revising else None,
                revision_reason=revision_reason if revising else "",
                narrative=narrative,
                evidence_url=evidence_url,
                version=expected_version + 1,
                kind=StatusUpdate.Kind.COMPLETION_PROPOSED if proposing else StatusUpdate.Kind.UPDATE,
                signoff_side=proposing_side,
            )
            update.save(force_insert=True)
    except _Conflict:
        raise _stale(action.pk, expected_version) from None
    except IntegrityError:
        # Only a clash on (action, version) means another update came first; any other failure is a bug.
        if not StatusUpdate.objects.filter(action_id=action.pk, version=expected_version + 1).exists():
            raise
        raise _stale(action.pk, expected_version) from None

    action.refresh_from_db()
    return update


# -- Joint sign-off ------------------------------------------------------------------------------------------------


class CompletionDecision:
    CONFIRM = "confirm"
    DECLINE = "decline"
    CHOICES = (CONFIRM, DECLINE)


def action_completion_decision_validate(*, action: Action, by: User, decision: str, reason: str) -> None:
    """Raise ValidationError (by field: `decision`, `reason`) when the decision on the action's proposed completion
    breaks a rule: a decline needs its reason, and so does an admin deciding on a lead's behalf. Writes nothing;
    the form runs it too. `reason` is expected stripped."""
    errors: dict[str, list[str]] = {}
    if decision not in CompletionDecision.CHOICES:
        errors["decision"] = ["Select whether you confirm or decline the completion"]
    problem = text_problem(reason, name="reason", max_length=NARRATIVE_MAX_LENGTH)
    if problem:
        errors["reason"] = [problem]
    elif not reason and decision in CompletionDecision.CHOICES:
        awaited = side_words(action.completion_awaited_side) if action.completion_is_proposed else "other"
        if by.is_admin and lead_side(by, action) is None:
            verb = "confirming" if decision == CompletionDecision.CONFIRM else "declining"
            errors["reason"] = [f"Give the reason you are {verb} the completion on the {awaited} lead’s behalf"]
        elif decision == CompletionDecision.DECLINE:
            errors["reason"] = ["Give the reason you are declining the completion"]
    if errors:
        raise ValidationError(errors)


def action_completion_confirm(
    *, action: Action, by: User, reason: str = "", expected_version: int, today: date | None = None
) -> StatusUpdate:
    """Confirm the completion of a joint action that a lead of the other side proposed: it is completed, dated
    the day of confirmation (`today`). `by` is a lead of the side awaited, or an admin on that lead's behalf (then
    `reason` is required and recorded). Raises PermissionDenied (with the reason: nobody confirms their own
    proposal), ValidationError, or StaleVersion when the action changed since `expected_version` (another lead
    confirmed or declined first): then nothing is saved."""
    return _completion_decide(
        action=action,
        by=by,
        decision=CompletionDecision.CONFIRM,
        reason=reason,
        expected_version=expected_version,
        today=today,
    )


def action_completion_decline(
    *, action: Action, by: User, reason: str, expected_version: int, today: date | None = None
) -> StatusUpdate:
    """Decline the proposed completion of a joint action, with a reason: it stays in progress and the proposal is
    cleared. Who may, and what is raised, as for `action_completion_confirm`."""
    return _completion_decide(
        action=action,
        by=by,
        decision=CompletionDecision.DECLINE,
        reason=reason,
        expected_version=expected_version,
        today=today,
    )


def _completion_decide(
    *, action: Action, by: User, decision: str, reason: str, expected_version: int, today: date | None
) -> StatusUpdate:
    today = today or timezone.localdate()
    reason = normalise_line_breaks(reason or "").strip()
    refusal = completion_decision_refusal(by, action)
    if refusal is not None and (action.completion_is_proposed or not can_update_action(by, action)):
        raise PermissionDenied(refusal)
    if action.version != expected_version:
        raise _stale(action.pk, expected_version)
    if refusal is not None:
        # Someone who may update the action, but nothing awaits a decision: bad input, not a refusal.
        raise ValidationError(refusal)
    action_completion_decision_validate(action=action, by=by, decision=decision, reason=reason)

    confirming = decision == CompletionDecision.CONFIRM
    side = action.completion_awaited_side
    on_behalf = lead_side(by, action) != side
    now = timezone.now()
    changes: dict = {
        "status": Status.COMPLETED if confirming else Status.IN_PROGRESS,
        "completed_on": today if confirming else None,
        "completion_proposed_by": None,
        "completion_proposed_at": None,
        "completion_proposed_side": "",
        "version": F("version") + 1,
        "last_update_at": now,
    }
    try:
        with transaction.atomic():
            # The version and the proposal both have to be as the person saw them: a second confirmation, or one
            # racing a decline, touches no row.
            touched = Action.objects.filter(
                pk=action.pk, version=expected_version, completion_proposed_at__isnull=False
            ).update(**changes)
            if touched != 1:
                raise _Conflict
            update = StatusUpdate(
                action=action,
                author=by,
                review_cycle=review_cycle_current(plan_id=action.plan_id, today=today),
                status_from=action.status,
                status_to=changes["status"],
                rag_from=action.rag,
                rag_to=action.rag,
                narrative=reason,
                version=expected_version + 1,
                kind=(StatusUpdate.Kind.COMPLETION_CONFIRMED if confirming else StatusUpdate.Kind.COMPLETION_DECLINED),
                signoff_side=side,
                on_behalf=on_behalf,
            )
            update.save(force_insert=True)
    except _Conflict:
        raise _stale(action.pk, expected_version) from None
    except IntegrityError:
        if not StatusUpdate.objects.filter(action_id=action.pk, version=expected_version + 1).exists():
            raise
        raise _stale(action.pk, expected_version) from None

    action.refresh_from_db()
    return update


class _Conflict(Exception):
    """The conditional update touched no row: another update came first."""


def _stale(action_id: int, expected_version: int) -> StaleVersion:
    current = Action.objects.select_related("plan", "theme").get(pk=action_id)
    updates_since = list(
        StatusUpdate.objects.filter(action_id=action_id, version__gt=expected_version)
        .select_related("author", "author__organisation")
        .order_by("version")
    )
    return StaleVersion(action=current, updates_since=updates_since)


# -- Content: wording, theme, leads and dates ---------------------------------------------------------------------

CONTENT_FIELDS = ("theme", "title", "description", "side", "police_lead", "cps_lead", "start_date", "target_date")


def action_change_content(*, action: Action, by: User, reason: str, lead_organisations=None, **changes) -> list[str]:
    """Change an action's wording, theme, side, leads or dates (never its progress, which changes only through a
    status update), recording who made the change and why in its history. Returns the names of the fields that
    changed. Raises ValidationError (by field) when the result would break a rule; then nothing is saved.

    When a national action's title or description changes, each local copy is marked "national action changed"
    for its lead to answer (`national_wording_changed`). The caller checks permission: an admin editing, or a
    revision being published."""
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not content fields of an action: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(action, name) != value]
    old_title, old_description = action.title, action.description
    for name in changed:
        setattr(action, name, changes[name])
    organisations = None
    if lead_organisations is not None:
        wanted = {org.pk for org in lead_organisations}
        if wanted != set(action.lead_organisations.values_list("pk", flat=True)):
            organisations = list(lead_organisations)
    if not changed and organisations is None:
        return []
    with transaction.atomic():
        if changed:
            action.full_clean()
            action._change_reason = history_reason(reason)
            action._history_user = by
            action.save(update_fields=[*changed, "reference_sort"])
        if organisations is not None:
            action._change_reason = history_reason(reason)
            action._history_user = by
            action.lead_organisations.set(organisations)
            changed.append("lead_organisations")
        if action.plan.is_national and {"title", "description"} & set(changed):
            national_wording_changed(
                national_action=action, old_title=old_title, old_description=old_description, by=by, source=reason
            )
    return changed


def action_set_successor(*, action: Action, successor: Action | None, by: User, reason: str) -> None:
    """Point a closed action at the action that carries its work forward (kept in the action's history)."""
    if successor is not None and successor.pk == action.pk:
        raise ValidationError({"superseded_by": "An action cannot be superseded by itself"})
    action.superseded_by = successor
    action._change_reason = history_reason(reason)
    action._history_user = by
    action.save(update_fields=["superseded_by"])
