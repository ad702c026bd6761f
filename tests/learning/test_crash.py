"""Killing the server with SIGKILL in the middle of quiz submissions loses nothing acknowledged (SQLite, FULL sync)."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.settings import use_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(use_postgres(), reason="the embedded SQLite database is the one at risk"),
    pytest.mark.real_transactions,
]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(environment, port):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
            "app:create_app()",
        ],
        env=environment,
        cwd=ROOT,
        start_new_session=True,
    )


def _wait_until_up(port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise AssertionError("server did not start")


def test_sigkill_during_submissions_keeps_every_acknowledged_one_and_a_sound_database(tmp_path):
    database = tmp_path / "crash.db"
    environment = {
        **os.environ,
        "SECRET_KEY": "crash-test-" + os.urandom(8).hex(),
        "DATABASE_URL": f"sqlite:///{database}",
        "BASE_URL": "http://127.0.0.1",
        "BENCH_LEARNERS": "80",
        "PYTHONPATH": str(ROOT),
        "FLASK_MAIL_OUTBOX_DIR": str(tmp_path / "mail"),
        "FLASK_CERTIFICATE_KEY_DIR": str(tmp_path / "keys"),
    }
    subprocess.run(
        [sys.executable, "-m", "bench.prepare", str(tmp_path)],
        env=environment,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    lines = [line.split("\t") for line in (tmp_path / "submit_requests.tsv").read_text().splitlines()]
    port = _free_port()
    server = _serve(environment, port)
    _wait_until_up(port)
    acknowledged, lock = [], threading.Lock()

    def submit(chunk):
        for _, path, cookie, body in chunk:
            try:
                response = requests.post(
                    f"http://127.0.0.1:{port}{path}",
                    data=body,
                    timeout=5,
                    allow_redirects=False,
                    headers={
                        "Cookie": cookie,
                        "User-Agent": "academy-bench",
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
            except requests.RequestException:
                return
            if response.status_code == 302 and response.headers["Location"].endswith("/result"):
                with lock:
                    acknowledged.append(int(path.split("/")[2]))

    threads = [threading.Thread(target=submit, args=(lines[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-flight
    for thread in threads:
        thread.join(timeout=10)
    server.wait(timeout=10)

    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        submitted = {
            row[0]
            for row in connection.execute("SELECT enrolment_id FROM assessment_attempts WHERE status = 'submitted'")
        }
        assert set(acknowledged) <= submitted
        half_written = connection.execute(
            "SELECT count(*) FROM assessment_attempts WHERE status = 'submitted' AND (score IS NULL OR submitted_at IS NULL)"
        ).fetchone()[0]
        assert half_written == 0
    finally:
        connection.close()
    assert 20 <= len(acknowledged) < len(lines)

    restarted = _serve(environment, port)
    try:
        _wait_until_up(port)
    finally:
        os.killpg(restarted.pid, signal.SIGTERM)
        restarted.wait(timeout=10)
