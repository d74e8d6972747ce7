"""The spreadsheet import of a plan's actions: read the rows, work out what each would create or change (the
preview, which writes nothing), then apply it all or nothing through the services, with the importer as author.

Columns are matched by their headings, so the dashboard's export imports back unchanged and columns the import
does not use (or that a later export adds) are left alone. A column that is absent changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from actionplan.constraints import check_constraint_errors
from actionplan.dates import DatePrecision, PeriodDateError, format_period, parse_period
from actionplan.models import Organisation, User
from themes.models import Plan

from .content import action_create, action_set_starting_progress, action_update_content, suggest_reference
from .models import DONE_STATUSES, Action, ActionImport, ClosureReason, Rag, Side, Status, StatusUpdate
from .services import (
    StaleVersion,
    action_update_status,
    action_update_validate,
    first_narrative_problem,
    normalise_line_breaks,
)
from .validation import accountability_problem

if TYPE_CHECKING:
    from .spreadsheets import Table


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""


COLUMNS = [
    Column(
        "reference",
        "Reference",
        ("ref", "action number", "number"),
        hint='For example "2.3". Left blank, the next free number in the theme is suggested.',
    ),
    Column(
        "theme", "Theme", ("theme number",), True, 'The theme\'s number, for example "2" (or "2. Casework quality").'
    ),
    Column("title", "Title", ("action", "action title"), True, "The action as the plan words it."),
    Column("description", "Description", (), hint="More about the action (optional)."),
    Column("side", "Side", ("owner side",), True, '"Police", "CPS" or "Joint".'),
    Column("police_lead", "Police lead", (), hint="The person's username, email address or full name."),
    Column("cps_lead", "CPS lead", (), hint="The person's username, email address or full name."),
    Column("lead_organisations", "Lead organisations", ("lead organisation",), hint="Names, separated by ;"),
    Column("start_date", "Start date", (), hint='A day, a month or a quarter: "24 March 2021", "Dec 2021", "Q1 2022".'),
    Column("target_date", "Target date", (), True, 'A day, a month or a quarter: "March 2022", "Q4 2021-22".'),
    Column("revised_target_date", "Revised target date", (), hint="A later target date, with its reason."),
    Column("revision_reason", "Revision reason", ("reason for revised date", "reason"), hint="Why the date moved."),
    Column(
        "status",
        "Status",
        (),
        hint='"Not started", "In progress", "Completed", "Closed: superseded" or '
        '"Closed: withdrawn". Blank: not started.',
    ),
    Column("closure_reason", "Closure reason", (), hint='"Superseded" or "Withdrawn", for a closed action.'),
    Column(
        "rag",
        "Delivery confidence",
        ("rag", "rag status", "confidence"),
        hint='"Green", "Amber" or "Red"; may be blank for a completed or closed action.',
    ),
    Column("narrative", "Narrative", ("latest narrative", "progress", "commentary"), hint="What has happened."),
    Column(
        "status_date",
        "Status date",
        ("as at", "date of status"),
        hint="The day the status was reached or reported, for progress made before it is recorded here. Blank: today.",
    ),
    Column("plan", "Plan", (), hint="Optional: the plan's title, checked against the plan you import into."),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
TEMPLATE_HEADINGS = [column.heading for column in COLUMNS if column.key != "plan"]

PREVIEW_HOURS = 24
STATUS_WORDS = {label.lower(): value for value, label in Status.choices} | {value: value for value in Status.values}
STATUS_WORDS.update(
    {"not started yet": Status.NOT_STARTED, "ongoing": Status.IN_PROGRESS, "complete": Status.COMPLETED}
)
CLOSURE_WORDS = {label.lower(): value for value, label in ClosureReason.choices}
SIDE_WORDS = {label.lower(): value for value, label in Side.choices} | {"both": Side.JOINT, "npcc": Side.POLICE}
RAG_WORDS = {label.lower(): value for value, label in Rag.choices} | {"g": "green", "a": "amber", "r": "red"}


def normalise_heading(text: str) -> str:
    text = re.sub(r"\(.*?\)|\*", "", text.lower())
    return " ".join(text.replace("_", " ").split())


HEADING_KEYS = {
    normalise_heading(alias): column.key for column in COLUMNS for alias in (column.heading, *column.aliases)
}


class ImportRefused(Exception):
    """The import as a whole cannot go ahead (a file-level problem, an expired preview, a plan changed)."""


# -- The preview ----------------------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    row: int
    kind: str  # "create", "update" or "unchanged"
    reference: str
    title: str
    theme: int
    reference_suggested: bool = False
    changes: list[Change] = field(default_factory=list)


@dataclass
class Preview:
    creates: list[RowPlan] = field(default_factory=list)
    updates: list[RowPlan] = field(default_factory=list)
    unchanged: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def change_count(self) -> int:
        return len(self.creates) + len(self.updates)

    @property
    def can_apply(self) -> bool:
        return not self.errors and bool(self.creates or self.updates)

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> Preview:
        def rows(items):
            return [RowPlan(**{**item, "changes": [Change(**c) for c in item["changes"]]}) for item in items]

        return cls(
            creates=rows(data["creates"]),
            updates=rows(data["updates"]),
            unchanged=rows(data["unchanged"]),
            errors=[RowError(**item) for item in data["errors"]],
            ignored_columns=list(data["ignored_columns"]),
            notes=list(data["notes"]),
        )

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.as_data(), sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Parsed:
    """One row read: the values of the columns present (a missing column is not in `values`)."""

    row: int
    values: dict
    suggested: bool = False


def map_headings(headers: list[str]) -> tuple[dict[str, int], list[str], list[RowError]]:
    """Which column holds what: {key: index}, the headings not used, and problems (missing or repeated)."""
    found: dict[str, int] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for index, heading in enumerate(headers):
        key = HEADING_KEYS.get(normalise_heading(heading))
        if key is None:
            if heading:
                ignored.append(heading)
            continue
        if key in found:
            errors.append(RowError(1, heading, f"The column “{COLUMN_BY_KEY[key].heading}” appears twice: keep one"))
            continue
        found[key] = index
    missing = [column.heading for column in COLUMNS if column.required and column.key not in found]
    if missing:
        if not found:
            message = (
                "The first row does not hold the template's column headings (such as Reference, Theme, Title, Side, "
                "Target date): download the template and copy your rows into it"
            )
        else:
            message = (
                f"The file has no column headed {', '.join(f'“{m}”' for m in missing)}: add it, as in the template"
            )
        errors.append(RowError(1, ", ".join(missing), message))
    return found, ignored, errors


class People:
    """Leads and organisations named in a file, resolved with a few queries for the whole file."""

    def __init__(self, names: set[str], organisation_names: set[str]):
        lowered = {name.lower() for name in names}
        users = (
            list(
                User.objects.filter(is_active=True)
                .select_related("organisation")
                .annotate(
                    lname=Lower("username"),
                    lemail=Lower("email"),
                    lfull=Concat(Lower("first_name"), Value(" "), Lower("last_name")),
                )
                .filter(Q(lname__in=lowered) | Q(lemail__in=lowered) | Q(lfull__in=lowered))
            )
            if names
            else []
        )
        self.by_name: dict[str, list[User]] = {}
        for user in users:
            keys = {user.username.lower(), (user.email or "").lower(), str(user).lower(), user.get_full_name().lower()}
            for key in keys & lowered:
                self.by_name.setdefault(key, []).append(user)
        orgs = (
            list(
                Organisation.objects.annotate(lname=Lower("name"), lshort=Lower("short_name")).filter(
                    Q(lname__in=organisation_names) | Q(lshort__in=organisation_names)
                )
            )
            if organisation_names
            else []
        )
        self.organisations: dict[str, Organisation] = {}
        for org in orgs:
            for key in (org.name.lower(), (org.short_name or "").lower()):
                if key:
                    self.organisations[key] = org

    def person(self, text: str) -> User:
        found = {user.pk: user for user in self.by_name.get(text.lower(), [])}
        if not found:
            raise ValueError(
                f"Nobody on the service is called “{text}”: give their username, email address or full name"
            )
        if len(found) > 1:
            raise ValueError(f"More than one person is called “{text}”: give their username or email address instead")
        return next(iter(found.values()))

    def organisation(self, text: str) -> Organisation:
        org = self.organisations.get(text.lower())
        if org is None:
            raise ValueError(f"No organisation on the service is called “{text}”")
        return org


def _status(text: str) -> tuple[str, str]:
    lowered = " ".join(text.lower().split())
    if not lowered:
        return Status.NOT_STARTED, ""
    if lowered.startswith("closed"):
        reason = lowered.removeprefix("closed").strip(" :-()")
        if reason and reason not in CLOSURE_WORDS:
            raise ValueError('Give the status as "Closed: superseded" or "Closed: withdrawn"')
        return Status.CLOSED, CLOSURE_WORDS.get(reason, "")
    if lowered not in STATUS_WORDS:
        raise ValueError('Give the status as "Not started", "In progress", "Completed" or "Closed"')
    return STATUS_WORDS[lowered], ""


def _theme_number(text: str) -> int:
    match = re.match(r"^\s*(?:theme\s*)?(\d{1,4})(?:\.0)?(?:[.:)\s]|$)", text, flags=re.IGNORECASE)
    if not match:
        raise ValueError('Give the theme\'s number, for example "2"')
    return int(match.group(1))


def read_rows(table: Table, columns: dict[str, int], plan: Plan, people: People) -> tuple[list[Parsed], list[RowError]]:
    """Each row's values, typed and resolved; problems by row and column."""
    errors = [RowError(p.row, p.column, p.message) for p in table.problems]
    themes = {theme.number: theme for theme in plan.themes.all()}
    parsed: list[Parsed] = []
    for number, cells in table.rows:
        values: dict = {}
        row_errors: list[RowError] = []
        for key, reader in READERS.items():
            if key not in columns:
                continue
            try:
                values[key] = reader(cells[columns[key]], plan=plan, themes=themes, people=people)
            except (ValueError, PeriodDateError) as error:
                row_errors.append(RowError(number, COLUMN_BY_KEY[key].heading, str(error)))
        if "status" in values:
            status, reason = values.pop("status")
            values["status"] = status
            if reason:
                values["closure_reason"] = reason
        errors.extend(row_errors)
        parsed.append(Parsed(row=number, values=values))
    return parsed, errors


