"""Killing the server with SIGKILL in the middle of quiz submissions loses nothing acknowledged (SQLite, FULL sync)."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from tests.settings import use_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(use_postgres(), reason="the embedded SQLite database is the one at risk"),
    pytest.mark.real_transactions,
]


def _serve(environment):
    """Gunicorn on a socket this test opened and listens on, and the socket's port.

    Connections made before a worker is ready wait in the socket's queue, so the first request is
    answered as soon as the server can, with no polling for it to come up.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"fd://{listener.fileno()}",
            "--log-level",
            "error",
            "app:create_app()",
        ],
        env=environment,
        cwd=ROOT,
        start_new_session=True,
        pass_fds=(listener.fileno(),),
    )
    return server, listener


def _answers(port):
    return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=60).status_code == 200


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
    server, listener = _serve(environment)
    port = listener.getsockname()[1]
    acknowledged, lock, twenty_acknowledged = [], threading.Lock(), threading.Event()

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
                    if len(acknowledged) >= 20:
                        twenty_acknowledged.set()

    threads = [threading.Thread(target=submit, args=(lines[i::4],)) for i in range(4)]
    try:
        assert _answers(port)
        for thread in threads:
            thread.start()
        twenty_acknowledged.wait(timeout=60)  # if it never comes, the count is checked below
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-flight
        listener.close()  # as the killed server's was: later submissions are refused, not queued
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

    restarted, listener = _serve(environment)
    try:
        assert _answers(listener.getsockname()[1])
    finally:
        os.killpg(restarted.pid, signal.SIGTERM)
        restarted.wait(timeout=10)
        listener.close()
