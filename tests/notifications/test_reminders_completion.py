"""The lead who confirms a joint action's proposed completion is reminded in their digest, once per proposal."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from actionplan.models import User
from actions.models import Action
from actions.services import action_completion_confirm, action_completion_decline, action_update_status
from notifications.digests import digest_subject
from notifications.models import Reminder
from notifications.owed import reminders_due
from notifications.services import reminder_digest_deliver, reminders_claim, reminders_record, reminders_send
from tests.factories import ReviewCycleFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = Reminder.Kind
LONDON = ZoneInfo("Europe/London")
PROPOSED_AT = datetime(2022, 3, 1, 10, 0, tzinfo=LONDON)
SWEEP_DAY = date(2022, 3, 2)


def propose(action, by, when=PROPOSED_AT):
    with time_machine.travel(when, tick=False):
        action_update_status(
            action=Action.objects.get(pk=action.pk),
            by=by,
            status="completed",
            rag="green",
            narrative="Delivered in every force area.",
            expected_version=Action.objects.get(pk=action.pk).version,
        )
    return Action.objects.get(pk=action.pk)


def completion_link(action) -> str:
    return f"http://testserver{reverse('actions:completion', kwargs={'pk': action.pk})}"


def test_subject_counts_completions_to_confirm():
    assert digest_subject([Kind.COMPLETION_PROPOSED]) == "1 completion to confirm"
    assert digest_subject([Kind.OVERDUE, Kind.COMPLETION_PROPOSED, Kind.COMPLETION_PROPOSED]) == (
        "1 action overdue, 2 completions to confirm"
    )


def test_the_confirming_lead_gets_it_in_their_digest_and_the_proposer_does_not(joint_action, police_lead, cps_lead):
    action = propose(joint_action, police_lead)
    reminders_send(as_of=SWEEP_DAY)

    assert [m.to for m in mail.outbox] == [[cps_lead.email]]
    (message,) = mail.outbox
    assert message.subject == "1 completion to confirm: RASSO joint action plan"
    text = message.body
    assert "COMPLETIONS FOR YOU TO CONFIRM OR DECLINE" in text
    assert "- 2.1 Joint action" in text
    assert "Completion proposed by Paula Police (police) on 1 March 2022: awaiting the CPS lead." in text
    assert "Plan: Joint national action plan." in text
    assert f"Confirm or decline the completion: {completion_link(action)}" in text
    html = message.alternatives[0][0]
    assert "<h2>Completions for you to confirm or decline</h2>" in html
    assert f'<a href="{completion_link(action)}">Confirm or decline the completion</a>' in html
    reminder = Reminder.objects.get()
    assert (reminder.recipient, reminder.kind, reminder.action_id) == (cps_lead, Kind.COMPLETION_PROPOSED, action.pk)
    assert reminder.state == Reminder.State.SENT


def test_it_comes_first_with_other_reminders_after_the_overdue_ones(joint_action, police_lead, cps_lead, cps_area):
    Action.objects.filter(pk=joint_action.pk).update(target_date=date(2022, 2, 20))
    propose(joint_action, police_lead)
    reminders_send(as_of=SWEEP_DAY)
    (message,) = [m for m in mail.outbox if m.to == [cps_lead.email]]
    assert message.subject.startswith("1 action overdue, 1 completion to confirm:")
    assert message.body.index("YOUR ACTIONS THAT ARE OVERDUE") < message.body.index("COMPLETIONS FOR YOU TO CONFIRM")


def test_exactly_once_per_proposal_however_often_the_sweep_runs(joint_action, police_lead, cps_lead):
    propose(joint_action, police_lead)
    reminders_send(as_of=SWEEP_DAY)
    reminders_send(as_of=SWEEP_DAY)
    reminders_send(as_of=date(2022, 3, 3))
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1


def test_a_new_proposal_after_a_decline_is_reminded_again(joint_action, police_lead, cps_lead):
    action = propose(joint_action, police_lead)
    reminders_send(as_of=SWEEP_DAY)
    with time_machine.travel(datetime(2022, 3, 3, 9, 0, tzinfo=LONDON), tick=False):
        action_completion_decline(action=action, by=cps_lead, reason="Not in every Area yet.", expected_version=2)
    reminders_send(as_of=date(2022, 3, 4))
    assert len(mail.outbox) == 1  # declined: nothing to confirm
    propose(joint_action, police_lead, when=datetime(2022, 3, 7, 11, 0, tzinfo=LONDON))
    reminders_send(as_of=date(2022, 3, 8))
    assert len(mail.outbox) == 2
    assert "on 7 March 2022: awaiting the CPS lead." in mail.outbox[1].body
    assert Reminder.objects.filter(kind=Kind.COMPLETION_PROPOSED).values("occasion").distinct().count() == 2


def test_a_completion_confirmed_before_the_sweep_is_not_reminded(joint_action, police_lead, cps_lead):
    action = propose(joint_action, police_lead)
    action_completion_confirm(action=action, by=cps_lead, expected_version=2)
    reminders_send(as_of=SWEEP_DAY)
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_without_a_named_lead_the_sides_accountable_leads_are_reminded(
    joint_action, police_lead, cps_lead, cps_area, police_force
):
    # Carl Crown, no longer named, is still a lead in the action's CPS organisation, as is his deputy.
    Action.objects.filter(pk=joint_action.pk).update(cps_lead=None)
    deputy = UserFactory(username="cps.deputy", organisation=cps_area, role=User.Role.LEAD)
    UserFactory(username="cps.no.email", organisation=cps_area, role=User.Role.LEAD, email="")
    UserFactory(username="cps.board", organisation=cps_area, role=User.Role.BOARD)
    UserFactory(username="police.deputy", organisation=police_force, role=User.Role.LEAD)
    propose(joint_action, police_lead)

    due = [d for d in reminders_due(as_of=SWEEP_DAY) if d.kind == Kind.COMPLETION_PROPOSED]
    assert sorted(d.recipient.username for d in due) == sorted([cps_lead.username, deputy.username])


def test_an_unreachable_named_lead_is_replaced_by_the_sides_leads(joint_action, police_lead, cps_lead, cps_area):
    User.objects.filter(pk=cps_lead.pk).update(is_active=False)
    deputy = UserFactory(username="cps.deputy", organisation=cps_area, role=User.Role.LEAD)
    propose(joint_action, police_lead)
    due = [d for d in reminders_due(as_of=SWEEP_DAY) if d.kind == Kind.COMPLETION_PROPOSED]
    assert [d.recipient for d in due] == [deputy]


def test_a_proposal_decided_between_recording_and_sending_says_nothing_is_needed(joint_action, police_lead, cps_lead):
    action = propose(joint_action, police_lead)
    reminders_record(dues=reminders_due(as_of=SWEEP_DAY), as_of=SWEEP_DAY)
    action_completion_confirm(action=action, by=cps_lead, expected_version=2)

    (claim,) = reminders_claim()
    reminder_digest_deliver(claim=claim[1])
    (message,) = mail.outbox
    assert "This proposed completion has since been confirmed or declined: nothing more is needed." in message.body
    assert completion_link(action) not in message.body


def test_the_notifications_page_names_the_kind(client, joint_action, police_lead, cps_lead):
    propose(joint_action, police_lead)
    reminders_send(as_of=SWEEP_DAY)
    client.force_login(cps_lead)
    body = client.get(reverse("notifications:list")).content.decode()
    assert "Completion to confirm" in body
    assert "2.1 Joint action" in body


def test_a_completion_reminder_names_an_action_and_no_cycle(joint_action, cps_lead):
    cycle = ReviewCycleFactory(plan=joint_action.plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            recipient=cps_lead, kind=Kind.COMPLETION_PROPOSED, review_cycle=cycle, occasion="x", due_on=SWEEP_DAY
        )