def _text(limit: int, *, required: str = ""):
    def read(text: str, **_) -> str:
        if required and not text:
            raise ValueError(required)
        if len(text) > limit:
            raise ValueError(f"Must be {limit:,} characters or fewer")
        return text

    return read


def _period(required: str = ""):
    def read(text: str, **_):
        if not text:
            if required:
                raise ValueError(required)
            return None
        return parse_period(text)

    return read


def _read_theme(text: str, *, themes, **_):
    number = _theme_number(text)
    if number not in themes:
        known = ", ".join(str(n) for n in sorted(themes)) or "none"
        raise ValueError(f"The plan has no theme {number} (its themes are {known})")
    return themes[number]


def _read_side(text: str, **_) -> str:
    side = SIDE_WORDS.get(" ".join(text.lower().split()))
    if side is None:
        raise ValueError('Give the side as "Police", "CPS" or "Joint"')
    return side


def _read_person(text: str, *, people: People, **_):
    return people.person(text) if text else None


def _read_organisations(text: str, *, people: People, **_) -> list:
    return [people.organisation(name.strip()) for name in text.split(";") if name.strip()]


def _read_rag(text: str, **_) -> str:
    if not text:
        return ""
    rag = RAG_WORDS.get(text.lower().strip())
    if rag is None:
        raise ValueError('Give the delivery confidence as "Green", "Amber" or "Red"')
    return rag


