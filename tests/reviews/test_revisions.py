"""Plan revisions: starting a draft, deciding each action's fate, publishing in one transaction, and every refusal
changing nothing and saying why."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from actionplan.models import User
from actions.models import Action, ClosureReason, Side, Status, StatusUpdate
from reviews.models import Revision, RevisionDecision
from reviews.revision_rules import Proposal, revision_problems
from reviews.revision_selectors import edition_content, plan_content
from reviews.revisions import (
    revision_add_action,
    revision_decide,
    revision_publish,
    revision_remove_decision,
    revision_start,
)
from tests.factories import ActionFactory, PlanFactory, ReviewCycleFactory, StatusUpdateFactory, ThemeFactory

pytestmark = pytest.mark.django_db
Fate = RevisionDecision.Fate


@pytest.fixture(autouse=True)
def in_spring_2022():
    """The revisions are made in spring 2022, as the plan's dates say: a revised target date is today or later."""
    with time_machine.travel(date(2022, 4, 20)):
        yield


@pytest.fixture
def plan_actions(national_plan, police_action, joint_action, police_lead, cps_lead):
    """1.1 (police) and 2.1 (joint), 2.2 and 2.3 open, 2.4 completed, 2.5 closed as superseded by 2.2."""
    theme2 = national_plan.themes.get(number=2)
    a22 = ActionFactory(theme=theme2, reference="2.2", title="Agree file quality standards", side=Side.JOINT)
    a23 = ActionFactory(theme=theme2, reference="2.3", title="Hold case progression meetings", side=Side.CPS)
    a24 = ActionFactory(
        theme=theme2, reference="2.4", title="Second review", status=Status.COMPLETED, completed_on=date(2022, 1, 5)
    )
    a25 = ActionFactory(
        theme=theme2,
        reference="2.5",
        title="Old approach",
        status=Status.CLOSED,
        closure_reason=ClosureReason.SUPERSEDED,
        superseded_by=a22,
    )
    return {a.reference: a for a in (police_action, joint_action, a22, a23, a24, a25)}


@pytest.fixture
def draft(national_plan, admin_user, plan_actions):
    return revision_start(
        plan=national_plan,
        by=admin_user,
        name="2022 refresh",
        effective_on=date(2022, 5, 1),
        rationale="The joint inspection and the end-to-end review reported.",
    )


def proposal_from(action: Action, **changes) -> Proposal:
    values = {
        "theme": action.theme,
        "title": action.title,
        "description": action.description,
        "side": action.side,
        "police_lead": action.police_lead,
        "cps_lead": action.cps_lead,
        "start_date": action.start_date,
        "target_date": action.current_target_date,
    }
    values.update(changes)
    return Proposal(**values)


def new_action(theme, **changes) -> Proposal:
    values = {
        "theme": theme,
        "police_lead": User.objects.get(username="police.lead"),
        "title": "Adopt the national operating model for rape investigation",
        "description": "Operation Soteria's model in every force.",
        "side": Side.POLICE,
        "start_date": date(2022, 5, 1),
        "target_date": date(2023, 3, 31),
    }
    values.update(changes)
    return Proposal(**values)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# -- Starting -----------------------------------------------------------------------------------------------------


def test_admin_starts_a_draft_that_changes_nothing_yet(draft, national_plan):
    assert draft.status == Revision.Status.DRAFT
    assert draft.replaced_edition == national_plan.revision
    national_plan.refresh_from_db()
    assert national_plan.revision == ""
    assert draft.history.count() == 1


@pytest.mark.parametrize("who", ["board_member", "police_lead", "outsider"])
def test_only_an_admin_starts_a_revision(request, national_plan, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="Only an admin may revise a plan"):
        revision_start(plan=national_plan, by=person, name="X", effective_on=date(2022, 5, 1), rationale="Why")
    assert not Revision.objects.exists()


def test_a_draft_plan_is_not_revised(admin_user):
    plan = PlanFactory(status="draft")
    with pytest.raises(PermissionDenied, match="only a published plan is revised"):
        revision_start(plan=plan, by=admin_user, name="X", effective_on=date(2022, 5, 1), rationale="Why")


