"""Known data for the dashboard tests: a national plan with a status history, two closed review cycles and local
plans that mirror it. Every figure the tests expect follows from what is written here."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from actions.models import Action, ClosureReason, Rag, Side, Status, reference_sort_key
from tests.factories import (
    ActionFactory,
    CpsAreaFactory,
    LocalPlanFactory,
    PoliceForceFactory,
    ReviewCycleFactory,
    StatusUpdateFactory,
    ThemeFactory,
)
from themes.models import Plan, ReviewCycle, Theme

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2022, 6, 15, 12, 0, tzinfo=LONDON)
CREATED = datetime(2021, 9, 1, 9, 0, tzinfo=LONDON)


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=LONDON)


def record_update(
    action: Action, when: datetime, *, author, status_from, status_to, rag_from, rag_to, narrative="", evidence_url=""
):
    with time_machine.travel(when, tick=False):
        action.version += 1
        return StatusUpdateFactory(
            action=action,
            author=author,
            status_from=status_from,
            status_to=status_to,
            rag_from=rag_from,
            rag_to=rag_to,
            narrative=narrative,
            evidence_url=evidence_url,
            version=action.version,
        )


def build_known_plan(national_plan: Plan, *, police_lead, cps_lead, police_force, cps_area) -> dict[str, Action]:
    """Seven national actions in themes 1 and 2, their history, and two closed review cycles."""
    theme1, theme2 = national_plan.themes.get(number=1), national_plan.themes.get(number=2)
    make = ActionFactory
    actions = {
        "1.1": make(
            theme=theme1,
            reference="1.1",
            title="Victim support pathway",
            side=Side.JOINT,
            police_lead=police_lead,
            cps_lead=cps_lead,
            status=Status.COMPLETED,
            completed_on=date(2022, 1, 10),
            rag=Rag.GREEN,
            target_date=date(2022, 3, 31),
        ),
        "1.2": make(
            theme=theme1,
            reference="1.2",
            title="Early advice protocol",
            side=Side.POLICE,
            police_lead=police_lead,
            status=Status.IN_PROGRESS,
            rag=Rag.RED,
            target_date=date(2022, 5, 1),
        ),
        "1.3": make(
            theme=theme1,
            reference="1.3",
            title="Victim communication standard",
            side=Side.CPS,
            cps_lead=cps_lead,
            status=Status.IN_PROGRESS,
            rag=Rag.AMBER,
            target_date=date(2022, 7, 1),
        ),
        "1.4": make(
            theme=theme1,
            reference="1.4",
            title="Independent advocates",
            side=Side.JOINT,
            status=Status.NOT_STARTED,
            rag=Rag.GREEN,
            target_date=date(2022, 12, 31),
        ),
        "2.1": make(
            theme=theme2,
            reference="2.1",
            title="Old casework form",
            side=Side.JOINT,
            status=Status.CLOSED,
            closure_reason=ClosureReason.SUPERSEDED,
            rag=Rag.GREEN,
            target_date=date(2022, 3, 31),
        ),
        "2.2": make(
            theme=theme2,
            reference="2.2",
            title="Casework quality framework",
            side=Side.CPS,
            cps_lead=cps_lead,
            status=Status.IN_PROGRESS,
            rag=Rag.GREEN,
            target_date=date(2022, 6, 30),
        ),
        "2.3": make(
            theme=theme2,
            reference="2.3",
            title='=HYPERLINK("http://evil")',
            side=Side.POLICE,
            police_lead=police_lead,
            status=Status.NOT_STARTED,
            rag=Rag.RED,
            target_date=date(2022, 6, 1),
        ),
    }
    # The plan was set up before its history began (created_at is auto_now_add, so it is written after).
    Action.objects.filter(pk__in=[action.pk for action in actions.values()]).update(created_at=CREATED)
    for action in actions.values():
        action.created_at = CREATED
    actions["1.1"].lead_organisations.add(police_force, cps_area)
    actions["1.2"].lead_organisations.add(police_force)
    actions["2.2"].lead_organisations.add(cps_area)

    by = police_lead
    record_update(
        actions["1.1"],
        at(2021, 10, 1),
        author=by,
        status_from="not_started",
        status_to="in_progress",
        rag_from="green",
        rag_to="green",
        narrative="Pathway drafted.",
    )
    record_update(
        actions["1.1"],
        at(2022, 1, 10),
        author=by,
        status_from="in_progress",
        status_to="completed",
        rag_from="green",
        rag_to="green",
        narrative="Pathway live in every force.",
    )
    record_update(
        actions["1.2"],
        at(2021, 11, 1),
        author=by,
        status_from="not_started",
        status_to="in_progress",
        rag_from="green",
        rag_to="amber",
        narrative="Protocol agreed in principle.",
    )
    record_update(
        actions["1.2"],
        at(2022, 5, 10),
        author=by,
        status_from="in_progress",
        status_to="in_progress",
        rag_from="amber",
        rag_to="red",
        narrative="-Funding withdrawn; new date needed.",
    )
    record_update(
        actions["1.3"],
        at(2022, 3, 1),
        author=cps_lead,
        status_from="not_started",
        status_to="in_progress",
        rag_from="green",
        rag_to="amber",
        narrative="Standard out to consultation.",
    )
    record_update(
        actions["2.2"],
        at(2022, 2, 1),
        author=cps_lead,
        status_from="not_started",
        status_to="in_progress",
        rag_from="green",
        rag_to="green",
        narrative="",
    )
    Action.objects.filter(pk=actions["1.2"].pk).update(last_update_at=at(2022, 5, 10))

    ReviewCycleFactory(
        plan=national_plan,
        name="Q3 2021-22",
        opens_on=date(2022, 1, 4),
        updates_due_on=date(2022, 1, 21),
        board_meeting_on=date(2022, 1, 28),
        state=ReviewCycle.State.CLOSED,
        closed_at=at(2022, 1, 31),
    )
    ReviewCycleFactory(
        plan=national_plan,
        name="Q4 2021-22",
        opens_on=date(2022, 4, 4),
        updates_due_on=date(2022, 4, 22),
        board_meeting_on=date(2022, 4, 28),
        state=ReviewCycle.State.CLOSED,
        closed_at=at(2022, 4, 30),
    )
    ReviewCycleFactory(
        plan=national_plan,
        name="Q1 2022-23",
        opens_on=date(2022, 6, 1),
        updates_due_on=date(2022, 6, 21),
        board_meeting_on=date(2022, 6, 28),
        state=ReviewCycle.State.OPEN,
    )
    return actions


def build_local_plans(national_plan: Plan, actions: dict[str, Action]) -> tuple[Plan, Plan]:
    """Two local plans mirroring themes 1 and 2. Action 1.1 is delivered in 1 of 2, 1.2 in 2 of 2, 1.3 in none."""
    plans = []
    for name, outcomes in [
        (
            "Avon",
            {
                "1.1": (Status.COMPLETED, Rag.GREEN),
                "1.2": (Status.COMPLETED, Rag.GREEN),
                "1.3": (Status.IN_PROGRESS, Rag.GREEN),
            },
        ),
        (
            "Kent",
            {
                "1.1": (Status.IN_PROGRESS, Rag.RED),
                "1.2": (Status.COMPLETED, Rag.GREEN),
                "1.3": (Status.NOT_STARTED, Rag.AMBER),
            },
        ),
    ]:
        local = LocalPlanFactory(
            mirrors=national_plan,
            slug=f"local-{name.lower()}",
            title=f"{name} local plan",
            police_force=PoliceForceFactory(name=f"{name} Police", short_name=name),
            cps_area=CpsAreaFactory(name=f"CPS {name} Area", short_name=f"CPS {name}"),
        )
        theme = ThemeFactory(
            plan=local, number=1, title="Supporting victims", mirrors=national_plan.themes.get(number=1)
        )
        for reference, (status, rag) in outcomes.items():
            ActionFactory(
                theme=theme,
                reference=reference,
                title=f"{name} {reference}",
                mirrors=actions[reference],
                status=status,
                rag=rag,
                target_date=date(2022, 12, 31),
                completed_on=date(2022, 2, 1) if status == Status.COMPLETED else None,
            )
        plans.append(local)
    return plans[0], plans[1]


def bulk_local_plans(national_plan: Plan, count: int, *, start: int = 0) -> None:
    """`count` more local plans, each mirroring every national theme and action, built with bulk_create."""
    national_themes = list(national_plan.themes.order_by("number"))
    national_actions = list(national_plan.actions.all())
    forces = PoliceForceFactory._meta.model.objects.bulk_create(
        [PoliceForceFactory.build(name=f"Bulk force {start + i}") for i in range(count)]
    )
    areas = CpsAreaFactory._meta.model.objects.bulk_create(
        [CpsAreaFactory.build(name=f"Bulk area {start + i}") for i in range(count)]
    )
    plans = Plan.objects.bulk_create(
        [
            Plan(
                kind=Plan.Kind.LOCAL,
                title=f"Bulk local plan {start + i}",
                slug=f"bulk-{start + i}",
                period_start=national_plan.period_start,
                period_end=national_plan.period_end,
                status=Plan.Status.PUBLISHED,
                mirrors=national_plan,
                police_force=forces[i],
                cps_area=areas[i],
            )
            for i in range(count)
        ]
    )
    themes = Theme.objects.bulk_create(
        [Theme(plan=plan, number=t.number, title=t.title, mirrors=t) for plan in plans for t in national_themes]
    )
    theme_of = {(theme.plan_id, theme.mirrors_id): theme for theme in themes}
    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETED]
    Action.objects.bulk_create(
        [
            Action(
                plan=plan,
                theme=theme_of[(plan.pk, action.theme_id)],
                reference=action.reference,
                reference_sort=reference_sort_key(action.reference),
                title=action.title,
                side=action.side,
                start_date=action.start_date,
                target_date=action.target_date,
                status=statuses[(i + j) % 3],
                completed_on=date(2022, 1, 1) if statuses[(i + j) % 3] == Status.COMPLETED else None,
                rag=[Rag.GREEN, Rag.AMBER, Rag.RED][(i * j) % 3],
                mirrors=action,
            )
            for i, plan in enumerate(plans)
            for j, action in enumerate(national_actions)
        ]
    )


def figures(body: str) -> dict[str, str]:
    """Every number the page marks, by name, as shown (tags stripped): an element with data-figure="name", or a
    cell with data-cell="name" (failing that, its data-label, failing that its column's header; in lower case with _
    for spaces) in a row with data-row="prefix", named "prefix-name"."""
    found = {}

    def record(name: str, inner: str) -> None:
        text = re.sub(r"<[^>]+>", " ", inner)
        found[name] = text.split()[0] if text.strip() else ""
        found[name + ":text"] = " ".join(text.split())

    for name, inner in re.findall(r'data-figure="([^"]+)"[^>]*>(.*?)</(?:span|td)>', body, flags=re.S):
        record(name, inner)
    for table in re.findall(r"<table.*?</table>", body, flags=re.S):
        headers = [
            " ".join(re.sub(r"<[^>]+>", " ", header).split())
            for header in re.findall(r'<th[^>]*scope="col"[^>]*>(.*?)</th>', table, flags=re.S)
        ]
        for prefix, row in re.findall(r'<tr[^>]*data-row="([^"]+)"[^>]*>(.*?)</tr>', table, flags=re.S):
            before = row.count('<th scope="row"')  # the row's own header comes first, under the first column's
            for index, (attributes, inner) in enumerate(re.findall(r"<td([^>]*)>(.*?)</td>", row, flags=re.S)):
                named = re.search(r'data-cell="([^"]+)"', attributes) or re.search(r'data-label="([^"]+)"', attributes)
                name = named.group(1) if named else (headers[before + index] if before + index < len(headers) else "")
                if name:
                    record(f"{prefix}-{name.lower().replace(' ', '_')}", inner)
    return found