def _read_closure(text: str, **_) -> str:
    if not text:
        return ""
    reason = CLOSURE_WORDS.get(text.lower().strip())
    if reason is None:
        raise ValueError('Give the closure reason as "Superseded" or "Withdrawn"')
    return reason


def _read_status(text: str, **_):
    return _status(text)


def _read_status_date(text: str, **_):
    if not text:
        return None
    period = parse_period(text)
    if period.day > timezone.localdate():
        raise ValueError("The status date must be today or in the past")
    return period.day


def _read_plan(text: str, *, plan: Plan, **_) -> str:
    if text and text.strip().lower() not in (plan.title.lower(), plan.slug.lower()):
        raise ValueError(f"This row is for the plan “{text}”, not “{plan.title}”: import it into its own plan")
    return text


READERS = {
    "reference": _text(20),
    "theme": _read_theme,
    "title": _text(300, required="Give the action's title"),
    "description": _text(5000),
    "side": _read_side,
    "police_lead": _read_person,
    "cps_lead": _read_person,
    "lead_organisations": _read_organisations,
    "start_date": _period(),
    "target_date": _period(required="Give the target date: a day, a month or a quarter"),
    "revised_target_date": _period(),
    "revision_reason": _text(2000),
    "status": _read_status,
    "closure_reason": _read_closure,
    "rag": _read_rag,
    "narrative": _text(5000),
    "status_date": _read_status_date,
    "plan": _read_plan,
}

