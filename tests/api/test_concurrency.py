"""No lost update through the API: twenty programs posting from the same version at once, on PostgreSQL, save
exactly one update; the others get 409 (a stale `version`) or 412 (a stale If-Match) and change nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection

from actions.models import Action, StatusUpdate
from api.services import api_token_create

pytestmark = [pytest.mark.postgres]

SUBMISSIONS = 20


@pytest.mark.parametrize("via", ["version", "if-match"])
def test_twenty_simultaneous_api_posts_from_the_same_version_save_exactly_one(
    live_server, transactional_db, police_lead, police_action, via
):
    assert connection.vendor == "postgresql"
    _token, key = api_token_create(user=police_lead, name="Concurrency")
    url = f"{live_server.url}/api/v1/actions/{police_action.pk}/status-updates/"
    headers = {"Authorization": f"Token {key}"}
    read = requests.get(f"{live_server.url}/api/v1/actions/{police_action.pk}/", headers=headers, timeout=10)
    etag = read.headers["ETag"]
    start = threading.Barrier(SUBMISSIONS)

    def submit(n: int) -> requests.Response:
        body = {"status": "in_progress", "rag": "amber", "narrative": f"Update number {n} from the same version."}
        extra = {}
        if via == "version":
            body["version"] = 1
        else:
            extra = {"If-Match": etag}
        start.wait(timeout=30)
        return requests.post(url, json=body, headers={**headers, **extra}, timeout=60)

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        responses = list(pool.map(submit, range(SUBMISSIONS)))

    refused = 409 if via == "version" else 412
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [refused] * (SUBMISSIONS - 1), codes
    winner = next(r for r in responses if r.status_code == 201).json()
    for response in responses:
        if response.status_code == refused:
            body = response.json()
            assert body["current_version"] == 2
            assert [u["narrative"] for u in body["updates_since"]] == [winner["narrative"]]
    assert StatusUpdate.objects.filter(action=police_action).count() == 1
    assert Action.objects.get(pk=police_action.pk).version == 2
