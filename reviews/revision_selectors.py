"""Reads of plan revisions: what a revision did (or a draft would do), the draft's decisions by theme, and the
plan as it stood at each revision."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils.dateformat import format as format_date

from actions.models import Action, Side, Status, reference_sort_key
from themes.models import Plan, Theme

from .models import Revision, RevisionDecision

Fate = RevisionDecision.Fate


def next_reference(theme_number: int, used: set[str]) -> str:
    """The next free reference in a theme: one more than the highest "<theme>.<n>" in use."""
    pattern = re.compile(rf"^{theme_number}\.(\d+)$")
    highest = max((int(m.group(1)) for ref in used if (m := pattern.match(ref))), default=0)
    return f"{theme_number}.{highest + 1}"


def action_wording(action: Action) -> dict:
    """An action's reference, theme, wording, side, leads, dates and status, as stored with a revision."""
    return {
        "id": action.pk,
        "reference": action.reference,
        "theme": action.theme.number,
        "theme_title": action.theme.title,
        "title": action.title,
        "description": action.description,
        "side": action.side,
        "police_lead": str(action.police_lead) if action.police_lead_id else "",
        "cps_lead": str(action.cps_lead) if action.cps_lead_id else "",
        "start_date": action.start_date.isoformat(),
        "target_date": action.current_target_date.isoformat(),
        "status": action.status,
        "closure_reason": action.closure_reason,
        "superseded_by": action.superseded_by.reference if action.superseded_by_id else "",
    }


def plan_content(plan: Plan) -> dict:
    """The plan's themes and their actions with their wording, leads, dates and status, as they stand now."""
    actions = list(
        plan.actions.select_related("theme", "police_lead", "cps_lead", "superseded_by").order_by("reference_sort")
    )
    by_theme: dict[int, list[dict]] = {}
    for action in actions:
        by_theme.setdefault(action.theme_id, []).append(action_wording(action))
    return {
        "title": plan.title,
        "edition": plan.revision,
        "themes": [
            {"number": t.number, "title": t.title, "purpose": t.purpose, "actions": by_theme.get(t.pk, [])}
            for t in plan.themes.order_by("number")
        ],
    }


def revisions_readable(*, user) -> QuerySet[Revision]:
    return (
        Revision.objects.readable_by(user)
        .select_related("plan", "created_by", "published_by")
        .order_by("plan__kind", "plan__title", "-effective_on", "-id")
    )


SIDE_LABELS = dict(Side.choices)
STATUS_LABELS = dict(Status.choices)


@dataclass
class FieldDiff:
    label: str
    before: str
    after: str
    long: bool = False


def _shown(wording: dict, key: str) -> str:
    value = wording.get(key, "")
    if key in ("start_date", "target_date") and value:
        return format_date(date.fromisoformat(value), "j F Y")
    if key == "side":
        return SIDE_LABELS.get(value, value)
    if key == "theme":
        return f"{value}. {wording.get('theme_title', '')}"
    return value or "(none)"


DIFF_FIELDS = [
    ("title", "Title", False),
    ("description", "Description", True),
    ("theme", "Theme", False),
    ("side", "Side", False),
    ("police_lead", "Police lead", False),
    ("cps_lead", "CPS lead", False),
    ("start_date", "Start date", False),
    ("target_date", "Target date", False),
]


def wording_changes(before: dict | None, after: dict | None) -> list[FieldDiff]:
    if not before or not after:
        return []
    return [
        FieldDiff(label=label, before=_shown(before, key), after=_shown(after, key), long=long)
        for key, label, long in DIFF_FIELDS
        if before.get(key) != after.get(key)
    ]


def proposed_wording(decision: RevisionDecision, *, reference: str = "") -> dict:
    """What a draft decision would make of its action (for the draft's page), in the stored wording's shape."""
    base = action_wording(decision.action) if decision.action_id else {}
    if decision.fate not in (Fate.CHANGED, Fate.ADDED):
        return base
    return {
        **base,
        "reference": base.get("reference") or decision.reference or reference,
        "theme": decision.theme.number,
        "theme_title": decision.theme.title,
        "title": decision.title,
        "description": decision.description,
        "side": decision.side,
        "police_lead": str(decision.police_lead) if decision.police_lead_id else "",
        "cps_lead": str(decision.cps_lead) if decision.cps_lead_id else "",
        "start_date": decision.start_date.isoformat(),
        "target_date": decision.target_date.isoformat(),
        "status": base.get("status", Status.NOT_STARTED),
    }


@dataclass
class DecisionView:
    decision: RevisionDecision
    reference: str
    title: str
    before: dict
    after: dict
    changes: list[FieldDiff]
    successor_reference: str = ""
    successor_title: str = ""
    successor_url: str = ""


@dataclass
class RevisionReport:
    added: list[DecisionView] = field(default_factory=list)
    changed: list[DecisionView] = field(default_factory=list)
    merged: list[DecisionView] = field(default_factory=list)
    superseded: list[DecisionView] = field(default_factory=list)
    withdrawn: list[DecisionView] = field(default_factory=list)
    carried: list[DecisionView] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return len(self.added) + len(self.changed) + len(self.merged) + len(self.superseded) + len(self.withdrawn)


