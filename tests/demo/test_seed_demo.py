"""seed_demo: the demo plan, its mirrors, its people and its histories, and running it twice changing nothing.

The tests that need an empty database (passwords, dates) come first in this module: the `seeded` fixture
below writes the demo once for the rest of the module (outside the per-test transactions) and flushes it at
the end of the module.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate as django_authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.utils import timezone

from actionplan.models import Organisation, User
from actions.models import Action, Status, StatusUpdate
from actions.validation import accountability_problem, validate_action
from demo import data
from reviews.models import FindingSource, Recommendation
from themes.models import Plan, ReviewCycle, Theme

PASSWORD = "demo-password-for-tests"
SEED_THEME_TITLES = ["Supporting victims", "Casework quality", "Right to privacy", "Training", "Collaboration"]


def authenticate(**credentials):
    """Sign in as the sign-in page does: with a request, which the lockout backend requires."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def seed(*args: str, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


# -- On an empty database -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_password_a_random_one_is_printed_once_and_signs_in():
    assert not User.objects.exists(), "these tests must run before the module's seeded fixture"
    first = seed("--scale", "1")
    match = re.search(r"shown only this once\): (\S+)", first)
    assert match, first
    password = match.group(1)
    assert len(password) >= 20
    assert authenticate(username="admin", password=password) is not None
    assert authenticate(username="avon-and-somerset.police.lead", password=password) is not None

    second = seed("--scale", "1")
    assert password not in second
    assert "nothing was changed" in second


@pytest.mark.django_db
def test_each_run_without_password_generates_a_different_one():
    first = re.search(r"shown only this once\): (\S+)", seed("--scale", "1")).group(1)
    # The admin's name is on the board's records and the revision it published, which keep it; a board member has
    # none, so removing them leaves the demo whole.
    User.objects.filter(username="board.member").delete()
    second = re.search(r"shown only this once\): (\S+)", seed("--scale", "1")).group(1)
    assert first != second
    assert authenticate(username="board.member", password=second) is not None
    assert authenticate(username="board.member", password=first) is None


@pytest.mark.django_db
def test_password_option_gives_every_created_user_that_password():
    out = seed("--password", "Blue-Harbour-42", "--scale", "1")
    assert "Blue-Harbour-42" not in out
    for username in ["admin", "police.lead", "cps.lead", "board.member", "cps-south-west.cps.lead"]:
        assert authenticate(username=username, password="Blue-Harbour-42") is not None, username
    assert authenticate(username="admin", password="wrong") is None


@pytest.mark.django_db
def test_password_option_does_not_change_existing_users():
    seed("--password", "first-password", "--scale", "1")
    seed("--password", "second-password", "--scale", "1")
    assert authenticate(username="admin", password="first-password") is not None
    assert authenticate(username="admin", password="second-password") is None


@pytest.mark.django_db
def test_empty_password_is_refused():
    with pytest.raises(CommandError, match="password"):
        seed("--password", "  ", "--scale", "1")
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_a_clash_with_existing_people_is_a_command_error_and_writes_nothing():
    cps_area = Organisation.objects.create(name="CPS Wessex", kind=Organisation.Kind.CPS)
    User.objects.create(username="police.lead", role=User.Role.LEAD, organisation=cps_area)
    with pytest.raises(CommandError, match="police lead must belong to a police organisation"):
        seed("--password", PASSWORD, "--scale", "1")
    assert not Plan.objects.exists()
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given, shown",
    [
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001/accounts/login/"),
        ("http://localhost:8001/", "http://localhost:8001/accounts/login/"),
        ("https://rasso.example.org", "https://rasso.example.org/accounts/login/"),
        ("http://[::1]:8002", "http://[::1]:8002/accounts/login/"),
    ],
)
def test_the_sign_in_line_gives_the_address_served(given, shown):
    output = seed("--password", PASSWORD, "--scale", "1", "--site-url", given)

    assert output.splitlines()[-1] == f"Sign in at {shown}"