# Messages of the model's rules, by field, shown against the column they are about.
FIELD_COLUMNS = {
    "theme": "theme",
    "reference": "reference",
    "title": "title",
    "description": "description",
    "side": "side",
    "police_lead": "police_lead",
    "cps_lead": "cps_lead",
    "start_date": "start_date",
    "target_date": "target_date",
    "revised_target_date": "revised_target_date",
    "revision_reason": "revision_reason",
    "status": "status",
    "closure_reason": "closure_reason",
    "rag": "rag",
    "narrative": "narrative",
    "effective_on": "status_date",
    "completed_on": "status",
}


def _errors_from(error: ValidationError, row: int) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(row, "", message) for message in error.messages]
    found = []
    for name, messages in error.message_dict.items():
        key = FIELD_COLUMNS.get(name)
        column = COLUMN_BY_KEY[key].heading if key else ""
        found.extend(RowError(row, column, message) for message in messages)
    return found


# The column each of an action's check constraints is about, so its message is shown against it.
CONSTRAINT_FIELDS = {
    "action_start_before_target": "target_date",
    "action_revised_after_start": "revised_target_date",
    "action_revised_date_needs_reason": "revision_reason",
    "action_closed_has_reason": "closure_reason",
    "action_completed_has_date": "status",
    "action_side_valid": "side",
    "action_status_valid": "status",
    "action_rag_valid": "rag",
    "action_date_precisions_valid": "target_date",
}


def _rule_errors(action: Action, row: int) -> list[RowError]:
    """The model's rules about the action as it would stand: its fields and cross-table rules (`full_clean`), and its
    check constraints, each message against the column it is about."""
    found: list[RowError] = []
    try:
        action.full_clean(exclude=["reference_sort"], validate_constraints=False)
    except ValidationError as error:
        found.extend(_errors_from(error, row))
    if found:
        # The constraints are asked of the database, which must never be sent a value it refuses.
        return found
    # Which lead is on the wrong side depends on the side.
    leads = "police_lead" if action.side == Side.CPS else "cps_lead"
    fields = {**CONSTRAINT_FIELDS, "action_leads_match_side": leads}
    for name, messages in check_constraint_errors(action, fields=fields).items():
        found.extend(_errors_from(ValidationError({name: messages}), row))
    return found


def _accountability_errors(action: Action, lead_organisations: list, row: int) -> list[RowError]:
    """Someone is accountable for the action as the row would leave it (see `accountability_problem`), as the
    admin's form asks: a named lead, or a lead organisation of its side."""
    if action.side not in Side.values:
        return []  # the side's own rule says what is wrong
    problem = accountability_problem(
        side=action.side,
        police_lead=action.police_lead,
        cps_lead=action.cps_lead,
        lead_organisations=lead_organisations,
    )
    column = {Side.POLICE: "police_lead", Side.CPS: "cps_lead"}.get(action.side, "lead_organisations")
    return [RowError(row, COLUMN_BY_KEY[column].heading, problem)] if problem else []


def _shown(value) -> str:
    from actionplan.dates import PeriodDate

    if value is None or value == "":
        return "(blank)"
    if isinstance(value, PeriodDate):
        return str(value)
    if isinstance(value, list):
        return "; ".join(sorted(str(v) for v in value)) or "(none)"
    return str(value)


LABELS = {
    "theme": "Theme",
    "title": "Title",
    "description": "Description",
    "side": "Side",
    "police_lead": "Police lead",
    "cps_lead": "CPS lead",
    "lead_organisations": "Lead organisations",
    "start_date": "Start date",
    "target_date": "Target date",
    "revised_target_date": "Revised target date",
    "status": "Status",
    "rag": "Delivery confidence",
    "narrative": "Narrative",
}


@dataclass
class Step:
    """What applying one row does: its row, and the values it writes."""

    parsed: Parsed
    action: Action | None
    content: dict = field(default_factory=dict)
    organisations: list | None = None
    progress: dict | None = None


