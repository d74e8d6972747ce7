"""Simulated people for the load benchmark (`make load`; tests/load/run.py starts the server and locust).

Leads sign in, open My actions, open action pages and submit status updates; some submit a second update
from the version they were shown, which must be refused (409) and leave nothing. Board members open the
dashboard with filters, the board pack and the exports. Each simulated person pauses 5 to 15 seconds between
requests. Every update attempt is written to LOAD_ATTEMPTS (one JSON line: token, action, version sent,
status answered) so that run.py can check the database afterwards.

Environment: LOAD_ACCOUNTS (a JSON file: {"leads": [...], "board": [...], "local_plans": [...], "cookies": {username:
{cookie: value}}}),
LOAD_ATTEMPTS (the file of attempts), LOAD_RUN (an id written into each narrative).
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())  # noqa: SIM115 - read once at start
ATTEMPTS_PATH = os.environ["LOAD_ATTEMPTS"]
RUN = os.environ["LOAD_RUN"]
ATTEMPTS = open(ATTEMPTS_PATH, "a", buffering=1)  # noqa: SIM115 - one line per attempt, closed at exit

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ACTION_LINK = re.compile(r'href="/actions/(\d+)/"')
CHECKED_STATUS = re.compile(
    r'<input[^>]*name="status"[^>]*value="([a-z_]+)"[^>]*checked|'
    r'<input[^>]*value="([a-z_]+)"[^>]*name="status"[^>]*checked'
)
CYCLE_OPTION = re.compile(r'<option value="(\d+)"')
DASHBOARD_FILTERS = [
    "",
    "?theme=1",
    "?theme=2&rag=red&rag=amber",
    "?overdue=yes",
    "?side=police",
    "?side=joint&status=in_progress",
    "?plan={local}",
    "?plan={local}&rag=red",
]


@events.quitting.add_listener
def _close(environment, **kwargs):
    ATTEMPTS.close()


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(5, 15)
    usernames: list[str] = []

    def on_start(self) -> None:
        # Signed in already: run.py signed each account in through the sign-in form before the run (a password
        # hash is deliberately slow; people sign in once a day, not once a page), and hands over its cookies.
        self.username = random.choice(self.usernames)
        self.client.cookies.update(ACCOUNTS["cookies"][self.username])


class Lead(SignedIn):
    weight = 3
    usernames = ACCOUNTS["leads"]

    def on_start(self) -> None:
        super().on_start()
        self.actions: list[str] = []
        self.my_actions()

    @task(3)
    def my_actions(self) -> None:
        response = self.client.get("/actions/mine/", name="My actions")
        found = ACTION_LINK.findall(response.text)
        if found:
            self.actions = sorted(set(found))

    @task(3)
    def action_page(self) -> None:
        if self.actions:
            self.client.get(f"/actions/{random.choice(self.actions)}/", name="Action page")

    @task(2)
    def update(self) -> None:
        self.submit_update(stale_second=False)

    @task(1)
    def update_then_stale(self) -> None:
        self.submit_update(stale_second=True)

    def submit_update(self, *, stale_second: bool) -> None:
        if not self.actions:
            return
        action = random.choice(self.actions)
        url = f"/actions/{action}/update/"
        with self.client.get(url, name="Update form", catch_response=True) as form:
            if form.status_code == 403:  # completed or closed since My actions was read: nothing to update
                form.success()
                return
        csrf, version = CSRF.search(form.text), VERSION.search(form.text)
        checked = CHECKED_STATUS.search(form.text)
        if not (csrf and version and checked):
            return
        status = checked.group(1) or checked.group(2)
        if status.startswith("closed"):
            return
        self.post_update(url, action, csrf.group(1), version.group(1), status, name="Update (POST)")
        if stale_second:
            # The same page submitted again: its version is now out of date, so this must be refused.
            self.post_update(url, action, csrf.group(1), version.group(1), status, name="Update from a stale page")

    def post_update(self, url: str, action: str, csrf: str, version: str, status: str, *, name: str) -> None:
        token = uuid.uuid4().hex
        data = {
            "csrfmiddlewaretoken": csrf,
            "version": version,
            "status": status,
            "rag": random.choice(["green", "amber"]),
            "narrative": f"Progress reported under load run {RUN}, reference {token}.",
            "evidence_url": "",
            "revised_target_date_0": "",
            "revised_target_date_1": "",
            "revised_target_date_2": "",
            "revision_reason": "",
        }
        # Written before the request goes: a run that stops mid-request leaves an attempt with no answer.
        ATTEMPTS.write(json.dumps({"token": token, "action": int(action), "outcome": "sent"}) + "\n")
        with self.client.post(
            url, data, name=name, allow_redirects=False, catch_response=True, headers={"Referer": f"{self.host}{url}"}
        ) as response:
            code = response.status_code
            if code == 302:
                outcome = "accepted"
                response.success()
            elif code == 409:
                outcome = "refused"  # someone else's update came first: expected, and must leave nothing
                response.success()
            else:
                outcome = "error"
                response.failure(f"update answered {code}")
        ATTEMPTS.write(
            json.dumps(
                {"token": token, "action": int(action), "version": int(version), "code": code, "outcome": outcome}
            )
            + "\n"
        )


class BoardMember(SignedIn):
    weight = 1
    usernames = ACCOUNTS["board"]

    def on_start(self) -> None:
        super().on_start()
        self.cycles: list[str] = []

    @task(4)
    def dashboard(self) -> None:
        query = random.choice(DASHBOARD_FILTERS).format(local=random.choice(ACCOUNTS["local_plans"]))
        self.client.get(f"/reviews/dashboard/{query}", name="Dashboard")

    @task(2)
    def board_pack(self) -> None:
        if self.cycles and random.random() < 0.7:
            response = self.client.get(f"/reviews/board-pack/?cycle={random.choice(self.cycles)}", name="Board pack")
        else:
            response = self.client.get("/reviews/board-pack/", name="Board pack")
        self.cycles = CYCLE_OPTION.findall(response.text) or self.cycles

    @task(1)
    def export_csv(self) -> None:
        self.client.get(f"/reviews/dashboard/actions.csv?theme={random.randint(1, 5)}", name="Export CSV")

    @task(1)
    def export_xlsx(self) -> None:
        self.client.get("/reviews/dashboard/actions.xlsx?rag=red", name="Export XLSX")