def revision_report(*, revision: Revision) -> RevisionReport:
    """What the revision adds, changes (before and after), merges, supersedes, withdraws and carries forward, with
    its reasons: from the record kept at publishing, or for a draft from the decisions and the plan as it stands."""
    decisions = list(
        revision.decisions.select_related(
            "action",
            "action__theme",
            "action__police_lead",
            "action__cps_lead",
            "action__superseded_by",
            "into_action",
            "successor",
            "successor__action",
            "theme",
            "police_lead",
            "cps_lead",
        ).order_by("id")
    )
    report = RevisionReport()
    provisional = provisional_references(revision=revision, decisions=decisions) if revision.is_draft else {}
    for decision in decisions:
        if revision.is_draft:
            before = action_wording(decision.action) if decision.action_id else {}
            after = proposed_wording(decision, reference=provisional.get(decision.pk, ""))
        else:
            before, after = decision.before or {}, decision.after or {}
        view = DecisionView(
            decision=decision,
            reference=after.get("reference") or before.get("reference", ""),
            title=after.get("title") or before.get("title", ""),
            before=before,
            after=after,
            changes=wording_changes(before, after) if decision.fate == Fate.CHANGED else [],
        )
        if decision.into_action_id:
            target = decision.into_action
            view.successor_reference, view.successor_title = target.reference, target.title
            view.successor_url = target.get_absolute_url()
        elif decision.successor_id:
            successor = decision.successor
            if successor.action_id:
                view.successor_reference = successor.action.reference
                view.successor_url = successor.action.get_absolute_url()
            else:
                view.successor_reference = provisional.get(successor.pk, "")
            view.successor_title = successor.title
        getattr(report, decision.fate).append(view)
    for views in (report.added, report.changed, report.merged, report.superseded, report.withdrawn, report.carried):
        views.sort(key=lambda v: reference_sort_key(v.reference))
    return report


def provisional_references(*, revision: Revision, decisions: list[RevisionDecision] | None = None) -> dict[int, str]:
    """The references a draft's new actions would get if it were published now: {decision id: reference}."""
    decisions = decisions if decisions is not None else list(revision.decisions.select_related("theme"))
    used = set(revision.plan.actions.values_list("reference", flat=True))
    used |= {d.reference for d in decisions if d.fate == Fate.ADDED and d.reference}
    result = {}
    for decision in sorted((d for d in decisions if d.fate == Fate.ADDED), key=lambda d: d.pk):
        reference = decision.reference or next_reference(decision.theme.number, used)
        used.add(reference)
        result[decision.pk] = reference
    return result


@dataclass
class DraftRow:
    action: Action
    decision: RevisionDecision | None

    @property
    def decidable(self) -> bool:
        return self.action.is_open


def revision_draft_rows(*, revision: Revision) -> list[tuple[Theme, list[DraftRow]]]:
    """Each theme of the plan with its actions and the decision the draft records for each (None: carried
    forward unchanged, for an open action)."""
    decisions = {
        d.action_id: d
        for d in revision.decisions.filter(action__isnull=False).select_related("into_action", "successor")
    }
    actions = (
        revision.plan.actions.select_related("theme", "police_lead", "cps_lead")
        .with_current_target()
        .order_by("reference_sort")
    )
    by_theme: dict[int, list[DraftRow]] = {}
    for action in actions:
        by_theme.setdefault(action.theme_id, []).append(DraftRow(action=action, decision=decisions.get(action.pk)))
    return [(theme, by_theme.get(theme.pk, [])) for theme in revision.plan.themes.order_by("number")]


@dataclass
class Edition:
    """The plan as it stood at one point of its history: first published, or after a revision."""

    name: str
    revision: Revision
    which: str  # "before" (the edition the first revision replaced) or "after"
    on: date | None = None


def plan_editions(*, plan: Plan, user) -> list[Edition]:
    """The plan's editions, oldest first: as it stood before its first published revision, then after each."""
    published = list(
        Revision.objects.readable_by(user)
        .filter(plan=plan, status=Revision.Status.PUBLISHED)
        .order_by("published_at", "id")
    )
    if not published:
        return []
    first = published[0]
    editions = [Edition(name=first.replaced_edition or "As first published", revision=first, which="before")]
    editions += [Edition(name=r.name, revision=r, which="after", on=r.effective_on) for r in published]
    return editions


def edition_content(*, revision: Revision, which: str) -> dict:
    """The plan's themes and actions as stored with a published revision, with dates as dates for display."""
    content = revision.content_after if which == "after" else revision.content_before
    content = content or {"themes": []}
    themes = []
    for theme in content.get("themes", []):
        actions = []
        for wording in theme.get("actions", []):
            actions.append(
                {
                    **wording,
                    "start_date": date.fromisoformat(wording["start_date"]),
                    "target_date": date.fromisoformat(wording["target_date"]),
                    "side_label": SIDE_LABELS.get(wording["side"], wording["side"]),
                }
            )
        themes.append({**theme, "actions": actions})
    return {**content, "themes": themes}