def plan_import(*, plan: Plan, table: Table, by: User, joined: str) -> tuple[Preview, list[Step]]:
    """Work out, without writing anything, what importing `table` into `plan` would do: the preview, and the steps
    that apply it. `joined` is "today" (new actions join the plan now) or "plan_start" (they were in the plan from
    its start: their history is brought in)."""
    preview = Preview()
    columns, ignored, heading_errors = map_headings(table.headers)
    preview.ignored_columns = ignored
    if heading_errors:
        preview.errors = heading_errors
        return preview, []
    names = set()
    organisation_names = set()
    for _number, cells in table.rows:
        for key in ("police_lead", "cps_lead"):
            if key in columns and cells[columns[key]]:
                names.add(cells[columns[key]])
        if "lead_organisations" in columns:
            organisation_names |= {
                n.strip().lower() for n in cells[columns["lead_organisations"]].split(";") if n.strip()
            }
    people = People(names, organisation_names)
    parsed, errors = read_rows(table, columns, plan, people)
    preview.errors.extend(errors)
    failed_rows = {error.row for error in errors}

    existing = {
        action.reference: action
        for action in Action.objects.filter(plan=plan)
        .select_related("theme", "police_lead", "cps_lead")
        .prefetch_related("lead_organisations")
    }
    latest_narratives = _latest_narratives(plan) if "narrative" in columns else {}

    # References: repeated ones are refused; blank ones are suggested once the others are known.
    seen: dict[str, int] = {}
    for item in parsed:
        reference = item.values.get("reference", "")
        if reference:
            if reference in seen:
                for row in (seen[reference], item.row):
                    preview.errors.append(
                        RowError(row, "Reference", f"The reference “{reference}” is on more than one row of the file")
                    )
                failed_rows |= {seen[reference], item.row}
            seen.setdefault(reference, item.row)
    taken = set(seen)
    for item in parsed:
        if not item.values.get("reference") and item.row not in failed_rows and "theme" in item.values:
            item.values["reference"] = suggest_reference(theme=item.values["theme"], taken=taken)
            item.suggested = True
            taken.add(item.values["reference"])

    accepts_updates = plan.accepts_updates
    if plan.status == Plan.Status.ARCHIVED:
        preview.errors.insert(
            0, RowError(0, "", "The plan is archived: it is a record, and nothing is imported into it")
        )
    if not accepts_updates:
        preview.notes.append(
            "The plan is not published yet: statuses are set as each action's starting point, with no status updates."
        )
    now = timezone.now()
    joined_at = _joined_moment(plan, joined, now)
    steps: list[Step] = []
    for item in parsed:
        if item.row in failed_rows:
            continue
        values = item.values
        action = existing.get(values.get("reference", ""))
        if action is None:
            step, row_plan, row_errors = _plan_create(plan, item, by=by, joined_at=joined_at, published=accepts_updates)
        else:
            step, row_plan, row_errors = _plan_update(
                plan, item, action, by=by, published=accepts_updates, latest=latest_narratives.get(action.pk, "")
            )
        if row_errors:
            preview.errors.extend(row_errors)
            continue
        {"create": preview.creates, "update": preview.updates, "unchanged": preview.unchanged}[row_plan.kind].append(
            row_plan
        )
        if row_plan.kind != "unchanged":
            steps.append(step)
    preview.errors.sort(key=lambda error: (error.row, error.column))
    if preview.errors:
        steps = []
    return preview, steps


def _latest_narratives(plan: Plan) -> dict[int, str]:
    latest: dict[int, str] = {}
    rows = (
        StatusUpdate.objects.filter(action__plan=plan)
        .exclude(narrative="")
        .order_by("action_id", "effective_at", "id")
        .values_list("action_id", "narrative")
    )
    for action_id, narrative in rows:
        latest[action_id] = narrative
    return latest


def _joined_moment(plan: Plan, joined: str, now: datetime) -> datetime | None:
    if joined == "plan_start":
        return min(timezone.make_aware(datetime.combine(plan.period_start, time.min)), now)
    return None


def _status_text(status: str, closure: str) -> str:
    label = Status(status).label
    return f"{label}: {ClosureReason(closure).label.lower()}" if status == Status.CLOSED and closure else label


