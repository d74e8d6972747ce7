"""Inspection recommendations: sources and their numbered recommendations, entered one by one or pasted as a
numbered list, linked to the actions that answer them, and closed with evidence.

Every write goes through these services; each refusal raises PermissionDenied or ValidationError, says why and
changes nothing. The reads are in `recommendation_selectors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Action, Status
from actions.permissions import can_manage_recommendations
from actions.services import evidence_url_normalise, evidence_url_problem
from actions.validation import clean_prose, history_reason, prose_problem

from .models import FindingSource, Recommendation, RecommendationLink
from .recommendation_selectors import recommendation_progress

TITLE_MAX_LENGTH = 300
SHORT_TITLE_MAX_LENGTH = 100
PUBLISHER_MAX_LENGTH = 200
NUMBER_MAX_LENGTH = 20
TEXT_MAX_LENGTH = 5000
EVIDENCE_MAX_LENGTH = 5000
PASTE_MAX_LINES = 200
NUMBER = re.compile(r"^[0-9]{1,4}[A-Za-z]?$")


def _require_manager(by) -> None:
    if not can_manage_recommendations(by):
        raise PermissionDenied("Only an admin may record or change recommendations")


def _one_line(errors: dict, name: str, value: str, *, what: str, max_length: int, required: bool) -> None:
    problem = prose_problem(value, what=what, max_length=max_length, required=required)
    if problem is None and "\n" in value:
        problem = f"The {what} must be on one line"
    if problem:
        errors.setdefault(name, []).append(problem)


# -- Sources ------------------------------------------------------------------------------------------------------


def source_save(
    *,
    by,
    title: str,
    short_title: str = "",
    publisher: str = "",
    kind: str = FindingSource.Kind.INSPECTION,
    published_on: date | None = None,
    url: str = "",
    source: FindingSource | None = None,
) -> FindingSource:
    """Record a source of findings (or change one): an inspection, a review or another report."""
    _require_manager(by)
    title, short_title, publisher = clean_prose(title), clean_prose(short_title), clean_prose(publisher)
    # A web address typed without its scheme gets https://, as an update's evidence link does.
    url = evidence_url_normalise(url)
    errors: dict[str, list[str]] = {}
    _one_line(errors, "title", title, what="title", max_length=TITLE_MAX_LENGTH, required=True)
    _one_line(errors, "short_title", short_title, what="short title", max_length=SHORT_TITLE_MAX_LENGTH, required=False)
    _one_line(errors, "publisher", publisher, what="publisher", max_length=PUBLISHER_MAX_LENGTH, required=False)
    if kind not in FindingSource.Kind.values:
        errors["kind"] = ["Choose whether the source is an inspection, a review or other"]
    if url:
        problem = evidence_url_problem(url)
        if problem:
            errors["url"] = [
                problem.replace("the evidence link as a web address", "the web address").replace(
                    "evidence link", "web address"
                )
            ]
    if "title" not in errors:
        clash = FindingSource.objects.filter(title__iexact=title).exclude(pk=getattr(source, "pk", None)).first()
        if clash is not None:
            errors["title"] = [f"“{clash.title}” is already recorded"]
    if errors:
        raise ValidationError(errors)
    source = source or FindingSource(created_by=by)
    source.title, source.short_title, source.publisher = title, short_title, publisher
    source.kind, source.published_on, source.url = kind, published_on, url
    source._history_user = by
    try:
        with transaction.atomic():
            source.full_clean()
            source.save()
    except IntegrityError:
        raise ValidationError({"title": ["A source with this title was recorded meanwhile"]}) from None
    return source


# -- Recommendations ----------------------------------------------------------------------------------------------


def _recommendation_errors(*, source, number: str, text: str, addressee: str, exclude_pk=None) -> dict:
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = ["Enter the recommendation's number, for example 3 or 3a"]
    elif not NUMBER.match(number):
        errors["number"] = ["The number must be digits, with a letter after them if the source uses one: 3 or 3a"]
    elif source.recommendations.filter(number__iexact=number).exclude(pk=exclude_pk).exists():
        errors["number"] = [f"{source} already has a recommendation {number}"]
    problem = prose_problem(text, what="recommendation", max_length=TEXT_MAX_LENGTH, required=True)
    if problem:
        errors["text"] = [problem.replace("Enter the recommendation", "Enter the text of the recommendation")]
    if addressee not in Recommendation.Addressee.values:
        errors["addressee"] = ["Choose who the recommendation is addressed to"]
    return errors


def recommendation_save(
    *,
    source: FindingSource,
    by,
    number: str,
    text: str,
    addressee: str,
    due_on: date | None = None,
    recommendation: Recommendation | None = None,
) -> Recommendation:
    """Record one numbered recommendation of a source (or change one)."""
    _require_manager(by)
    number, text = (number or "").strip(), clean_prose(text)
    errors = _recommendation_errors(
        source=source, number=number, text=text, addressee=addressee, exclude_pk=getattr(recommendation, "pk", None)
    )
    if errors:
        raise ValidationError(errors)
    recommendation = recommendation or Recommendation(source=source, created_by=by)
    recommendation.number, recommendation.text = number, text
    recommendation.addressee, recommendation.due_on = addressee, due_on
    recommendation._history_user = by
    try:
        with transaction.atomic():
            recommendation.full_clean()
            recommendation.save()
    except IntegrityError:
        raise ValidationError({"number": [f"Recommendation {number} was recorded meanwhile"]}) from None
    return recommendation


# -- A pasted numbered list ---------------------------------------------------------------------------------------

# "3. Chief constables should...", "3) ...", "3: ...", "3 - ...", "Recommendation 3: ...", "R3 ...", "3a. ..."
LINE = re.compile(
    r"^\s*(?:recommendation\s*|rec\.?\s*|r)?(?P<number>[0-9]{1,4}[a-z]?)(?:\s*[.):\-–]\s*|\s+)(?P<text>\S.*)$",
    re.IGNORECASE,
)
POLICE_WORDS = re.compile(r"\b(police|chief constables?|forces?|npcc|college of policing|officers?)\b", re.I)
CPS_WORDS = re.compile(r"\b(cps|crown prosecution|prosecutors?|chief crown prosecutors?|director of public)\b", re.I)


def addressee_from_text(text: str, *, default: str) -> str:
    """Who a recommendation speaks to, read from its words: the police, the CPS, both, or `default`."""
    police, cps = bool(POLICE_WORDS.search(text)), bool(CPS_WORDS.search(text))
    if police and cps:
        return Recommendation.Addressee.BOTH
    if police:
        return Recommendation.Addressee.POLICE
    if cps:
        return Recommendation.Addressee.CPS
    return default


@dataclass
class PastedLine:
    line: int
    number: str
    text: str
    addressee: str

    @property
    def addressee_label(self) -> str:
        return Recommendation.Addressee(self.addressee).label


@dataclass
class PastedList:
    items: list[PastedLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def recommendations_parse(*, source: FindingSource, text: str, default_addressee: str) -> PastedList:
    """Read a pasted numbered list, one recommendation per line, the number taken from the start of the line.
    Blank lines are skipped; every other problem is named with its line."""
    result = PastedList()
    if default_addressee not in Recommendation.Addressee.values:
        result.problems.append("Choose who the recommendations are addressed to when their words do not say")
        default_addressee = Recommendation.Addressee.OTHER
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        result.problems.append("Paste the recommendations, one per line, each starting with its number")
        return result
    if len(lines) > PASTE_MAX_LINES:
        result.problems.append(f"Paste at most {PASTE_MAX_LINES} lines at a time")
        return result
    existing = {n.lower() for n in source.recommendations.values_list("number", flat=True)}
    seen: dict[str, int] = {}
    for index, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        match = LINE.match(raw)
        if match is None:
            result.problems.append(
                f"Line {index} does not start with a number: start each recommendation with its number, "
                "for example “3. Chief constables should…”"
            )
            continue
        number, body = match.group("number"), clean_prose(match.group("text"))
        problem = prose_problem(body, what="recommendation", max_length=TEXT_MAX_LENGTH, required=True)
        if problem:
            result.problems.append(f"Line {index}: {problem}")
        if number.lower() in seen:
            result.problems.append(f"Line {index}: number {number} is also on line {seen[number.lower()]}")
        elif number.lower() in existing:
            result.problems.append(f"Line {index}: {source} already has a recommendation {number}")
        seen.setdefault(number.lower(), index)
        result.items.append(
            PastedLine(
                line=index, number=number, text=body, addressee=addressee_from_text(body, default=default_addressee)
            )
        )
    return result


def recommendations_add_pasted(*, source: FindingSource, by, text: str, default_addressee: str) -> list[Recommendation]:
    """Record every recommendation of a pasted numbered list in one go; with any problem, none is recorded."""
    _require_manager(by)
    pasted = recommendations_parse(source=source, text=text, default_addressee=default_addressee)
    if pasted.problems:
        raise ValidationError(pasted.problems)
    created = []
    try:
        with transaction.atomic():
            for item in pasted.items:
                recommendation = Recommendation(
                    source=source, number=item.number, text=item.text, addressee=item.addressee, created_by=by
                )
                recommendation._history_user = by
                recommendation.full_clean()
                recommendation.save()
                created.append(recommendation)
    except IntegrityError:
        raise ValidationError("Some of these numbers were recorded meanwhile: preview the list again") from None
    return created


# -- Links to actions ---------------------------------------------------------------------------------------------


def recommendation_link(*, recommendation: Recommendation, action: Action, by) -> RecommendationLink:
    """Link a recommendation to an action that answers it. Refused for a link that exists, and for a closed action
    (the action that carries its work forward answers the recommendation instead)."""
    _require_manager(by)
    if recommendation.links.filter(action=action).exists():
        raise ValidationError(
            f"Recommendation {recommendation.number} of {recommendation.source} is already linked to action "
            f"{action.reference} of {action.plan}"
        )
    if action.status == Status.CLOSED:
        successor = action.superseded_by
        hint = f": link action {successor.reference}, which carries its work forward" if successor else ""
        raise ValidationError(
            f"Action {action.reference} is closed ({action.get_closure_reason_display().lower()}){hint}"
        )
    link = RecommendationLink(recommendation=recommendation, action=action, created_by=by)
    link._history_user = by
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(
            f"Recommendation {recommendation.number} of {recommendation.source} is already linked to action "
            f"{action.reference}"
        ) from None
    return link


def recommendation_unlink(*, recommendation: Recommendation, action: Action, by) -> None:
    """Remove a link (kept in the links' history)."""
    _require_manager(by)
    link = recommendation.links.filter(action=action).first()
    if link is None:
        raise ValidationError(
            f"Recommendation {recommendation.number} is not linked to action {action.reference}: nothing to remove"
        )
    link._history_user = by
    link.delete()


def recommendation_links_follow(*, closed: list[tuple[Action, Action | None]], by) -> int:
    """When a revision merges or supersedes actions, their successors answer their recommendations too: link each
    recommendation of a closed action to the action that carries its work forward. Returns the links made."""
    made = 0
    for action, successor in closed:
        if successor is None:
            continue
        for link in RecommendationLink.objects.filter(action=action).select_related("recommendation"):
            if not link.recommendation.links.filter(action=successor).exists():
                new = RecommendationLink(recommendation=link.recommendation, action=successor, created_by=by)
                new._history_user = by
                new._change_reason = history_reason(
                    f"Follows action {action.reference}, which {successor.reference} carries forward"
                )
                new.save()
                made += 1
    return made


# -- Closing with evidence ----------------------------------------------------------------------------------------


def recommendation_close(*, recommendation: Recommendation, by, evidence: str, evidence_url: str = "") -> None:
    """Close a recommendation whose linked actions are all completed, with the evidence that it is met."""
    _require_manager(by)
    evidence, evidence_url = clean_prose(evidence), evidence_url_normalise(evidence_url)
    with transaction.atomic():
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if recommendation.closed_at is not None:
            raise ValidationError(f"Recommendation {recommendation.number} is already closed")
        progress = recommendation_progress(recommendation=recommendation)
        if progress.state != Recommendation.State.ADDRESSED:
            if progress.planned == 0:
                why = "no action answering it is planned yet"
            else:
                why = f"{progress.completed} of its {progress.planned} actions are completed"
            raise ValidationError(
                f"Recommendation {recommendation.number} cannot be closed yet: {why}. "
                "It is closed once every action answering it is completed"
            )
        errors: dict[str, list[str]] = {}
        problem = prose_problem(evidence, what="evidence", max_length=EVIDENCE_MAX_LENGTH, required=True)
        if problem:
            errors["evidence"] = [problem.replace("Enter the evidence", "Describe the evidence that it is met")]
        if evidence_url:
            problem = evidence_url_problem(evidence_url)
            if problem:
                errors["evidence_url"] = [problem]
        if errors:
            raise ValidationError(errors)
        recommendation.closed_at = timezone.now()
        recommendation.closed_by = by
        recommendation.closure_evidence = evidence
        recommendation.evidence_url = evidence_url
        recommendation._history_user = by
        recommendation._change_reason = "Closed with evidence"
        recommendation.full_clean()
        recommendation.save()


def recommendation_reopen(*, recommendation: Recommendation, by) -> None:
    """Take back a closure (the evidence stays in the recommendation's history)."""
    _require_manager(by)
    with transaction.atomic():
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if recommendation.closed_at is None:
            raise ValidationError(f"Recommendation {recommendation.number} is not closed")
        recommendation.closed_at = None
        recommendation.closed_by = None
        recommendation.closure_evidence = ""
        recommendation.evidence_url = ""
        recommendation._history_user = by
        recommendation._change_reason = "Reopened"
        recommendation.save()