@pytest.mark.django_db
def test_without_an_address_the_sign_in_line_uses_the_site_url_setting(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"

    output = seed("--password", PASSWORD, "--scale", "1")

    assert output.splitlines()[-1] == "Sign in at http://127.0.0.1:8000/accounts/login/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given",
    ["", "127.0.0.1:8001", "ftp://127.0.0.1", "http://", "http://127.0.0.1:port", "http://127.0.0.1:99999",
     "http://host:8001/accounts/", "http://ex ample.org", "javascript:alert(1)"],
)  # fmt: skip
def test_an_address_that_is_not_one_is_a_command_error_and_writes_nothing(given):
    with pytest.raises(CommandError, match="--site-url must be the address the service is served at"):
        seed("--password", PASSWORD, "--scale", "1", "--site-url", given)
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_dates_follow_the_day_of_the_first_run():
    with time_machine.travel(datetime(2030, 6, 15, 11, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        seed("--password", PASSWORD, "--scale", "1")
        today = timezone.localdate()
    assert today == date(2030, 6, 15)
    national = Plan.objects.get(slug=data.NATIONAL_SLUG)
    open_cycle = national.review_cycles.get(state=ReviewCycle.State.OPEN)
    assert open_cycle.name == "Q1 2030-31"
    assert open_cycle.opens_on <= today <= open_cycle.updates_due_on
    assert national.review_cycles.get(state=ReviewCycle.State.PLANNED).name == "Q2 2030-31"
    assert StatusUpdate.objects.filter(created_at__date__gt=today).count() == 0
    assert Action.objects.filter(target_date__lt=today).exists()
    assert Action.objects.filter(target_date__gt=today).exists()


@pytest.mark.django_db
def test_a_later_run_on_another_day_changes_nothing():
    seed("--password", PASSWORD, "--scale", "1")
    before = table_counts()
    with time_machine.travel(timezone.now() + timedelta(days=100)):
        out = seed("--password", PASSWORD, "--scale", "1")
    assert table_counts() == before
    assert "nothing was changed" in out


@pytest.mark.django_db
def test_scale_43_makes_a_local_plan_for_every_force_and_running_again_changes_nothing():
    seed("--scale", "43", "--password", PASSWORD)
    local_plans = Plan.objects.filter(kind=Plan.Kind.LOCAL)
    assert local_plans.count() == 43
    assert set(local_plans.values_list("police_force__name", flat=True)) == {f[1] for f in data.POLICE_FORCES}
    assert set(local_plans.values_list("cps_area__name", flat=True)) == {a[0] for a in data.CPS_AREAS.values()}
    national_actions = Plan.objects.get(slug=data.NATIONAL_SLUG).actions.count()
    assert national_actions == len(data.NATIONAL_ACTIONS) + len(data.REVISION_ADDITIONS)
    assert Action.objects.filter(mirrors__isnull=False).count() == 43 * national_actions
    assert User.objects.filter(role=User.Role.LEAD).count() == 4 + 43 + 14
    before = table_counts()
    seed("--scale", "43", "--password", PASSWORD)
    assert table_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("scale", ["0", "44", "x", "-1", "2.5", ""])
def test_bad_scale_gives_a_command_error_and_stores_nothing(scale):
    with pytest.raises(CommandError, match="--scale must be a whole number from 1 to 43"):
        seed("--scale", scale, "--password", PASSWORD)
    assert not Plan.objects.exists()
    assert not User.objects.exists()


# -- On the seeded demo (three local plans) ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        output = seed("--password", PASSWORD)
        yield output
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(seeded, db):
    return seeded


@pytest.fixture
def national(demo) -> Plan:
    return Plan.objects.get(slug=data.NATIONAL_SLUG)


def table_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models(include_auto_created=True)}


def test_command_prints_a_summary_with_the_users_and_where_to_sign_in(demo):
    assert "Created " in demo
    assert f"{Action.objects.count()} actions" in demo
    assert "police.lead" in demo and "cps.lead" in demo and "board.member" in demo
    assert "/accounts/login/" in demo
    assert PASSWORD not in demo


def test_national_plan_is_published_with_the_five_themes_of_the_published_plan(national):
    assert national.kind == Plan.Kind.NATIONAL
    assert national.status == Plan.Status.PUBLISHED
    assert national.title == "Joint national action plan for rape and serious sexual offences"
    themes = list(national.themes.order_by("number"))
    assert [(t.number, t.title) for t in themes] == list(enumerate(SEED_THEME_TITLES, start=1))
    assert themes[0].purpose.startswith("Through an improved understanding of the impact of trauma")
    assert themes[2].purpose.startswith("Balancing the needs of an investigation and a fair trial")
    assert all(t.purpose for t in themes)


def test_national_plan_has_between_20_and_35_actions_numbered_by_theme(national):
    actions = list(national.actions.select_related("theme"))
    assert 20 <= len(actions) <= 35
    for action in actions:
        assert re.fullmatch(r"\d\.\d+", action.reference), action.reference
        assert action.reference.split(".")[0] == str(action.theme.number)
        assert action.mirrors_id is None
        assert action.description
    assert {a.theme.number for a in actions} == {1, 2, 3, 4, 5}
    titles = " ".join(a.title.lower() for a in actions)
    for subject in ["independent sexual violence advisers", "no further action", "disclosure", "pre-trial therapy"]:
        assert subject in titles


def test_three_local_plans_each_mirror_every_national_action(national):
    national_actions = {a.pk: a for a in national.actions.all()}
    local_plans = list(Plan.objects.filter(kind=Plan.Kind.LOCAL).select_related("police_force", "cps_area"))
    assert len(local_plans) == 3
    assert {p.slug for p in local_plans} >= {"avon-and-somerset-cps-south-west"}
    for plan in local_plans:
        assert plan.mirrors_id == national.pk
        assert plan.police_force.kind == Organisation.Kind.POLICE and plan.cps_area.kind == Organisation.Kind.CPS
        assert plan.status == Plan.Status.PUBLISHED
        themes = list(plan.themes.select_related("mirrors").order_by("number"))
        assert [(t.number, t.title, t.mirrors.plan_id) for t in themes] == [
            (n, title, national.pk) for n, title in enumerate(SEED_THEME_TITLES, start=1)
        ]
        actions = list(plan.actions.select_related("theme", "mirrors", "police_lead", "cps_lead"))
        mirrored = [a for a in actions if a.mirrors_id]
        additions = [a for a in actions if a.mirrors_id is None]
        assert sorted(a.mirrors_id for a in mirrored) == sorted(national_actions)
        assert 1 <= len(additions) <= 2
        for action in mirrored:
            assert action.reference == action.mirrors.reference
            assert action.side == action.mirrors.side
            assert action.theme.mirrors_id == national_actions[action.mirrors_id].theme_id
        for action in actions:
            if action.police_lead:
                assert action.police_lead.organisation_id == plan.police_force_id
            if action.cps_lead:
                assert action.cps_lead.organisation_id == plan.cps_area_id
            assert set(action.lead_organisations.values_list("pk", flat=True)) <= {
                plan.police_force_id,
                plan.cps_area_id,
            }


def test_every_action_passes_the_products_validation(demo):
    actions = Action.objects.select_related("plan", "theme", "mirrors", "police_lead__organisation").select_related(
        "cps_lead__organisation"
    )
    assert actions.count() > 100
    for action in actions:
        validate_action(action)
        if action.plan.is_national:  # full_clean checks each constraint with a query: one plan is enough
            action.full_clean()
        assert action.leads, action
        assert action.lead_organisations.exists(), action
        assert (
            accountability_problem(
                side=action.side,
                police_lead=action.police_lead,
                cps_lead=action.cps_lead,
                lead_organisations=action.lead_organisations.all(),
            )
            is None
        )
        if action.police_lead:
            assert action.police_lead.is_lead
        if action.cps_lead:
            assert action.cps_lead.is_lead


def test_every_theme_and_review_cycle_passes_the_products_validation(demo):
    for theme in Theme.objects.select_related("plan__mirrors", "mirrors__plan"):
        theme.full_clean()
    for cycle in ReviewCycle.objects.all():
        cycle.full_clean()
        assert not cycle.overlapping().exists() or cycle.state == ReviewCycle.State.CLOSED


def test_statuses_and_rags_are_mixed_in_every_plan(demo):
    today = timezone.localdate()
    plans = list(Plan.objects.all())
    assert len(plans) == 4  # the national plan and its three local plans
    for plan in plans:
        actions = list(plan.actions.all())
        assert {a.status for a in actions} == set(Status.values), plan
        assert {a.rag for a in actions if a.is_open} == {"green", "amber", "red"}, plan
        assert sum(a.is_overdue(today) for a in actions) >= 2, plan
        assert sum(a.is_due_soon(today) for a in actions) >= 3, plan
        revised = [a for a in actions if a.revised_target_date]
        assert len(revised) >= 2 and all(a.revision_reason for a in revised), plan
        assert all(a.completed_on and a.completed_on <= today for a in actions if a.status == Status.COMPLETED)
        closed = [a for a in actions if a.status == Status.CLOSED]
        # The national plan's "2022 refresh" closed three more: merged, superseded and withdrawn.
        assert 1 <= len(closed) <= (5 if plan.is_national else 2), plan
        assert {a.closure_reason for a in closed} == {"superseded", "withdrawn"}, plan
        assert any(a.start_date > today for a in actions if a.status == Status.NOT_STARTED), plan


def test_status_history_is_consistent_with_each_action(demo):
    now = timezone.now()
    updates_by_action: dict[int, list[StatusUpdate]] = {}
    for update in StatusUpdate.objects.select_related("review_cycle", "author__organisation").order_by("version"):
        updates_by_action.setdefault(update.action_id, []).append(update)
    for action in Action.objects.select_related("police_lead", "cps_lead"):
        updates = updates_by_action.get(action.pk, [])
        if not updates:
            # Added by the "2022 refresh" (and copied into the local plans): not started, no update yet.
            assert action.created_at > now - timedelta(minutes=10) and action.version == 1, action
            assert action.status == Status.NOT_STARTED and action.last_update_at is None, action
            continue
        assert [u.version for u in updates] == list(range(2, len(updates) + 2)), action
        assert action.version == 1 + len(updates)
        assert abs(action.last_update_at - updates[-1].created_at) < timedelta(seconds=1)
        assert action.created_at < updates[0].created_at
        assert all(a.created_at < b.created_at for a, b in zip(updates, updates[1:], strict=False))
        assert updates[-1].created_at < now
        assert (updates[0].status_from, updates[0].rag_from) == (Status.NOT_STARTED, "green")
        for before, after in zip(updates, updates[1:], strict=False):
            assert (after.status_from, after.rag_from) == (before.status_to, before.rag_to)
        assert (updates[-1].status_to, updates[-1].rag_to) == (action.status, action.rag)
        revisions = [u for u in updates if u.target_date_to]
        if action.revised_target_date:
            assert revisions[-1].target_date_to == action.revised_target_date
            assert revisions[0].target_date_from == action.target_date
            assert all(u.revision_reason for u in revisions)
        else:
            assert not revisions
        for update in updates:
            # The leads write the updates; the admin who published the revision wrote the ones it made.
            assert update.author in action.leads or update.author.is_admin
            assert update.narrative
            cycle = update.review_cycle
            if cycle is not None:
                assert cycle.plan_id == action.plan_id
                assert cycle.opens_on <= timezone.localtime(update.created_at).date() <= cycle.updates_due_on
    assert StatusUpdate.objects.exclude(evidence_url="").exists()
    assert StatusUpdate.objects.filter(review_cycle__isnull=False).exists()


def test_a_joint_action_awaits_confirmation_and_another_was_signed_off(national):
    awaiting = list(national.actions.completion_proposed().select_related("completion_proposed_by", "cps_lead"))
    assert [action.reference for action in awaiting] == ["3.6"]
    action = awaiting[0]
    assert (action.side, action.status, action.completed_on) == ("joint", Status.IN_PROGRESS, None)
    assert (action.completion_proposed_by.username, action.completion_awaited_side) == ("police.lead", "cps")
    proposal = action.updates.order_by("-version").first()
    assert (proposal.kind, proposal.signoff_side, proposal.author) == (
        "completion_proposed",
        "police",
        action.police_lead,
    )
    assert proposal.created_at == action.completion_proposed_at
    action.full_clean()

    signed_off = national.actions.get(reference="5.4")
    steps = list(signed_off.updates.order_by("version"))
    assert [(u.kind, u.signoff_side) for u in steps if u.kind != "update"] == [
        ("completion_proposed", "police"),
        ("completion_declined", "cps"),
        ("completion_proposed", "police"),
        ("completion_confirmed", "cps"),
    ]
    assert signed_off.status == Status.COMPLETED
    assert signed_off.completed_on == timezone.localtime(steps[-1].created_at).date()
    assert not signed_off.completion_is_proposed

    # The CPS lead is owed a reminder to confirm it.
    from notifications.owed import reminders_due

    due = [d for d in reminders_due(as_of=timezone.localdate()) if d.kind == "completion_proposed"]
    assert ("cps.lead", action.pk) in {(d.recipient.username, d.action.pk) for d in due}


def test_only_joint_actions_have_sign_off_steps(demo):
    assert not Action.objects.exclude(side="joint").filter(completion_proposed_at__isnull=False).exists()
    assert not StatusUpdate.objects.exclude(action__side="joint").exclude(kind="update").exists()


def test_every_demo_action_has_its_creation_in_the_change_history(demo):
    assert Action.history.filter(history_type="+").count() == Action.objects.count()
    assert Plan.history.filter(history_type="+").count() == Plan.objects.count()


def test_every_plan_has_past_open_and_planned_review_cycles(demo):
    today = timezone.localdate()
    plans = list(Plan.objects.all())
    assert len(plans) == 4  # the national plan and its three local plans
    for plan in plans:
        cycles = list(plan.review_cycles.order_by("opens_on"))
        states = [c.state for c in cycles]
        assert states.count(ReviewCycle.State.OPEN) == 1
        assert ReviewCycle.State.CLOSED in states and ReviewCycle.State.PLANNED in states
        for cycle in cycles:
            assert re.fullmatch(r"Q[1-4] \d{4}-\d{2}", cycle.name)
            assert cycle.opens_on <= cycle.updates_due_on <= cycle.board_meeting_on
            if cycle.state == ReviewCycle.State.CLOSED:
                assert cycle.board_meeting_on < today and cycle.closed_at is not None
            elif cycle.state == ReviewCycle.State.OPEN:
                assert cycle.opens_on <= today <= cycle.updates_due_on
            else:
                assert cycle.opens_on > today


def test_demo_users_have_their_roles_and_organisations(national):
    admin = User.objects.get(username="admin")
    police = User.objects.select_related("organisation").get(username="police.lead")
    cps = User.objects.select_related("organisation").get(username="cps.lead")
    board = User.objects.get(username="board.member")
    assert admin.is_admin and admin.is_staff
    assert police.is_lead and police.side == "police"
    assert cps.is_lead and cps.side == "cps"
    assert board.is_board_member and not board.is_staff
    assert national.actions.filter(police_lead=police).count() >= 3
    assert national.actions.filter(cps_lead=cps).count() >= 3
    assert national.actions.filter(police_lead=police, side="joint").exists()
    assert national.actions.filter(cps_lead=cps, side="cps").exists()
    for plan in Plan.objects.all():
        assert admin in plan.admins.all() and board in plan.board_members.all()
    for user in User.objects.all():
        assert user.first_name and user.last_name and user.email.endswith("@example.org")
        assert user.check_password(PASSWORD)
    assert User.objects.filter(username="avon-and-somerset.police.lead", role=User.Role.LEAD).exists()
    assert User.objects.filter(username="cps-south-west.cps.lead", organisation__name="CPS South West").exists()


def test_national_bodies_and_the_forces_and_areas_of_england_and_wales(demo):
    assert Organisation.objects.filter(kind=Organisation.Kind.POLICE, is_national=False).count() == 43
    assert Organisation.objects.filter(kind=Organisation.Kind.CPS, is_national=False).count() == 14
    for name, kind in [
        ("CPS Headquarters", "cps"),
        ("National Police Chiefs' Council", "police"),
        ("College of Policing", "police"),
        ("Home Office", "other"),
    ]:
        assert Organisation.objects.filter(name=name, kind=kind, is_national=True).exists()


def test_running_again_changes_nothing(national):
    def snapshot():
        return [model_to_dict(a) | {"created_at": a.created_at, "last_update_at": a.last_update_at} for a in
                Action.objects.order_by("pk")]  # fmt: skip

    counts, actions = table_counts(), snapshot()
    out = seed("--password", "another-password")
    assert table_counts() == counts
    assert snapshot() == actions
    assert "nothing was changed" in out
    assert "another-password" not in out
    assert authenticate(username="admin", password=PASSWORD) is not None


def test_scale_five_creates_five_local_plans_for_distinct_forces(demo):
    seed("--scale", "5", "--password", PASSWORD)
    local_plans = Plan.objects.filter(kind=Plan.Kind.LOCAL)
    assert local_plans.count() == 5
    assert len({plan.police_force_id for plan in local_plans}) == 5
    national_actions = Plan.objects.get(slug=data.NATIONAL_SLUG).actions.count()
    assert Action.objects.filter(plan__in=local_plans, mirrors__isnull=False).count() == 5 * national_actions
    assert Theme.objects.filter(plan__in=local_plans, mirrors__isnull=False).count() == 25


def test_every_force_is_paired_with_one_of_the_fourteen_cps_areas():
    assert len(data.POLICE_FORCES) == 43
    assert len({slug for slug, *_ in data.POLICE_FORCES}) == 43
    assert {area for *_, area in data.POLICE_FORCES} == set(data.CPS_AREAS)
    assert len(data.CPS_AREAS) == 14


def test_two_inspection_sources_with_recommendations_linked_to_actions(national):
    sources = list(FindingSource.objects.order_by("published_on"))
    assert [s.short_title for s in sources] == ["Joint inspection, phase 1", "Joint inspection, phase 2"]
    assert [s.published_on for s in sources] == [date(2021, 7, 27), date(2022, 2, 24)]
    recommendations = list(Recommendation.objects.with_progress())
    assert len(recommendations) == 13
    assert {r.state for r in recommendations} == set(Recommendation.State.values)
    assert any(r.state == "in_progress" and 0 < r.completed < r.planned for r in recommendations)
    closed = Recommendation.objects.get(source=sources[0], number="1")
    assert closed.closure_evidence and closed.closed_by.username == "admin"
    # 2.3 was merged into 2.1 by the 2022 refresh: the recommendation it answered is answered by 2.1 too.
    merged = Recommendation.objects.get(source=sources[1], number="3")
    assert set(merged.links.values_list("action__reference", flat=True)) == {"2.1", "2.3"}
    assert all(link.action.plan_id == national.pk for r in recommendations for link in r.links.all())


def test_the_2022_refresh_is_published(national):
    revision = national.revisions.get()
    assert (revision.name, revision.status, national.revision) == ("2022 refresh", "published", "2022 refresh")
    fates = dict(revision.decisions.exclude(fate="carried").values_list("action__reference", "fate"))
    assert fates == {
        "1.2": "changed", "3.2": "changed", "2.3": "merged", "2.5": "superseded", "5.5": "withdrawn",
        "2.7": "added", "5.7": "added",
    }  # fmt: skip
    assert national.actions.get(reference="2.5").superseded_by.reference == "2.7"
    assert revision.content_before["edition"] == "First edition"


def test_local_plans_answer_the_national_plan(national):
    from actions.models import NationalChange

    avon = Plan.objects.get(slug="avon-and-somerset-cps-south-west")
    not_applicable = avon.actions.filter(not_applicable=True)
    assert sorted(not_applicable.values_list("reference", flat=True)) == ["3.4", "5.3"]
    assert all(a.not_applicable_reason and a.mirrors_id for a in not_applicable)
    assert avon.actions.filter(mirrors__isnull=True, reference__regex=r"^\d\.L\d+$").exists()
    # The refresh reworded 1.2 and 3.2: Avon and Somerset has yet to answer for 3.2 (its 1.2 is closed, so not
    # marked); the others have answered.
    assert set(
        NationalChange.objects.filter(local_action__plan=avon).values_list("local_action__reference", "answer")
    ) == {("3.2", "pending")}
    manchester = NationalChange.objects.filter(local_action__plan__slug="greater-manchester-cps-north-west")
    assert set(manchester.values_list("answer", flat=True)) == {"accepted"}
    kept = NationalChange.objects.get(local_action__plan__slug__startswith="west-yorkshire", answer="kept")
    assert kept.local_action.reference == "3.2" and kept.reason and kept.answered_by.is_lead
    accepted = Action.objects.get(plan__slug="greater-manchester-cps-north-west", reference="1.2")
    assert accepted.title == national.actions.get(reference="1.2").title


def test_the_public_page_of_the_national_plan_shows_nothing_private(client, national):
    from reviews.models import PublicSummary

    response = client.get(f"/public/{national.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert PublicSummary.objects.filter(action__plan=national).count() == 6
    for summary in PublicSummary.objects.all():
        assert summary.text.replace("'", "&#x27;") in body
    # No one's name, no internal narrative, no delivery confidence, no date of the plan's work.
    for user in User.objects.all():
        assert user.get_full_name() not in body, user.username
    for narrative in StatusUpdate.objects.exclude(narrative="").values_list("narrative", flat=True).distinct():
        assert narrative.replace("'", "&#x27;") not in body, narrative
    for word in ("govuk-tag", ">Red<", ">Amber<", ">Green<", "Delivery confidence", "Target date"):
        assert word not in body
    for year in {str(u.created_at.year) for u in StatusUpdate.objects.all()}:
        assert not re.search(rf"\b\d{{1,2}} \w+ {year}\b", body.split("Progress as at")[1].split("</span>", 1)[1])
    hrefs = re.findall(r'\s(?:href|src|action)="([^"]+)"', body)
    statements = ("/accessibility/", "/privacy/")  # every public page links them
    assert hrefs and all(href.startswith(("#", "/static/")) or href in statements for href in hrefs)