def _plan_create(plan: Plan, item: Parsed, *, by: User, joined_at, published: bool):
    values = item.values
    errors: list[RowError] = []
    status = values.get("status", Status.NOT_STARTED)
    closure = values.get("closure_reason", "")
    rag = values["rag"] if "rag" in values else ("" if status in DONE_STATUSES else "green")
    if rag == "" and status not in DONE_STATUSES:
        errors.append(RowError(item.row, "Delivery confidence", "Give the delivery confidence of an open action"))
    status_date = values.get("status_date")
    joined_day = timezone.localdate(joined_at) if joined_at else timezone.localdate()
    if status_date and status_date < joined_day:
        errors.append(
            RowError(
                item.row,
                "Status date",
                f"The status date is before the action joined the plan ({format_period(joined_day)}): to bring in "
                "its history, choose that the actions were in the plan from its start",
            )
        )
    start, target = values.get("start_date"), values.get("target_date")
    revised = values.get("revised_target_date")
    if revised is not None:
        errors.append(
            RowError(
                item.row,
                "Revised target date",
                "A new action has no revised target date yet: give the date as its target date",
            )
        )
    action = Action(
        plan=plan,
        theme=values["theme"],
        reference=values["reference"],
        title=values.get("title", ""),
        description=values.get("description", ""),
        side=values.get("side", ""),
        police_lead=values.get("police_lead"),
        cps_lead=values.get("cps_lead"),
        start_date=start.day if start else None,
        start_date_precision=start.precision if start else DatePrecision.DAY,
        target_date=target.day if target else None,
        target_date_precision=target.precision if target else DatePrecision.DAY,
        status=status,
        closure_reason=closure,
        rag=rag,
        completed_on=(status_date or joined_day) if status == Status.COMPLETED else None,
    )
    errors.extend(_rule_errors(action, item.row))
    errors.extend(_accountability_errors(action, values.get("lead_organisations", []), item.row))
    # A new action's narrative starts its timeline as a status update, which a plan takes once it is published;
    # a closed action takes updates only to reopen it.
    narrative = values.get("narrative", "") if published and status != Status.CLOSED else ""
    problem = first_narrative_problem(normalise_line_breaks(narrative).strip()) if narrative else None
    if problem:
        errors.append(RowError(item.row, COLUMN_BY_KEY["narrative"].heading, problem))
    row_plan = RowPlan(
        row=item.row,
        kind="create",
        reference=values["reference"],
        title=values.get("title", ""),
        theme=values["theme"].number,
        reference_suggested=item.suggested,
    )
    step = Step(
        parsed=item,
        action=None,
        content={
            "theme": action.theme,
            "reference": action.reference,
            "title": action.title,
            "description": action.description,
            "side": action.side,
            "police_lead": action.police_lead,
            "cps_lead": action.cps_lead,
            "start_date": action.start_date,
            "start_date_precision": action.start_date_precision,
            "target_date": action.target_date,
            "target_date_precision": action.target_date_precision,
            "status": status,
            "rag": rag,
            "closure_reason": closure,
            "completed_on": action.completed_on,
            "added_at": joined_at,
        },
        organisations=values.get("lead_organisations", []),
        progress={"narrative": narrative, "effective_on": status_date} if narrative else None,
    )
    return step, row_plan, errors


