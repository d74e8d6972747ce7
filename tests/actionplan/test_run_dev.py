"""`make run`: the demo's sign-in line gives the address actually served, and Ctrl-C stops everything in seconds."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    "variables, served, address",
    [
        ([], "127.0.0.1 8000", "http://127.0.0.1:8000"),
        (["PORT=8001"], "127.0.0.1 8001", "http://127.0.0.1:8001"),
        (["HOST=0.0.0.0", "PORT=8080"], "0.0.0.0 8080", "http://127.0.0.1:8080"),
        (["HOST=localhost"], "localhost 8000", "http://localhost:8000"),
    ],
)
def test_make_run_tells_the_seed_and_the_server_the_address_it_serves(variables, served, address):
    commands = subprocess.run(
        ["make", "--always-make", "--dry-run", "run", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout

    host, port = served.split()
    assert f'manage.py seed_demo --site-url "{address}"' in commands
    assert f'bash scripts/run-dev.sh "{host}" "{port}" "{address}"' in commands


def _free_port() -> int:
    """A port nothing listens on, below Linux's ephemeral range so no outgoing connection takes it meanwhile."""
    for port in random.sample(range(20000, 32000), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


def _processes(session: int) -> dict[int, tuple[int, str]]:
    """Live processes of the session the script leads, as pid: (parent pid, command line); zombies left out."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state, parent, sid = fields[0], int(fields[1]), int(fields[3])
        if sid == session and state != "Z":
            found[int(entry.name)] = (parent, command)
    return found


@pytest.mark.celery
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the processes")
@pytest.mark.parametrize("worker", ["idle", "stuck in a task"])
def test_ctrl_c_stops_the_web_server_worker_and_beat_within_seconds(tmp_path, worker):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PYTHONUNBUFFERED": "1"})
    env.pop("REDIS_URL", None)
    log_path = tmp_path / "run.log"
    with open(log_path, "w") as log:
        # A session of its own, as a terminal gives `make run`: Ctrl-C is SIGINT to its foreground process group.
        script = subprocess.Popen(
            ["bash", "scripts/run-dev.sh", "127.0.0.1", str(_free_port())],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while not all(text in log_path.read_text() for text in (" ready.", "beat: Starting", "Quit the server")):
            assert script.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        processes = _processes(script.pid)
        main = next(
            pid for pid, (parent, command) in processes.items() if parent == script.pid and " worker " in command
        )
        pool = [pid for pid, (parent, _command) in processes.items() if parent == main]
        assert pool, processes
        if worker == "stuck in a task":
            # Pool processes that never answer: a warm shutdown alone would wait for them for ever.
            for pid in pool:
                os.kill(pid, signal.SIGSTOP)

        started = time.monotonic()
        os.killpg(script.pid, signal.SIGINT)
        while _processes(script.pid) and time.monotonic() - started < 30:
            time.sleep(0.2)
        took = time.monotonic() - started

        assert not _processes(script.pid), log_path.read_text()
        assert took < 10, f"stopping took {took:.1f}s\n{log_path.read_text()}"
        assert "Stopping the web server, the Celery worker and beat" in log_path.read_text()
    finally:
        for pid in _processes(script.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        script.wait(timeout=10)


def test_the_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(ROOT / "scripts" / "run-dev.sh")], check=True, timeout=10)


@pytest.mark.parametrize("grace", ["x", "-1", "2.5", "9999"])
def test_a_grace_that_is_not_a_number_of_seconds_stops_the_script_before_anything_starts(grace):
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run-dev.sh")],
        env={**os.environ, "RUN_DEV_STOP_GRACE": grace},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 2
    assert result.stderr.strip() == f"RUN_DEV_STOP_GRACE must be a whole number of seconds, not '{grace}'."
