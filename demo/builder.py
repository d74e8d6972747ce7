"""Build the demo: get-or-create by natural keys, bulk inserts for actions and their histories.

Running it again changes nothing: organisations are found by name, people by username, plans by slug, themes
by (plan, number), review cycles by (plan, name) and actions by (plan, reference). Rows that exist are never
updated, and an action's history is written only when the action itself is created.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from actionplan.models import Organisation, User
from actions.local_plans import (
    local_action_set_not_applicable,
    national_action_copies_add,
    national_change_accept,
    national_change_keep_local,
)
from actions.models import Action, LeadSide, NationalChange, Side, Status, StatusUpdate, reference_sort_key
from reviews.models import (
    ActionSnapshot,
    BoardDecision,
    BoardMinutes,
    FindingSource,
    PublicPage,
    PublicSummary,
    Recommendation,
    Revision,
    RevisionDecision,
)
from reviews.public_pages import public_page_save, public_summary_approve
from reviews.recommendations import recommendation_close, recommendation_link, recommendation_save, source_save
from reviews.revision_rules import Proposal
from reviews.revisions import revision_add_action, revision_decide, revision_publish, revision_start
from themes.models import Plan, ReviewCycle, Theme

from . import data

CREATED_DAYS_AGO = 430  # the plan and its actions were set up this long before the demo's "today"
CYCLE_LENGTH = 91  # review cycles are quarterly
CYCLE_OPENS = -10  # the open cycle opened ten days ago...
CYCLE_WINDOW = 21  # ...and takes updates for three weeks
CYCLE_MEETING = 35  # the board meets five weeks after the window opens
PAST_CYCLES = 4
BATCH = 500


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    users_created: list[str] = field(default_factory=list)
    local_plans: list[Plan] = field(default_factory=list)
    national_plan: Plan | None = None
    totals: dict[str, int] = field(default_factory=dict)


def _stable(*parts: object) -> int:
    """A number that depends only on its inputs (Python's hash() changes between runs)."""
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def slugify_org(org: Organisation, orgs: dict[str, Organisation]) -> str:
    """The demo's key of an organisation (its slug in the demo data)."""
    return next(key for key, value in orgs.items() if value.pk == org.pk)


def financial_quarter_name(index: int) -> str:
    """index = year * 4 + quarter - 1, with Q1 starting in April: 'Q3 2026-27'."""
    year, quarter = divmod(index, 4)
    return f"Q{quarter + 1} {year}-{(year + 1) % 100:02d}"


def financial_quarter_index(day: date) -> int:
    year = day.year if day.month >= 4 else day.year - 1
    return year * 4 + (day.month - 4) % 12 // 3


class DemoBuilder:
    def __init__(self, *, password: str | None, today: date):
        self.today = today
        self.password = password
        self._password_hash: str | None = None
        self.report = SeedReport()
        self.orgs: dict[str, Organisation] = {}
        self.people: dict[str, User] = {}

    # -- helpers ---------------------------------------------------------------------------------------------------

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def moment(self, on: date, *key: object) -> datetime:
        """A plausible working-hours time on a given day, the same for the same key."""
        seed = _stable(*key)
        naive = datetime.combine(on, time(8 + seed % 9, seed // 9 % 60))
        return timezone.make_aware(naive)

    def password_hash(self) -> str:
        # Everyone created in one run shares the password, so hash it once: hashing is deliberately slow.
        if self._password_hash is None:
            self._password_hash = make_password(self.password)
        return self._password_hash

    # -- organisations and people ----------------------------------------------------------------------------------

    def organisation(self, key: str, name: str, short_name: str, kind: str, *, national: bool) -> Organisation:
        org, created = Organisation.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "is_national": national}
        )
        self.report.created["organisations"] += created
        self.orgs[key] = org
        return org

    def build_organisations(self) -> None:
        for key, (name, short_name, kind) in data.NATIONAL_BODIES.items():
            self.organisation(key, name, short_name, kind, national=True)
        for key, (name, short_name) in data.CPS_AREAS.items():
            self.organisation(key, name, short_name, Organisation.Kind.CPS, national=False)
        for slug, name, short_name, _area in data.POLICE_FORCES:
            self.organisation(slug, name, short_name, Organisation.Kind.POLICE, national=False)

    def person(
        self, *, username: str, first_name: str, last_name: str, role: str, organisation: Organisation | None,
        job_title: str,
    ) -> User:  # fmt: skip
        email_name = f"{first_name}.{last_name}".lower().replace("'", "").replace(" ", "")
        user = User.objects.select_related("organisation").filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{email_name}@example.org",
                role=role,
                organisation=organisation,
                job_title=job_title,
                password=self.password_hash(),
            )
            user.full_clean(exclude=["password", "organisation"])
            user.save()
            self.report.created["users"] += 1
            self.report.users_created.append(username)
        self.people[username] = user
        return user

    def build_national_people(self) -> None:
        for p in data.NATIONAL_PEOPLE:
            self.person(
                username=p.username,
                first_name=p.first_name,
                last_name=p.last_name,
                role=p.role,
                organisation=self.orgs[p.organisation] if p.organisation else None,
                job_title=p.job_title,
            )

    def local_lead(self, *, org_key: str, side: str) -> User:
        org = self.orgs[org_key]
        username = f"{org_key}.{side}.lead"
        first = data.FIRST_NAMES[_stable(username, "first") % len(data.FIRST_NAMES)]
        last = data.LAST_NAMES[_stable(username, "last") % len(data.LAST_NAMES)]
        title = f"RASSO lead, {org.name}" if side == "police" else f"Area RASSO unit head, {org.name}"
        return self.person(
            username=username, first_name=first, last_name=last, role=User.Role.LEAD, organisation=org,
            job_title=title,
        )  # fmt: skip

    # -- plans, themes, cycles -------------------------------------------------------------------------------------

    def plan(self, *, slug: str, defaults: dict) -> tuple[Plan, bool]:
        plan, created = Plan.objects.get_or_create(slug=slug, defaults=defaults)
        self.report.created["plans"] += created
        if created:
            plan.admins.add(self.people["admin"])
            plan.board_members.add(self.people["board.member"])
        return plan, created

    def themes(self, plan: Plan, national_themes: dict[int, Theme] | None) -> dict[int, Theme]:
        themes = {}
        for number, title, purpose in data.THEMES:
            theme, created = Theme.objects.get_or_create(
                plan=plan,
                number=number,
                defaults={
                    "title": title,
                    "purpose": purpose,
                    "mirrors": national_themes[number] if national_themes else None,
                },
            )
            self.report.created["themes"] += created
            themes[number] = theme
        return themes

    def review_cycles(self, plan: Plan) -> list[ReviewCycle]:
        # Cycle names depend on the day of the first run: on a later run, keep the cycles the plan already has.
        existing = list(plan.review_cycles.order_by("opens_on"))
        if existing:
            return existing
        current = financial_quarter_index(self.today)
        cycles = []
        for ago in range(PAST_CYCLES, -2, -1):  # four closed, the open one, one planned
            opens = self.day(CYCLE_OPENS - CYCLE_LENGTH * ago)
            meeting = opens + timedelta(days=CYCLE_MEETING)
            state = (
                ReviewCycle.State.CLOSED
                if ago > 0
                else ReviewCycle.State.OPEN
                if ago == 0
                else ReviewCycle.State.PLANNED
            )
            cycle, created = ReviewCycle.objects.get_or_create(
                plan=plan,
                name=financial_quarter_name(current - ago),
                defaults={
                    "opens_on": opens,
                    "updates_due_on": opens + timedelta(days=CYCLE_WINDOW - 1),
                    "board_meeting_on": meeting,
                    "state": state,
                    "closed_at": self.moment(meeting + timedelta(days=1), plan.slug, ago) if ago > 0 else None,
                },
            )
            self.report.created["review cycles"] += created
            cycles.append(cycle)
        return cycles

    # -- actions and their histories -------------------------------------------------------------------------------

    def build_actions(
        self,
        *,
        plan: Plan,
        themes: dict[int, Theme],
        cycles: list[ReviewCycle],
        specs: list[dict],
    ) -> list[Action]:
        """Create the actions of `specs` the plan lacks, each with its status history. Returns all plan actions."""
        existing = set(Action.objects.filter(plan=plan).values_list("reference", flat=True))
        new = [spec for spec in specs if spec["reference"] not in existing]
        actions: list[Action] = []
        histories: list[list[StatusUpdate]] = []
        created_times: list[datetime] = []
        frozen: list[list[ActionSnapshot]] = []
        for spec in new:
            action, updates, created_at, snapshots = self.action_with_history(
                plan=plan, themes=themes, cycles=cycles, spec=spec
            )
            actions.append(action)
            histories.append(updates)
            created_times.append(created_at)
            frozen.append(snapshots)

        if actions:
            Action.objects.bulk_create(actions, batch_size=BATCH)
            through = Action.lead_organisations.through
            through.objects.bulk_create(
                [
                    through(action_id=action.pk, organisation_id=org.pk)
                    for action, spec in zip(actions, new, strict=True)
                    for org in spec["organisations"]
                ],
                batch_size=BATCH,
            )
            # created_at is auto_now_add, so the past creation times are written after the insert.
            for action, created_at in zip(actions, created_times, strict=True):
                action.created_at = created_at
            Action.objects.bulk_update(actions, ["created_at"], batch_size=BATCH)
            updates = []
            for action, history in zip(actions, histories, strict=True):
                for update in history:
                    update.action_id = action.pk
                    updates.append(update)
            # Status updates are append-only: each is inserted with the history's own time, never changed after.
            StatusUpdate.objects.bulk_create(updates, batch_size=BATCH)
            snapshots = []
            for action, taken in zip(actions, frozen, strict=True):
                for snapshot in taken:
                    snapshot.action_id = action.pk
                    snapshots.append(snapshot)
            ActionSnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
            self.report.created["snapshots"] += len(snapshots)
            self.board_records(plan=plan, snapshots=snapshots)
            # The history records what was inserted, when it was inserted.
            Action.history.bulk_history_create(actions, default_change_reason="Demo data", batch_size=BATCH)
            self.report.created["actions"] += len(actions)
            self.report.created["status updates"] += len(updates)
        return list(Action.objects.filter(plan=plan))

    def action_with_history(
        self, *, plan: Plan, themes: dict[int, Theme], cycles: list[ReviewCycle], spec: dict
    ) -> tuple[Action, list[StatusUpdate], datetime, list[ActionSnapshot]]:
        scenario = data.SCENARIOS[spec["scenario"]]
        if spec["side"] != Side.JOINT and any(step.signoff for step in scenario.steps):
            # Only a joint action is signed off by both sides; one of a single side completes as any other.
            scenario = data.SCENARIOS[scenario.single_side]
        shift = spec.get("shift", 0)
        reference = spec["reference"]
        action = Action(
            plan=plan,
            theme=themes[spec["theme"]],
            reference=reference,
            reference_sort=reference_sort_key(reference),
            title=spec["title"],
            description=spec["description"],
            side=spec["side"],
            police_lead=spec.get("police_lead"),
            cps_lead=spec.get("cps_lead"),
            start_date=self.day(scenario.start + shift),
            target_date=self.day(scenario.target + shift),
            mirrors=spec.get("mirrors"),
            status=Status.NOT_STARTED,
            rag="green",
        )
        created_at = self.moment(self.day(-CREATED_DAYS_AGO), plan.slug, reference, "created")
        leads = action.leads
        updates = []
        # Each closed cycle's snapshot is the action as it stood when the cycle closed, taken as its history is
        # played forward here: the replay of the status history must agree with it (a test checks that).
        closing = sorted((c for c in cycles if c.closed_at is not None and c.closed_at >= created_at), key=_closed_at)
        snapshots: list[ActionSnapshot] = []
        narrative, narrative_at = "", None
        for number, step in enumerate(scenario.steps):
            if step.at is not None:
                on = self.day(step.at + shift)
            else:
                on = self.day(CYCLE_OPENS - CYCLE_LENGTH * step.cycle + step.day)
            at = self.moment(on, plan.slug, reference, number)
            while closing and closing[0].closed_at < at:
                snapshots.append(_snapshot(action, closing.pop(0), updates, narrative, narrative_at))
            cycle = next((c for c in cycles if c.opens_on <= on <= c.updates_due_on), None)
            author = leads[number % len(leads)]
            if step.signoff:
                author = action.police_lead if step.by == LeadSide.POLICE else action.cps_lead
            update = StatusUpdate(
                author=author,
                review_cycle=cycle,
                status_from=action.status,
                status_to=step.status,
                rag_from=action.rag,
                rag_to=step.rag,
                narrative=step.narrative,
                evidence_url=(
                    data.EVIDENCE_URLS[_stable(reference, number) % len(data.EVIDENCE_URLS)] if step.evidence else ""
                ),
                version=action.version + 1,
            )
            update.created_at = at
            update.effective_at = at
            if step.target is not None:
                update.target_date_from = action.current_target_date
                update.target_date_to = self.day(step.target + shift)
                update.revision_reason = step.reason
                action.revised_target_date = update.target_date_to
                action.revision_reason = step.reason
            if step.signoff:
                self.signoff_step(action, update, step=step, author=author, at=at)
            action.status = step.status
            action.rag = step.rag
            action.closure_reason = step.closure
            action.completed_on = on if step.status == Status.COMPLETED else None
            action.version += 1
            action.last_update_at = at
            if step.narrative:
                narrative, narrative_at = step.narrative, at
            updates.append(update)
        snapshots += [_snapshot(action, cycle, updates, narrative, narrative_at) for cycle in closing]
        action.clean()
        action.validate_constraints(exclude={"plan"})
        return action, updates, created_at, snapshots

    def board_records(self, *, plan: Plan, snapshots: list[ActionSnapshot]) -> None:
        """The board's decisions at each closed cycle (completions accepted, revised dates accepted, red actions
        escalated) and its summary of the meeting."""
        admin = self.people["admin"]
        decisions = []
        by_cycle: dict[int, list[ActionSnapshot]] = {}
        for snapshot in snapshots:
            by_cycle.setdefault(snapshot.cycle_id, []).append(snapshot)
            decided_at = snapshot.cycle.closed_at - timedelta(hours=20)
            kind, comment = _decision_for(snapshot)
            if kind:
                decisions.append(
                    BoardDecision(
                        cycle_id=snapshot.cycle_id,
                        action_id=snapshot.action_id,
                        kind=kind,
                        comment=comment,
                        decided_by=admin,
                        decided_at=decided_at,
                    )
                )
        BoardDecision.objects.bulk_create(decisions, batch_size=BATCH)
        self.report.created["board decisions"] += len(decisions)
        for cycle_id, taken in by_cycle.items():
            if BoardMinutes.objects.filter(cycle_id=cycle_id).exists():
                continue
            updated = sum(s.updated_in_cycle for s in taken)
            BoardMinutes.objects.create(
                cycle_id=cycle_id,
                updated_by=admin,
                text=(
                    f"The board reviewed {len(taken)} actions, {updated} of them updated in this cycle. It accepted "
                    "the completions reported, agreed the revised target dates where the reasons were given, and "
                    "asked the leads of red actions for a recovery plan before the next meeting."
                ),
            )

    @staticmethod
    def signoff_step(action: Action, update: StatusUpdate, *, step: data.Step, author: User, at: datetime) -> None:
        """Make a step a step of the joint sign-off, as the sign-off services record it."""
        update.signoff_side = step.by
        if step.signoff == "proposed":
            update.kind = StatusUpdate.Kind.COMPLETION_PROPOSED
            action.completion_proposed_by = author
            action.completion_proposed_at = at
            action.completion_proposed_side = step.by
            return
        update.kind = (
            StatusUpdate.Kind.COMPLETION_CONFIRMED
            if step.signoff == "confirmed"
            else StatusUpdate.Kind.COMPLETION_DECLINED
        )
        action.completion_proposed_by = None
        action.completion_proposed_at = None
        action.completion_proposed_side = ""

    # -- the plans -------------------------------------------------------------------------------------------------

    def national_plan(self) -> tuple[Plan, dict[int, Theme], dict[str, Action]]:
        start = self.day(-CREATED_DAYS_AGO)
        plan, _ = self.plan(
            slug=data.NATIONAL_SLUG,
            defaults={
                "kind": Plan.Kind.NATIONAL,
                "title": data.NATIONAL_TITLE,
                "summary": data.NATIONAL_SUMMARY,
                "period_start": start,
                "period_end": start.replace(year=start.year + 3) - timedelta(days=1),
                "status": Plan.Status.PUBLISHED,
                "revision": "First edition",
            },
        )
        themes = self.themes(plan, None)
        cycles = self.review_cycles(plan)
        specs = []
        for spec, scenario in zip(data.NATIONAL_ACTIONS, data.SCENARIO_MIX, strict=True):
            specs.append(
                {
                    "reference": spec.reference,
                    "theme": int(spec.reference.split(".")[0]),
                    "title": spec.title,
                    "description": spec.description,
                    "side": spec.side,
                    "police_lead": self.people[spec.police_lead] if spec.police_lead else None,
                    "cps_lead": self.people[spec.cps_lead] if spec.cps_lead else None,
                    "organisations": [self.orgs[key] for key in spec.organisations],
                    "scenario": scenario,
                }
            )
        actions = self.build_actions(plan=plan, themes=themes, cycles=cycles, specs=specs)
        self.report.national_plan = plan
        return plan, themes, {a.reference: a for a in actions}

    def local_plan(
        self, *, index: int, national: Plan, national_themes: dict[int, Theme], national_actions: dict[str, Action]
    ) -> Plan:
        force_slug, _name, _short, area_key = data.POLICE_FORCES[index]
        force, area = self.orgs[force_slug], self.orgs[area_key]
        police_lead = self.local_lead(org_key=force_slug, side="police")
        cps_lead = self.local_lead(org_key=area_key, side="cps")
        plan, _ = self.plan(
            slug=f"{force_slug}-{area_key}",
            defaults={
                "kind": Plan.Kind.LOCAL,
                "title": f"{force.name} and {area.name} joint RASSO action plan",
                "summary": (
                    f"The local joint action plan of {force.name} and {area.name}: it mirrors the national plan "
                    "and adds actions for local issues."
                ),
                "period_start": national.period_start,
                "period_end": national.period_end,
                "status": Plan.Status.PUBLISHED,
                "revision": national.revision,
                "mirrors": national,
                "police_force": force,
                "cps_area": area,
            },
        )
        self.report.local_plans.append(plan)
        themes = self.themes(plan, national_themes)
        cycles = self.review_cycles(plan)
        shift = -(_stable(plan.slug) % 7)  # local dates differ from the national ones by up to a week
        rotation = 7 * (index + 1)
        mix = data.SCENARIO_MIX

        def leads_for(side: str) -> dict:
            return {
                "police_lead": police_lead if side in (Side.POLICE, Side.JOINT) else None,
                "cps_lead": cps_lead if side in (Side.CPS, Side.JOINT) else None,
                "organisations": [
                    org for org, s in ((force, Side.POLICE), (area, Side.CPS)) if side in (s, Side.JOINT)
                ],
            }

        specs = []
        for i, spec in enumerate(data.NATIONAL_ACTIONS):
            theme_number = int(spec.reference.split(".")[0])
            specs.append(
                {
                    "reference": spec.reference,
                    "theme": theme_number,
                    "title": spec.title,
                    "description": spec.description,
                    "side": spec.side,
                    "mirrors": national_actions[spec.reference],
                    "scenario": mix[(i + rotation) % len(mix)],
                    "shift": shift,
                    **leads_for(spec.side),
                }
            )
        additions = [data.LOCAL_ADDITIONS[index % len(data.LOCAL_ADDITIONS)]]
        if index % 2 == 0:
            additions.append(data.LOCAL_ADDITIONS[(index + 3) % len(data.LOCAL_ADDITIONS)])
        # Local additions are numbered apart ("2.L1"), so a national action added later never takes their number.
        per_theme: Counter = Counter()
        for k, (theme_number, side, title, description) in enumerate(additions):
            per_theme[theme_number] += 1
            specs.append(
                {
                    "reference": f"{theme_number}.L{per_theme[theme_number]}",
                    "theme": theme_number,
                    "title": title,
                    "description": description,
                    "side": side,
                    "scenario": data.LOCAL_ADDITION_SCENARIOS[(index + k) % len(data.LOCAL_ADDITION_SCENARIOS)],
                    "shift": shift,
                    **leads_for(side),
                }
            )
        self.build_actions(plan=plan, themes=themes, cycles=cycles, specs=specs)
        return plan

    # -- inspection recommendations ------------------------------------------------------------------------------

    def recommendations(self, national: Plan) -> None:
        """The two phases of the joint inspection, their recommendations and the national actions answering them,
        through the recommendation services; what exists already is left as it is."""
        admin = self.people["admin"]
        actions = {a.reference: a for a in national.actions.all()}
        for key, title, short_title, publisher, (year, month, day), url in data.FINDING_SOURCES:
            source = FindingSource.objects.filter(title=title).first()
            if source is None:
                source = source_save(
                    by=admin,
                    title=title,
                    short_title=short_title,
                    publisher=publisher,
                    published_on=date(year, month, day),
                    url=url,
                )
                self.report.created["recommendation sources"] += 1
            for number, addressee, text, references in data.RECOMMENDATIONS[key]:
                recommendation = source.recommendations.filter(number=number).first()
                if recommendation is not None:
                    continue
                recommendation = recommendation_save(
                    source=source, by=admin, number=number, text=text, addressee=addressee
                )
                self.report.created["recommendations"] += 1
                for reference in references:
                    recommendation_link(recommendation=recommendation, action=actions[reference], by=admin)
        for key, number, evidence in data.RECOMMENDATIONS_CLOSED:
            title = next(source[1] for source in data.FINDING_SOURCES if source[0] == key)
            recommendation = Recommendation.objects.get(source__title=title, number=number)
            if (
                recommendation.closed_at is None
                and not recommendation.history.filter(history_change_reason="Closed with evidence").exists()
            ):
                recommendation_close(recommendation=recommendation, by=admin, evidence=evidence)

    # -- the revision of the national plan ----------------------------------------------------------------------

    def national_revision(self, national: Plan) -> Revision:
        """The "2022 refresh", decided and published through the revision services, once."""
        existing = national.revisions.filter(name=data.REVISION_NAME).first()
        if existing is not None:
            return existing
        admin = self.people["admin"]
        actions = {a.reference: a for a in national.actions.select_related("theme", "police_lead", "cps_lead")}
        themes = {t.number: t for t in national.themes.all()}
        revision = revision_start(
            plan=national,
            by=admin,
            name=data.REVISION_NAME,
            effective_on=self.day(data.REVISION_EFFECTIVE_DAYS),
            rationale=data.REVISION_RATIONALE,
        )
        added: dict[str, RevisionDecision] = {}
        for key, theme, side, title, description, police, cps, start, target, reason in data.REVISION_ADDITIONS:
            added[key] = revision_add_action(
                revision=revision,
                by=admin,
                reason=reason,
                proposal=Proposal(
                    theme=themes[theme],
                    title=title,
                    description=description,
                    side=side,
                    police_lead=self.people[police] if police else None,
                    cps_lead=self.people[cps] if cps else None,
                    start_date=self.day(start),
                    target_date=self.day(target),
                ),
            )
        for reference, (title, description, reason) in data.REVISION_CHANGES.items():
            action = actions[reference]
            revision_decide(
                revision=revision,
                action=action,
                by=admin,
                fate=RevisionDecision.Fate.CHANGED,
                reason=reason,
                proposal=Proposal(
                    theme=action.theme,
                    title=title,
                    description=description,
                    side=action.side,
                    police_lead=action.police_lead,
                    cps_lead=action.cps_lead,
                    start_date=action.start_date,
                    target_date=action.current_target_date,
                ),
            )
        for reference, into, reason in data.REVISION_MERGES:
            revision_decide(
                revision=revision,
                action=actions[reference],
                by=admin,
                fate=RevisionDecision.Fate.MERGED,
                into_action=actions[into],
                reason=reason,
            )
        for reference, key, reason in data.REVISION_SUPERSEDED:
            revision_decide(
                revision=revision,
                action=actions[reference],
                by=admin,
                fate=RevisionDecision.Fate.SUPERSEDED,
                successor=added[key],
                reason=reason,
            )
        for reference, reason in data.REVISION_WITHDRAWALS:
            revision_decide(
                revision=revision,
                action=actions[reference],
                by=admin,
                fate=RevisionDecision.Fate.WITHDRAWN,
                reason=reason,
            )
        revision = revision_publish(revision=revision, by=admin)
        self.report.created["revisions"] += 1
        return revision

    # -- local plans answering the national plan ----------------------------------------------------------------

    def local_answers(self) -> None:
        """Actions that do not apply in a local plan, and the local leads' answers to the refresh's rewording,
        through the local plan services; done once, on the local plans that exist."""
        admin = self.people["admin"]
        for slug, items in data.LOCAL_NOT_APPLICABLE.items():
            for reference, reason in items:
                action = Action.objects.select_related("plan").filter(plan__slug=slug, reference=reference).first()
                if action is None or action.history.filter(history_change_reason__startswith="Not applicable").exists():
                    continue
                local_action_set_not_applicable(action=action, by=admin, not_applicable=True, reason=reason)
        for slug, items in data.LOCAL_CHANGE_ANSWERS.items():
            plan = Plan.objects.select_related("police_force", "cps_area").filter(slug=slug).first()
            if plan is None:
                continue
            for reference, side, reason in items:
                change = NationalChange.objects.filter(
                    local_action__plan=plan, local_action__reference=reference, answer=NationalChange.Answer.PENDING
                ).first()
                if change is None:
                    continue
                org = plan.police_force if side == "police" else plan.cps_area
                lead = self.local_lead(org_key=slugify_org(org, self.orgs), side=side)
                if reason is None:
                    national_change_accept(change=change, by=lead)
                else:
                    national_change_keep_local(change=change, by=lead, reason=reason)

    # -- the public progress page --------------------------------------------------------------------------------

    def public_page(self, national: Plan) -> None:
        """The national plan's public page, switched on, with public summaries of its completed actions; once."""
        if PublicPage.objects.filter(plan=national).exists():
            return
        admin = self.people["admin"]
        public_page_save(
            plan=national,
            by=admin,
            enabled=True,
            introduction=data.PUBLIC_INTRODUCTION,
            show_names=False,
            show_rag=False,
            show_dates=False,
        )
        self.report.created["public pages"] += 1
        for action in national.actions.filter(reference__in=data.PUBLIC_SUMMARIES, status=Status.COMPLETED):
            if not PublicSummary.objects.filter(action=action).exists():
                public_summary_approve(action=action, by=admin, text=data.PUBLIC_SUMMARIES[action.reference])

    def build(self, *, local_plans: int) -> SeedReport:
        self.build_organisations()
        self.build_national_people()
        national, themes, actions = self.national_plan()
        for index in range(local_plans):
            self.local_plan(index=index, national=national, national_themes=themes, national_actions=actions)
        self.recommendations(national)
        self.national_revision(national)
        self.local_answers()
        self.public_page(national)
        # Local plans made after the revision get their copies of the actions it added.
        known = {spec.reference for spec in data.NATIONAL_ACTIONS}
        for action in national.actions.exclude(reference__in=known).select_related("plan", "theme"):
            copies = national_action_copies_add(national_action=action, by=self.people["admin"], reason="Demo data")
            self.report.created["actions"] += len(copies)
        self.report.totals = {
            "national plans": Plan.objects.filter(kind=Plan.Kind.NATIONAL).count(),
            "local plans": Plan.objects.filter(kind=Plan.Kind.LOCAL).count(),
            "actions": Action.objects.count(),
            "status updates": StatusUpdate.objects.count(),
            "users": User.objects.count(),
        }
        return self.report


