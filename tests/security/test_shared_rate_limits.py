"""The per-account sign-in limit holds across two app processes sharing Redis, on the suite's database
(SQLite, and PostgreSQL when the suite runs there).

Two gunicorn processes, as two hosts behind a load balancer would run, take turns answering one
attacker: the count must be one, or each process would allow the limit again.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests

from app.extensions import db
from tests import factories
from tests.settings import TEST_CONFIG

ROOT = Path(__file__).parents[2]
# A Redis database of this test's own, emptied before it runs: no other test or run counts into it.
REDIS_URL = "redis://127.0.0.1:6379/15"
TOKEN = 'name="csrf_token" value="'

pytestmark = pytest.mark.real_transactions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(database_url: str, tmp_path: Path, port: int) -> subprocess.Popen:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": "two-processes-one-secret",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "HUEY_STORAGE": "memory",
        "BIND": f"127.0.0.1:{port}",
        "MAIL_OUTBOX_DIR": str(tmp_path),
        "TOTP_ENCRYPTION_KEYS": TEST_CONFIG["TOTP_ENCRYPTION_KEYS"],
        "CERTIFICATE_KEY_DIR": str(tmp_path / "keys"),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [gunicorn, "--config", "python:app.serving", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    with (tmp_path / f"server-{port}.log").open("wb") as log:
        return subprocess.Popen([*command, "app:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=log)


def _wait_until_up(port: int, process: subprocess.Popen, tmp_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError((tmp_path / f"server-{port}.log").read_text()[-2000:])
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        # The master listens before its worker has loaded the app: a slow boot answers late, not never.
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise AssertionError(f"the server on port {port} did not start")


@pytest.fixture
def two_processes(app, tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    ports = [_free_port(), _free_port()]
    processes = [_serve(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, port) for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_until_up(port, process, tmp_path)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        redis.Redis.from_url(REDIS_URL).flushdb()


def test_the_per_account_sign_in_limit_counts_across_two_processes_sharing_redis(app, two_processes):
    with app.app_context():
        email = factories.make_user(email=f"dos-procesos-{secrets.token_hex(4)}@example.pe").email
        db.session.remove()
    allowed = int(app.config["RATELIMIT_LOGIN_PER_ACCOUNT"].split()[0])
    browser = requests.Session()
    page = browser.get(f"{two_processes[0]}/login").text
    token = page.split(TOKEN, 1)[1].split('"', 1)[0]
    statuses = []
    for attempt in range(allowed + 2):
        server = two_processes[attempt % 2]
        form = {"email": email, "password": "no es la contraseña 123", "csrf_token": token}
        statuses.append(browser.post(f"{server}/login", data=form, allow_redirects=False).status_code)
    # Each process alone has seen only half the attempts, far under the limit.
    assert statuses == [200] * allowed + [429, 429]