def test_a_second_draft_and_a_name_used_before_are_refused(draft, national_plan, admin_user):
    with pytest.raises(ValidationError) as caught:
        revision_start(
            plan=national_plan, by=admin_user, name="2022 REFRESH", effective_on=date(2022, 6, 1), rationale="Again"
        )
    text = messages_of(caught.value)
    assert "already has a revision called “2022 REFRESH”" in text
    assert "already has a draft revision, “2022 refresh”" in text
    assert Revision.objects.count() == 1


def test_starting_without_name_date_or_rationale_names_each(national_plan, admin_user):
    with pytest.raises(ValidationError) as caught:
        revision_start(plan=national_plan, by=admin_user, name=" ", effective_on=None, rationale="<b>x</b>")
    errors = caught.value.message_dict
    assert errors["name"] == ["Enter the name of the revision"]
    assert errors["effective_on"] == ["Enter the date the revision takes effect"]
    assert errors["rationale"] == ["The rationale must not contain HTML or other markup: remove the < > tags"]


# -- Deciding: refusals -------------------------------------------------------------------------------------------


def test_merging_an_action_into_itself_is_refused(draft, admin_user, plan_actions):
    a23 = plan_actions["2.3"]
    with pytest.raises(ValidationError) as caught:
        revision_decide(revision=draft, action=a23, by=admin_user, fate=Fate.MERGED, into_action=a23, reason="Same")
    assert caught.value.message_dict["into_action"] == ["An action cannot be merged into itself"]
    assert not draft.decisions.exists()


def test_merging_into_an_action_of_another_plan_is_refused(draft, admin_user, plan_actions):
    elsewhere = ActionFactory(reference="9.1", theme=ThemeFactory(plan=PlanFactory()))
    with pytest.raises(ValidationError) as caught:
        revision_decide(
            revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.MERGED, into_action=elsewhere,
            reason="Overlap",
        )  # fmt: skip
    assert caught.value.message_dict["into_action"] == [
        "Action 9.1 belongs to another plan: an action can only be merged into an action of the same plan"
    ]
    assert not draft.decisions.exists()


def test_superseding_by_an_action_that_is_itself_superseded_is_refused(draft, admin_user, plan_actions):
    with pytest.raises(ValidationError) as caught:
        revision_decide(
            revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.SUPERSEDED,
            into_action=plan_actions["2.5"], reason="Replaced",
        )  # fmt: skip
    assert caught.value.message_dict["into_action"] == [
        "Action 2.5 is itself superseded: choose an action that carries on"
    ]