def demo_seed(*, password: str, local_plans: int = data.DEFAULT_LOCAL_PLANS, today: date | None = None) -> SeedReport:
    """Create the demo plans, people and histories that do not exist yet; existing rows are left as they are.

    `password` is given to the people this run creates. Dates are relative to `today` (default: the local date).
    """
    if not 1 <= local_plans <= data.MAX_LOCAL_PLANS:
        raise ValueError(f"local_plans must be between 1 and {data.MAX_LOCAL_PLANS}")
    builder = DemoBuilder(password=password, today=today or timezone.localdate())
    with transaction.atomic():
        return builder.build(local_plans=local_plans)


def _closed_at(cycle: ReviewCycle) -> datetime:
    return cycle.closed_at


def _snapshot(
    action: Action, cycle: ReviewCycle, updates: list[StatusUpdate], narrative: str, narrative_at: datetime | None
) -> ActionSnapshot:
    """The action as it stands now in the played-forward history, as the snapshot taken when `cycle` closed."""
    return ActionSnapshot(
        cycle=cycle,
        reference=action.reference,
        title=action.title,
        theme_number=action.theme.number,
        side=action.side,
        status=action.status,
        closure_reason=action.closure_reason,
        rag=action.rag,
        target_date=action.current_target_date,
        target_revised=action.revised_target_date is not None,
        police_lead=action.police_lead,
        cps_lead=action.cps_lead,
        leads=", ".join(str(lead) for lead in action.leads),
        last_update_at=action.last_update_at,
        latest_narrative=narrative,
        narrative_at=narrative_at,
        updated_in_cycle=any(update.review_cycle_id == cycle.pk for update in updates),
        # Saved after the updates, so the proposal has its id by then.
        proposal=updates[-1] if action.completion_proposed_at is not None else None,
        not_applicable=action.not_applicable,
        created_at=cycle.closed_at,
    )


def _decision_for(snapshot: ActionSnapshot) -> tuple[str, str]:
    """What the demo board decided about an action at a cycle, from where it stood."""
    if not snapshot.updated_in_cycle:
        return "", ""
    if snapshot.status == Status.COMPLETED:
        return BoardDecision.Kind.ACCEPT_COMPLETION, "The evidence supports completion."
    if snapshot.status in (Status.NOT_STARTED, Status.IN_PROGRESS) and snapshot.rag == "red":
        return BoardDecision.Kind.ESCALATE, "Delivery is at risk: the joint operational improvement board to review."
    if snapshot.target_revised and snapshot.status in (Status.NOT_STARTED, Status.IN_PROGRESS):
        return BoardDecision.Kind.ACCEPT_REVISED_DATE, "The reason for the new date is accepted."
    return "", ""
