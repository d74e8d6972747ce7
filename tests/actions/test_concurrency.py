"""No lost update: simultaneous submissions from the same version, on PostgreSQL, save exactly one."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.urls import reverse

from actions.models import Action, StatusUpdate
from actions.services import StaleVersion, action_completion_confirm, action_completion_decline, action_update_status

pytestmark = [pytest.mark.postgres]

SUBMISSIONS = 20
STALE_MESSAGE = "Someone else updated this action"


def signed_in_session(base_url: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base_url}{reverse('login')}", timeout=10)
    response = session.post(
        f"{base_url}{reverse('login')}",
        data={
            "username": username,
            "password": "correct-horse-battery",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def test_twenty_simultaneous_form_posts_from_the_same_version_save_exactly_one(
    live_server, transactional_db, police_lead, police_action
):
    assert connection.vendor == "postgresql"
    url = f"{live_server.url}{reverse('actions:update', kwargs={'pk': police_action.pk})}"
    session = signed_in_session(live_server.url, "police.lead")
    form_page = session.get(url, timeout=10)
    assert form_page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text).group(1)
    assert 'name="version" value="1"' in form_page.text
    cookies = session.cookies.get_dict()
    start = threading.Barrier(SUBMISSIONS)

    def submit(n: int) -> requests.Response:
        browser = requests.Session()
        browser.cookies.update(cookies)
        data = {
            "csrfmiddlewaretoken": token,
            "version": "1",
            "status": "in_progress",
            "rag": "amber",
            "narrative": f"Update number {n} from the same version.",
        }
        start.wait(timeout=30)
        return browser.post(url, data=data, timeout=60, allow_redirects=False)

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        responses = list(pool.map(submit, range(SUBMISSIONS)))

    codes = sorted(r.status_code for r in responses)
    assert codes == [302] + [409] * (SUBMISSIONS - 1), codes
    for refused in (r for r in responses if r.status_code == 409):
        assert STALE_MESSAGE in refused.text
        assert 'name="version" value="2"' in refused.text
    saved = StatusUpdate.objects.get(action=police_action)
    winner = next(r for r in responses if r.status_code == 302)
    assert winner.headers["Location"] == police_action.get_absolute_url()
    assert saved.version == 2
    police_action.refresh_from_db()
    assert (police_action.version, police_action.rag) == (2, "amber")


def test_twenty_simultaneous_service_calls_with_the_same_action_in_hand_save_exactly_one(
    transactional_db, police_lead, police_action
):
    # Every thread holds the action as read at version 1, so the conditional UPDATE alone decides.
    start = threading.Barrier(SUBMISSIONS)

    def submit(n: int) -> str:
        action = Action.objects.get(pk=police_action.pk)
        try:
            start.wait(timeout=30)
            action_update_status(
                action=action,
                by=police_lead,
                status="in_progress",
                rag="red",
                narrative=f"Update number {n}.",
                expected_version=1,
            )
            return "saved"
        except StaleVersion as stale:
            assert stale.action.version == 2
            assert len(stale.updates_since) == 1
            return "stale"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        outcomes = list(pool.map(submit, range(SUBMISSIONS)))

    assert sorted(outcomes) == ["saved"] + ["stale"] * (SUBMISSIONS - 1)
    assert StatusUpdate.objects.filter(action=police_action).count() == 1
    police_action.refresh_from_db()
    assert police_action.version == 2


# -- Joint sign-off -----------------------------------------------------------------------------------------------


def propose_completion(action, by) -> None:
    action_update_status(
        action=action,
        by=by,
        status="completed",
        rag="green",
        narrative="Delivered in every force area.",
        expected_version=action.version,
    )


def test_two_confirmations_at_once_complete_the_action_once(
    transactional_db, police_lead, cps_lead, admin_user, joint_action
):
    assert connection.vendor == "postgresql"
    propose_completion(joint_action, police_lead)
    start = threading.Barrier(2)

    def confirm(person) -> str:
        # Each thread holds the proposed action as read at version 2: only the conditional UPDATE decides.
        action = Action.objects.select_related("plan").get(pk=joint_action.pk)
        try:
            start.wait(timeout=30)
            action_completion_confirm(action=action, by=person, reason="Confirmed by the Area.", expected_version=2)
            return "confirmed"
        except StaleVersion as stale:
            assert stale.action.status == "completed"
            return "stale"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(confirm, [cps_lead, admin_user]))

    assert sorted(outcomes) == ["confirmed", "stale"]
    assert StatusUpdate.objects.filter(action=joint_action, kind="completion_confirmed").count() == 1
    joint_action.refresh_from_db()
    assert (joint_action.status, joint_action.version, joint_action.completion_proposed_at) == ("completed", 3, None)
    assert joint_action.completed_on is not None


def test_confirmations_and_declines_racing_leave_exactly_one_decision(
    transactional_db, police_lead, cps_lead, admin_user, joint_action
):
    propose_completion(joint_action, police_lead)
    deciders = [(cps_lead, action_completion_confirm), (admin_user, action_completion_decline)] * 4
    start = threading.Barrier(len(deciders))

    def decide(pair) -> str:
        person, service = pair
        action = Action.objects.select_related("plan").get(pk=joint_action.pk)
        try:
            start.wait(timeout=30)
            service(action=action, by=person, reason="Decided at once.", expected_version=2)
            return "saved"
        except StaleVersion:
            return "stale"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(deciders)) as pool:
        outcomes = list(pool.map(decide, deciders))

    assert sorted(outcomes) == ["saved"] + ["stale"] * (len(deciders) - 1)
    decisions = StatusUpdate.objects.filter(action=joint_action).exclude(kind__in=["update", "completion_proposed"])
    assert decisions.count() == 1
    joint_action.refresh_from_db()
    assert joint_action.version == 3 and joint_action.completion_proposed_at is None
    expected = "completed" if decisions.get().kind == "completion_confirmed" else "in_progress"
    assert joint_action.status == expected