def _plan_update(plan: Plan, item: Parsed, action: Action, *, by: User, published: bool, latest: str):
    values = item.values
    errors: list[RowError] = []
    changes: list[Change] = []
    content: dict = {}

    def compare(key: str, old, new, old_shown=None, new_shown=None) -> bool:
        if old == new:
            return False
        changes.append(Change(LABELS[key], old_shown or _shown(old), new_shown or _shown(new)))
        return True

    if "theme" in values and compare("theme", action.theme, values["theme"]):
        content["theme"] = values["theme"]
    for key in ("title", "description", "side", "police_lead", "cps_lead"):
        if key in values:
            old, new = getattr(action, key), values[key]
            shown = (Side(old).label, Side(new).label) if key == "side" else (None, None)
            if compare(key, old, new, *shown):
                content[key] = new
    for key in ("start_date", "target_date"):
        if key in values:
            period = values[key]
            old = (getattr(action, key), getattr(action, f"{key}_precision"))
            new = (period.day, period.precision) if period else (None, DatePrecision.DAY)
            if old[0] is None and new[0] is None:
                continue
            if compare(key, old, new, format_period(*old) or "(blank)", format_period(*new) or "(blank)"):
                content[key] = new[0]
                content[f"{key}_precision"] = new[1]
    organisations = None
    if "lead_organisations" in values:
        old = sorted(org.name for org in action.lead_organisations.all())
        new = sorted(org.name for org in values["lead_organisations"])
        if compare("lead_organisations", old, new):
            organisations = values["lead_organisations"]

    # Progress: status, confidence, a revised date, a new narrative.
    status = values.get("status", action.status)
    closure = values.get("closure_reason", action.closure_reason if status == Status.CLOSED else "")
    rag = values.get("rag", action.rag)
    revised = values.get("revised_target_date") if "revised_target_date" in values else None
    revised_changes = revised is not None and (revised.day, revised.precision) != (
        action.revised_target_date,
        action.revised_target_date_precision,
    )
    if "revised_target_date" in values and revised is None and action.revised_target_date is not None:
        errors.append(RowError(item.row, "Revised target date", "A revised target date cannot be removed by an import"))
    narrative = values.get("narrative", "")
    new_narrative = bool(narrative) and narrative.strip() != (latest or "").strip()
    progress = None
    moved = status != action.status or closure != action.closure_reason or rag != action.rag
    if moved or revised_changes or new_narrative:
        if status != action.status or closure != action.closure_reason:
            changes.append(
                Change(
                    "Status",
                    _status_text(action.status, action.closure_reason),
                    _status_text(status, closure),
                )
            )
        if rag != action.rag:
            changes.append(
                Change(
                    "Delivery confidence",
                    _shown(Rag(action.rag).label if action.rag else ""),
                    _shown(Rag(rag).label if rag else ""),
                )
            )
        if revised_changes:
            changes.append(
                Change(
                    "Revised target date",
                    format_period(action.revised_target_date, action.revised_target_date_precision) or "(blank)",
                    str(revised),
                )
            )
        if new_narrative:
            changes.append(Change("Narrative", "", "New narrative"))
        progress = {
            "status": status,
            "rag": rag,
            "closure_reason": closure if status == Status.CLOSED else "",
            "narrative": narrative if new_narrative else "",
            "revised_target_date": revised.day if revised_changes else None,
            "revised_target_precision": revised.precision if revised_changes else DatePrecision.DAY,
            "revision_reason": values.get("revision_reason", "") if revised_changes else "",
            "effective_on": values.get("status_date"),
        }

    # The model's rules on the content as it would stand, and the status update's rules on the progress.
    if content:
        candidate = Action.objects.get(pk=action.pk)
        for key, value in content.items():
            setattr(candidate, key, value)
        errors.extend(_rule_errors(candidate, item.row))
    else:
        candidate = action
    if organisations is not None or {"side", "police_lead", "cps_lead"} & set(content):
        lead_organisations = organisations if organisations is not None else list(action.lead_organisations.all())
        errors.extend(_accountability_errors(candidate, lead_organisations, item.row))
    if progress is not None:
        if published:
            today = timezone.localdate()
            happened = progress["effective_on"]
            try:
                action_update_validate(
                    action=candidate,
                    by=by,
                    status=progress["status"],
                    rag=progress["rag"],
                    narrative=progress["narrative"],
                    evidence_url="",
                    revised_target_date=progress["revised_target_date"],
                    revision_reason=progress["revision_reason"],
                    closure_reason=progress["closure_reason"],
                    revised_target_precision=progress["revised_target_precision"],
                    # As `action_update_status` takes it: a status date of today is no history brought in.
                    effective_on=None if happened == today else happened,
                    today=today,
                )
            except ValidationError as error:
                errors.extend(_errors_from(error, item.row))
            except PermissionDenied as denied:
                errors.append(RowError(item.row, "Status", str(denied)))
        elif progress["revised_target_date"] is not None:
            errors.append(
                RowError(item.row, "Revised target date", "The plan is not published: change its target date instead")
            )
    kind = "update" if (content or organisations is not None or progress is not None) else "unchanged"
    row_plan = RowPlan(
        row=item.row,
        kind=kind,
        reference=action.reference,
        title=values.get("title", action.title),
        theme=values["theme"].number if "theme" in values else action.theme.number,
        changes=changes,
    )
    step = Step(parsed=item, action=action, content=content, organisations=organisations, progress=progress)
    return step, row_plan, errors


# -- Stored previews and applying them -------------------------------------------------------------------------------


def import_preview_create(*, plan: Plan, table: Table, by: User, file_name: str, joined: str) -> ActionImport:
    """Work out the preview of an upload and keep it (and the rows read) on the server, for the admin to confirm."""
    if not by.is_admin:
        raise PermissionDenied("Only admins import actions.")
    preview, _steps = plan_import(plan=plan, table=table, by=by, joined=joined)
    return ActionImport.objects.create(
        plan=plan,
        uploaded_by=by,
        file_name=file_name[:200],
        joined=joined,
        headers=table.headers,
        rows=[[number, cells] for number, cells in table.rows],
        problems=[asdict(problem) for problem in table.problems],
        preview=preview.as_data(),
    )


