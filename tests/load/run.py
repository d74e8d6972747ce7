"""Load benchmark (a script that prints figures, not a test): `make load`, or

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rasso_load REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python tests/load/run.py --minutes 5 --users 200

On a PostgreSQL database of its own (created if missing, migrated, `seed_demo --scale 43` unless it is there
already) it starts gunicorn with 4 workers on 127.0.0.1, sessions and cache in Redis, then locust headless
with the simulated leads and board members of tests/load/locustfile.py, each pausing 5 to 15 seconds between
requests. It prints requests per second, p50/p95/p99 per page, the errors, and then checks in the database
that every accepted update is there exactly once and every refused one left nothing. Everything listens on
loopback only and stops by itself.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PAGE_TARGET_MS = 300
UPDATE_TARGET_MS = 500
UPDATES = ("Update (POST)", "Update from a stale page")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"gunicorn did not answer at {url}")


def accounts(env: dict[str, str], password: str) -> dict:
    code = (
        "import json, django; django.setup()\n"
        "from actionplan.models import User\n"
        "from themes.models import Plan\n"
        "leads = list(User.objects.filter(role='lead', is_active=True).exclude(police_led_actions=None, "
        "cps_led_actions=None).values_list('username', flat=True))\n"
        "board = list(User.objects.filter(role='board', is_active=True).values_list('username', flat=True))\n"
        "local = list(Plan.objects.filter(kind='local', status='published').values_list('slug', flat=True))\n"
        "print(json.dumps({'leads': sorted(set(leads)), 'board': board, 'local_plans': local}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return {"password": password, **json.loads(result.stdout.strip().splitlines()[-1])}


def sign_in_all(host: str, people: dict) -> list[float]:
    """Sign every account in through the sign-in form, as a person would; keep its cookies for locust.

    Returns the time of each sign-in in milliseconds.
    """
    import re

    import requests

    times = []
    people["cookies"] = {}
    for username in [*people["leads"], *people["board"]]:
        session = requests.Session()
        page = session.get(f"{host}/accounts/login/", timeout=120)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        started = time.perf_counter()
        response = session.post(
            f"{host}/accounts/login/",
            {"username": username, "password": people["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": f"{host}/accounts/login/"},
            timeout=120,
        )
        times.append((time.perf_counter() - started) * 1000)
        if "Sign out" not in response.text:
            raise RuntimeError(f"could not sign in as {username}: {response.status_code}")
        people["cookies"][username] = session.cookies.get_dict()
    return times


def check_updates(env: dict[str, str], attempts_path: Path, run: str) -> dict:
    """Every accepted update is in the database exactly once, every refused one left nothing."""
    code = (
        "import json, sys, django; django.setup()\n"
        "from collections import Counter\n"
        "from actions.models import StatusUpdate\n"
        "lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]\n"
        "answered = {a['token'] for a in lines if a['outcome'] != 'sent'}\n"
        "attempts = [a for a in lines if a['outcome'] != 'sent']\n"
        "unanswered = [a['token'] for a in lines if a['outcome'] == 'sent' and a['token'] not in answered]\n"
        "stored = Counter()\n"
        "prefix = f'Progress reported under load run {sys.argv[2]},'\n"
        "for narrative in StatusUpdate.objects.filter(narrative__startswith=prefix)"
        ".values_list('narrative', flat=True):\n"
        "    stored[narrative.rsplit(' ', 1)[-1].rstrip('.')] += 1\n"
        "accepted = [a for a in attempts if a['outcome'] == 'accepted']\n"
        "refused = [a for a in attempts if a['outcome'] == 'refused']\n"
        "errors = [a for a in attempts if a['outcome'] == 'error']\n"
        "print(json.dumps({\n"
        "  'attempts': len(attempts), 'accepted': len(accepted), 'refused': len(refused), 'errors': len(errors),\n"
        "  'accepted_missing': sum(1 for a in accepted if stored[a['token']] == 0),\n"
        "  'accepted_duplicated': sum(1 for a in accepted if stored[a['token']] > 1),\n"
        "  'refused_but_stored': sum(1 for a in refused + errors if stored[a['token']] > 0),\n"
        "  'unanswered': len(unanswered), 'unanswered_stored': sum(1 for t in unanswered if stored[t] == 1),\n"
        "  'unanswered_duplicated': sum(1 for t in unanswered if stored[t] > 1),\n"
        "  'stored_unknown': sum(1 for t in stored if t not in answered and t not in set(unanswered)),\n"
        "}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(attempts_path), run],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(stats_csv: Path, failures_csv: Path, seconds: float) -> bool:
    rows = list(csv.DictReader(stats_csv.open()))
    met = True
    print(f"\n{'Page':<28}{'requests':>9}{'failures':>9}{'rps':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}  target")
    for row in rows:
        name = row["Name"]
        if name == "Aggregated":
            continue
        p95 = float(row["95%"] or 0)
        target = UPDATE_TARGET_MS if name in UPDATES else PAGE_TARGET_MS
        ok = p95 < target and int(row["Failure Count"]) == 0
        met &= ok or name.startswith("Sign in")
        print(
            f"{name:<28}{row['Request Count']:>9}{row['Failure Count']:>9}{float(row['Requests/s']):>7.2f}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}  p95 < {target}: {'yes' if ok else 'NO'}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(
        f"{'All requests':<28}{total['Request Count']:>9}{total['Failure Count']:>9}"
        f"{float(total['Requests/s']):>7.2f}{total['50%']:>8}{total['95%']:>8}{total['99%']:>8}"
    )
    failures = list(csv.DictReader(failures_csv.open())) if failures_csv.exists() else []
    if failures:
        print("\nErrors:")
        for row in failures:
            print(f"  {row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}")
    else:
        print("\nErrors: none (409s from stale pages are expected and counted as refused updates below)")
    return met and not failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5, help="how long locust runs (default 5)")
    parser.add_argument("--users", type=int, default=200, help="simulated people (default 200)")
    # People arrive over a minute or so, as they would; the figures are reset once all have arrived, so that
    # they describe the steady state.
    parser.add_argument("--spawn-rate", type=float, default=4, help="people started per second (default 4)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--scale", type=int, default=43, help="local plans for seed_demo (default 43)")
    args = parser.parse_args()

    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url.startswith("redis://"):
        print("Set DATABASE_URL=postgres://... (a database of its own) and REDIS_URL=redis://...", file=sys.stderr)
        return 2
    for url in (database_url, redis_url):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            print(f"The load benchmark runs on loopback only, not against {urlsplit(url).hostname}", file=sys.stderr)
            return 2
    ensure_database(database_url)
    password = secrets.token_urlsafe(16)
    run = secrets.token_hex(4)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "actionplan.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    print(f"Migrating and seeding (scale {args.scale})...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")  # the pages name the hashed files of the manifest, as in production
    manage(env, "seed_demo", f"--scale={args.scale}", f"--password={password}")
    # People the seed created before this run keep their password: set the run's on the accounts it uses.
    people = accounts(env, password)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, django; django.setup()\n"
            "from actionplan.models import User\n"
            "for user in User.objects.filter(username__in=sys.argv[2:]):\n"
            "    user.set_password(sys.argv[1]); user.save(update_fields=['password'])\n",
            password,
            *people["leads"],
            *people["board"],
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    print(f"{len(people['leads'])} lead accounts, {len(people['board'])} board accounts", flush=True)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="rasso-load-"))
    attempts = work / "attempts.jsonl"
    attempts.touch()
    server_log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "actionplan.wsgi:application", "-c", "gunicorn.conf.py"],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers)},
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_up(host)
        sign_ins = sorted(sign_in_all(host, people))
        print(
            f"Signed in {len(sign_ins)} accounts one after another through the form: median "
            f"{sign_ins[len(sign_ins) // 2]:.0f} ms, slowest {sign_ins[-1]:.0f} ms (PBKDF2 password hashing)",
            flush=True,
        )
        (work / "accounts.json").write_text(json.dumps(people))
        print(
            f"gunicorn ({args.workers} workers) at {host}; locust: {args.users} people for {args.minutes:g} minutes",
            flush=True,
        )
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "tests" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--host",
                host,
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--reset-stats",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "20",
            ],
            env={**env, "LOAD_ACCOUNTS": str(work / "accounts.json"), "LOAD_ATTEMPTS": str(attempts), "LOAD_RUN": run},
            cwd=ROOT,
            check=False,
            timeout=args.minutes * 60 + 300,
        )
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server_log.close()

    met = report(work / "locust_stats.csv", work / "locust_failures.csv", elapsed)
    checked = check_updates(env, attempts, run)
    print(
        f"\nUpdates: {checked['attempts']} submitted, {checked['accepted']} accepted, {checked['refused']} refused "
        f"with 409, {checked['errors']} errors"
    )
    if checked["unanswered"]:
        print(
            f"Unanswered when the run stopped: {checked['unanswered']} (the server finished "
            f"{checked['unanswered_stored']} of them, each stored once; {checked['unanswered_duplicated']} twice)"
        )
    consistent = (
        checked["unanswered_duplicated"] == 0
        and checked["accepted_missing"] == 0
        and checked["accepted_duplicated"] == 0
        and checked["refused_but_stored"] == 0
        and checked["stored_unknown"] == 0
    )
    print(
        f"Database: accepted but missing {checked['accepted_missing']}, accepted but stored twice "
        f"{checked['accepted_duplicated']}, refused but stored {checked['refused_but_stored']}, stored without an "
        f"attempt {checked['stored_unknown']}: {'consistent' if consistent else 'NOT CONSISTENT'}"
    )
    print(
        f"Target (no errors but 409s, p95 < {PAGE_TARGET_MS} ms pages, < {UPDATE_TARGET_MS} ms updates): "
        f"{'met' if met and consistent else 'not met'}"
    )
    print(f"Files: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