def test_superseding_by_an_action_superseded_in_the_same_revision_is_refused(draft, admin_user, plan_actions):
    revision_decide(
        revision=draft, action=plan_actions["2.2"], by=admin_user, fate=Fate.SUPERSEDED,
        into_action=plan_actions["2.1"], reason="Folded into 2.1",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        revision_decide(
            revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.SUPERSEDED,
            into_action=plan_actions["2.2"], reason="Replaced",
        )  # fmt: skip
    assert caught.value.message_dict["into_action"] == [
        "Action 2.2 is itself superseded in this revision: choose an action that carries on"
    ]
    assert draft.decisions.count() == 1


def test_closing_decisions_need_a_reason(draft, admin_user, plan_actions):
    with pytest.raises(ValidationError) as caught:
        revision_decide(revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.WITHDRAWN, reason=" ")
    assert caught.value.message_dict["reason"] == ["Give the reason for withdrawing the action"]


def test_a_completed_or_closed_action_has_no_fate_to_decide(draft, admin_user, plan_actions):
    for reference, status in (("2.4", "completed"), ("2.5", "closed")):
        with pytest.raises(ValidationError) as caught:
            revision_decide(
                revision=draft, action=plan_actions[reference], by=admin_user, fate=Fate.WITHDRAWN, reason="Done"
            )
        assert f"Action {reference} is {status}: only an open action’s fate is decided" in messages_of(caught.value)
    assert not draft.decisions.exists()


def test_a_change_that_changes_nothing_is_refused(draft, admin_user, plan_actions):
    a23 = plan_actions["2.3"]
    with pytest.raises(ValidationError, match="Nothing is changed"):
        revision_decide(revision=draft, action=a23, by=admin_user, fate=Fate.CHANGED, proposal=proposal_from(a23))


def test_a_change_must_keep_leads_on_their_side(draft, admin_user, plan_actions, cps_lead):
    a11 = plan_actions["1.1"]
    with pytest.raises(ValidationError) as caught:
        revision_decide(
            revision=draft, action=a11, by=admin_user, fate=Fate.CHANGED,
            proposal=proposal_from(a11, side=Side.JOINT, police_lead=cps_lead),
        )  # fmt: skip
    assert caught.value.message_dict["police_lead"] == [
        "The police lead must belong to a police organisation: Carl Crown belongs to CPS South West"
    ]


def test_a_changed_target_date_is_today_or_later(draft, admin_user, plan_actions):
    # A later target date becomes a revised target date through a status update, which is never in the past.
    a11 = plan_actions["1.1"]
    with pytest.raises(ValidationError) as caught:
        revision_decide(
            revision=draft, action=a11, by=admin_user, fate=Fate.CHANGED, reason="Slipped",
            proposal=proposal_from(a11, target_date=date(2022, 4, 19)),
        )  # fmt: skip
    assert caught.value.message_dict["target_date"] == [
        "A revised target date must be today or later; to record that an action was delivered, mark it completed"
    ]
    assert not draft.decisions.exists()


def test_a_new_action_needs_someone_accountable_for_it(draft, admin_user, national_plan):
    # As the admin asks: a named lead (whose organisation becomes a lead organisation), or nobody sees it.
    with pytest.raises(ValidationError) as caught:
        revision_add_action(
            revision=draft, by=admin_user, proposal=new_action(national_plan.themes.get(number=2), police_lead=None)
        )
    assert caught.value.message_dict["__all__"] == [
        "Name a police lead, or choose a police organisation as a lead organisation, so that someone sees this "
        "action in My actions and can update it"
    ]
    assert not draft.decisions.exists()


def test_a_new_action_with_a_reference_in_use_is_refused(draft, admin_user, national_plan):
    theme2 = national_plan.themes.get(number=2)
    with pytest.raises(ValidationError) as caught:
        revision_add_action(revision=draft, by=admin_user, proposal=new_action(theme2, reference="2.3"))
    assert caught.value.message_dict["reference"][0].startswith("Reference 2.3 is already used by action 2.3")
    revision_add_action(revision=draft, by=admin_user, proposal=new_action(theme2, reference="2.9"))
    with pytest.raises(ValidationError) as caught:
        revision_add_action(revision=draft, by=admin_user, proposal=new_action(theme2, reference="2.9", title="Other"))
    assert caught.value.message_dict["reference"] == [
        "Reference 2.9 is already given to another new action in this revision"
    ]
    assert draft.decisions.count() == 1


def test_a_new_action_without_its_facts_names_each(draft, admin_user):
    with pytest.raises(ValidationError) as caught:
        revision_add_action(
            revision=draft, by=admin_user, proposal=Proposal(title="", side="", start_date=None, target_date=None)
        )
    errors = caught.value.message_dict
    assert errors["title"] == ["Enter the title"]
    assert errors["theme"] == ["Choose the theme"]
    assert errors["side"] == ["Choose the side that owns the action"]
    assert errors["start_date"] == ["Enter the start date"]
    assert errors["target_date"] == ["Enter the target date"]


def test_nobody_but_an_admin_decides(draft, board_member, police_lead, plan_actions):
    for person in (board_member, police_lead):
        with pytest.raises(PermissionDenied):
            revision_decide(revision=draft, action=plan_actions["2.3"], by=person, fate=Fate.WITHDRAWN, reason="x")
    assert not draft.decisions.exists()


def test_carried_forward_undoes_a_decision(draft, admin_user, plan_actions):
    revision_decide(revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.WITHDRAWN, reason="Done")
    assert revision_decide(revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.CARRIED) is None
    assert not draft.decisions.exists()


def test_a_new_action_that_supersedes_another_cannot_be_removed_first(draft, admin_user, plan_actions, national_plan):
    added = revision_add_action(revision=draft, by=admin_user, proposal=new_action(national_plan.themes.get(number=2)))
    revision_decide(
        revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.SUPERSEDED, successor=added,
        reason="The operating model replaces it",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="This new action supersedes action 2.3: change that decision first"):
        revision_remove_decision(revision=draft, decision=added, by=admin_user)
    assert draft.decisions.count() == 2


# -- Publishing ---------------------------------------------------------------------------------------------------


def test_publishing_an_empty_revision_is_refused(draft, admin_user, national_plan):
    with pytest.raises(ValidationError, match="This revision decides nothing yet"):
        revision_publish(revision=draft, by=admin_user)
    draft.refresh_from_db()
    assert draft.is_draft


def decide_everything(draft, admin_user, plan_actions, national_plan):
    theme2 = national_plan.themes.get(number=2)
    added = revision_add_action(revision=draft, by=admin_user, proposal=new_action(theme2), reason="Soteria reported")
    a11 = plan_actions["1.1"]
    revision_decide(
        revision=draft, action=a11, by=admin_user, fate=Fate.CHANGED, reason="Wording agreed with the NPCC",
        proposal=proposal_from(a11, title="Police-only action, refreshed", target_date=date(2023, 6, 30)),
    )  # fmt: skip
    revision_decide(
        revision=draft, action=plan_actions["2.2"], by=admin_user, fate=Fate.MERGED,
        into_action=plan_actions["2.1"], reason="One joint standard",
    )  # fmt: skip
    revision_decide(
        revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.SUPERSEDED, successor=added,
        reason="The operating model replaces the meetings",
    )  # fmt: skip
    return added


def test_publishing_applies_every_decision_and_keeps_the_history(
    draft, admin_user, plan_actions, national_plan, police_lead
):
    cycle = ReviewCycleFactory(plan=national_plan, name="Q4 2021-22")
    StatusUpdateFactory(action=plan_actions["2.3"], author=police_lead, review_cycle=cycle, version=2)
    Action.objects.filter(pk=plan_actions["2.3"].pk).update(version=2)
    updates_before = set(StatusUpdate.objects.values_list("pk", flat=True))
    decide_everything(draft, admin_user, plan_actions, national_plan)
    other = ActionFactory(theme=national_plan.themes.get(number=3), reference="3.1", title="Stays as it is")

    revision_publish(revision=draft, by=admin_user)

    draft.refresh_from_db()
    assert draft.status == Revision.Status.PUBLISHED and draft.published_by == admin_user
    national_plan.refresh_from_db()
    assert national_plan.revision == "2022 refresh"
    actions = {a.reference: a for a in national_plan.actions.all()}
    # Nothing deleted; every earlier status update kept, with its review cycle.
    assert set(actions) == {"1.1", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1"}
    assert updates_before <= set(StatusUpdate.objects.values_list("pk", flat=True))
    assert StatusUpdate.objects.get(action=plan_actions["2.3"], version=2).review_cycle == cycle
    # Added: the next free reference in its theme.
    new = actions["2.6"]
    assert (new.title, new.status, new.plan_id) == (
        "Adopt the national operating model for rape investigation",
        Status.NOT_STARTED,
        national_plan.pk,
    )
    # Changed: new wording with the revision in its history; a later date recorded as a revised target date.
    changed = actions["1.1"]
    assert changed.title == "Police-only action, refreshed"
    assert changed.target_date == date(2022, 3, 31) and changed.revised_target_date == date(2023, 6, 30)
    record = changed.history.filter(title="Police-only action, refreshed").earliest("history_date")
    assert record.history_change_reason == "Changed by the revision “2022 refresh” Wording agreed with the NPCC"
    assert record.history_user == admin_user
    # Merged and superseded: closed as superseded, pointing at their successor, with a status update saying why.
    merged, superseded = actions["2.2"], actions["2.3"]
    assert (merged.status, merged.closure_reason, merged.superseded_by_id) == (
        "closed",
        "superseded",
        actions["2.1"].pk,
    )
    assert (superseded.status, superseded.closure_reason, superseded.superseded_by_id) == (
        "closed",
        "superseded",
        new.pk,
    )
    assert superseded.updates.latest().narrative == (
        "Superseded by action 2.6 by the revision “2022 refresh”. The operating model replaces the meetings"
    )
    assert superseded.updates.latest().author == admin_user
    # Carried forward: every other open action, recorded as such.
    fates = dict(draft.decisions.values_list("action__reference", "fate"))
    assert fates == {
        "2.6": "added", "1.1": "changed", "2.2": "merged", "2.3": "superseded", "2.1": "carried", "3.1": "carried",
    }  # fmt: skip
    assert other.pk == actions["3.1"].pk
    # Before and after kept with each decision.
    change = draft.decisions.get(fate=Fate.CHANGED)
    assert change.before["title"] == "Police-only action" and change.after["title"] == "Police-only action, refreshed"


def test_publishing_twice_is_refused(draft, admin_user, plan_actions, national_plan):
    revision_decide(revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.WITHDRAWN, reason="Done")
    revision_publish(revision=draft, by=admin_user)
    with pytest.raises(ValidationError, match="was published on .*: a published revision cannot be changed"):
        revision_publish(revision=draft, by=admin_user)
    with pytest.raises(ValidationError, match="a published revision cannot be changed"):
        revision_decide(revision=draft, action=plan_actions["2.2"], by=admin_user, fate=Fate.WITHDRAWN, reason="x")


def test_a_decision_that_no_longer_holds_stops_publishing_and_nothing_changes(
    draft, admin_user, plan_actions, national_plan
):
    decide_everything(draft, admin_user, plan_actions, national_plan)
    # Meanwhile 2.1, which 2.2 is merged into, is closed.
    Action.objects.filter(pk=plan_actions["2.1"].pk).update(status=Status.CLOSED, closure_reason="withdrawn")
    before = plan_content(national_plan)
    updates = StatusUpdate.objects.count()
    with pytest.raises(ValidationError) as caught:
        revision_publish(revision=draft, by=admin_user)
    assert "Action 2.2: Action 2.1 is itself withdrawn: choose an action that carries on" in caught.value.messages
    assert plan_content(national_plan) == before
    assert StatusUpdate.objects.count() == updates
    assert national_plan.actions.count() == 6
    draft.refresh_from_db()
    assert draft.is_draft


def test_problems_are_listed_before_publishing(draft, admin_user, plan_actions):
    revision_decide(revision=draft, action=plan_actions["2.3"], by=admin_user, fate=Fate.WITHDRAWN, reason="Done")
    assert revision_problems(revision=draft) == []
    Action.objects.filter(pk=plan_actions["2.3"].pk).update(status=Status.COMPLETED, completed_on=date(2022, 4, 1))
    assert revision_problems(revision=draft) == [
        "Action 2.3: Action 2.3 is completed: only an open action’s fate is decided in a revision"
    ]


# -- The plan as it stood -----------------------------------------------------------------------------------------


def titles(content: dict) -> dict[str, str]:
    return {a["reference"]: a["title"] for theme in content["themes"] for a in theme["actions"]}


def test_the_plan_as_it_stood_at_each_revision(draft, admin_user, plan_actions, national_plan):
    a11 = plan_actions["1.1"]
    revision_decide(
        revision=draft,
        action=a11,
        by=admin_user,
        fate=Fate.CHANGED,
        proposal=proposal_from(a11, title="Second wording"),
    )
    first = revision_publish(revision=draft, by=admin_user)
    second = revision_start(
        plan=national_plan, by=admin_user, name="2023 update", effective_on=date(2023, 4, 1), rationale="Phase 2"
    )
    a11.refresh_from_db()
    revision_decide(
        revision=second,
        action=a11,
        by=admin_user,
        fate=Fate.CHANGED,
        proposal=proposal_from(a11, title="Third wording"),
    )
    revision_add_action(revision=second, by=admin_user, proposal=new_action(national_plan.themes.get(number=1)))
    second = revision_publish(revision=second, by=admin_user)

    assert titles(edition_content(revision=first, which="before"))["1.1"] == "Police-only action"
    assert titles(edition_content(revision=first, which="after"))["1.1"] == "Second wording"
    assert titles(edition_content(revision=second, which="before"))["1.1"] == "Second wording"
    after_second = titles(edition_content(revision=second, which="after"))
    assert after_second["1.1"] == "Third wording"
    assert after_second["1.2"] == "Adopt the national operating model for rape investigation"
    assert "1.2" not in titles(edition_content(revision=first, which="after"))
    assert first.content_after["edition"] == "2022 refresh" and second.content_before["edition"] == "2022 refresh"


def test_an_action_others_are_merged_into_cannot_itself_be_closed(draft, admin_user, plan_actions):
    revision_decide(
        revision=draft, action=plan_actions["2.2"], by=admin_user, fate=Fate.MERGED,
        into_action=plan_actions["2.1"], reason="One joint standard",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        revision_decide(revision=draft, action=plan_actions["2.1"], by=admin_user, fate=Fate.WITHDRAWN, reason="No")
    assert caught.value.message_dict["fate"] == [
        "Action 2.2 is merged into or superseded by this action in this revision: change that decision first"
    ]


# -- Local plans follow the national plan -------------------------------------------------------------------------


@pytest.fixture
def local_plan(national_plan, plan_actions, police_force, cps_area, police_lead, cps_lead):
    from tests.factories import LocalPlanFactory

    local = LocalPlanFactory(mirrors=national_plan, police_force=police_force, cps_area=cps_area, slug="avon")
    theme = ThemeFactory(plan=local, number=2, title="Casework quality", mirrors=national_plan.themes.get(number=2))
    ActionFactory(theme=theme, reference="2.1", mirrors=plan_actions["2.1"], police_lead=police_lead, cps_lead=cps_lead)
    return local


def test_a_new_national_action_is_copied_into_each_local_plan(
    draft, admin_user, national_plan, local_plan, police_lead
):
    revision_add_action(revision=draft, by=admin_user, proposal=new_action(national_plan.themes.get(number=2)))
    revision_publish(revision=draft, by=admin_user)
    national = national_plan.actions.get(reference="2.6")
    copy = local_plan.actions.get(mirrors=national)
    assert (copy.reference, copy.title, copy.status) == ("2.6", national.title, Status.NOT_STARTED)
    assert copy.theme.mirrors_id == national.theme_id
    assert copy.police_lead == police_lead and copy.cps_lead is None  # the local plan's police lead; a police action
    assert copy.target_date == national.target_date
    assert list(copy.lead_organisations.all()) == [local_plan.police_force]


def test_a_new_national_reference_used_by_a_local_action_stops_publishing(draft, admin_user, national_plan, local_plan):
    ActionFactory(theme=local_plan.themes.get(number=2), reference="2.6", title="Local review panel")
    revision_add_action(revision=draft, by=admin_user, proposal=new_action(national_plan.themes.get(number=2)))
    with pytest.raises(ValidationError) as caught:
        revision_publish(revision=draft, by=admin_user)
    assert caught.value.messages == [
        "Reference 2.6 is already used by local action “Local review panel” in "
        f"{local_plan.title}: give the new national action another reference"
    ]
    assert not national_plan.actions.filter(reference="2.6").exists()


def test_a_long_reason_is_kept_whole_in_the_decision_and_shortened_in_the_history(
    draft, admin_user, plan_actions, national_plan
):
    reason = "Agreed at the board after a long discussion. " * 20
    a11 = plan_actions["1.1"]
    revision_decide(
        revision=draft, action=a11, by=admin_user, fate=Fate.CHANGED, reason=reason,
        proposal=proposal_from(a11, title="Reworded"),
    )  # fmt: skip
    revision_add_action(
        revision=draft, by=admin_user, reason=reason, proposal=new_action(national_plan.themes.get(number=2))
    )
    revision_publish(revision=draft, by=admin_user)
    assert draft.decisions.get(fate=Fate.CHANGED).reason == reason.strip()
    for action in national_plan.actions.filter(reference__in=["1.1", "2.6"]):
        latest = action.history.latest("history_date").history_change_reason
        assert len(latest) == 100 and latest.endswith("…"), latest