def stored_table(record: ActionImport) -> Table:
    from .spreadsheets import CellProblem, Table

    return Table(
        headers=list(record.headers),
        rows=[(number, list(cells)) for number, cells in record.rows],
        problems=[CellProblem(**problem) for problem in record.problems],
    )


def import_apply(*, record: ActionImport, by: User) -> Preview:
    """Apply a stored preview, all or nothing: recompute it from the rows kept on the server (never from anything
    re-posted), refuse if it no longer matches what the admin saw, then create and update through the services
    in one transaction, each change recorded with `by` as its author. Raises ImportRefused with the reason."""
    if not by.is_admin:
        raise PermissionDenied("Only admins import actions.")
    if record.state != ActionImport.State.PENDING:
        applied = record.state == ActionImport.State.APPLIED
        raise ImportRefused(
            "This file has already been imported"
            if applied
            else "This preview has been discarded: upload the file again"
        )
    if timezone.now() - record.created_at > timedelta(hours=PREVIEW_HOURS):
        raise ImportRefused(f"This preview is more than {PREVIEW_HOURS} hours old: upload the file again")
    shown = Preview.from_data(record.preview)
    reason = f"Imported from {record.file_name}"
    try:
        with transaction.atomic():
            claimed = ActionImport.objects.filter(pk=record.pk, state=ActionImport.State.PENDING).update(
                state=ActionImport.State.APPLIED, applied_at=timezone.now()
            )
            if claimed != 1:
                raise ImportRefused("This file has already been imported")
            preview, steps = plan_import(plan=record.plan, table=stored_table(record), by=by, joined=record.joined)
            if preview.fingerprint() != shown.fingerprint():
                raise _Changed(preview)
            if not preview.can_apply:
                raise ImportRefused("There is nothing to import, or the file has errors: upload it again")
            for step in steps:
                _apply(step, plan=record.plan, by=by, reason=reason)
            ActionImport.objects.filter(pk=record.pk).update(
                created_count=len(preview.creates), updated_count=len(preview.updates)
            )
    except _Changed as changed:
        ActionImport.objects.filter(pk=record.pk).update(preview=changed.preview.as_data())
        raise ImportRefused(
            "The plan, or the people in it, changed after the preview was made, so nothing was imported. "
            "Check the preview again: it now shows what the import would do."
        ) from None
    except StaleVersion as stale:
        raise ImportRefused(
            f"Action {stale.action.reference} was updated by someone else while the import ran, so nothing was "
            "imported. Check the preview again."
        ) from None
    except ValidationError as error:
        messages = "; ".join(error.messages)
        raise ImportRefused(f"The import stopped on a rule ({messages}), so nothing was imported.") from None
    record.refresh_from_db()
    return preview


class _Changed(Exception):
    def __init__(self, preview: Preview):
        super().__init__("changed since the preview")
        self.preview = preview


def _apply(step: Step, *, plan: Plan, by: User, reason: str) -> None:
    if step.action is None:
        content = dict(step.content)
        action = action_create(
            plan=plan,
            by=by,
            reason=reason,
            lead_organisations=step.organisations or [],
            **content,
        )
        if step.progress:
            action_update_status(
                action=action,
                by=by,
                status=action.status,
                rag=action.rag,
                narrative=step.progress["narrative"],
                closure_reason=action.closure_reason,
                expected_version=action.version,
                effective_on=step.progress["effective_on"],
            )
        return
    action = Action.objects.select_related("plan", "theme").get(pk=step.action.pk)
    if step.content or step.organisations is not None:
        action_update_content(
            action=action, by=by, changes=step.content, lead_organisations=step.organisations, reason=reason
        )
    if step.progress is None:
        return
    progress = step.progress
    if plan.accepts_updates:
        action_update_status(
            action=action,
            by=by,
            status=progress["status"],
            rag=progress["rag"],
            narrative=progress["narrative"],
            closure_reason=progress["closure_reason"],
            revised_target_date=progress["revised_target_date"],
            revised_target_precision=progress["revised_target_precision"],
            revision_reason=progress["revision_reason"],
            expected_version=action.version,
            effective_on=progress["effective_on"],
        )
    else:
        action_set_starting_progress(
            action=action,
            by=by,
            status=progress["status"],
            rag=progress["rag"],
            closure_reason=progress["closure_reason"],
            completed_on=progress["effective_on"],
            reason=reason,
        )


def import_discard(*, record: ActionImport, by: User) -> None:
    ActionImport.objects.filter(pk=record.pk, state=ActionImport.State.PENDING).update(
        state=ActionImport.State.DISCARDED
    )
