"""`make bench`: the app under gunicorn with production settings against a minimal Flask app, same load, same run.

Prints requests per second, p50 and p99 for each scenario and the ratio to the minimal app.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench import wrk

ROOT = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))


def main():
    with tempfile.TemporaryDirectory(prefix="academy-bench-") as tmp:
        environment = _production_environment(Path(tmp))
        email = _prepare_database(environment)
        app_port, minimal_port = _free_port(), _free_port()
        servers = [
            _gunicorn("app:create_app()", app_port, environment),
            _gunicorn("bench.minimal_app:app", minimal_port, environment),
        ]
        try:
            _wait_until_up(app_port, "/healthz")
            _wait_until_up(minimal_port, "/")
            results = _scenarios(app_port, minimal_port, email)
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                server.wait(timeout=30)
    _report(results)


def _production_environment(tmp: Path) -> dict:
    environment = {
        **os.environ,
        "SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "BASE_URL": "http://127.0.0.1",
        "FLASK_MAIL_OUTBOX_DIR": str(tmp / "mail"),
        # Login is measured for the cost of the password hash, so the per-IP and per-account limits,
        # which would otherwise answer 429 within a second, are lifted for this run only.
        "FLASK_RATELIMIT_LOGIN_PER_IP": "1000000 per minute",
        "FLASK_RATELIMIT_LOGIN_PER_ACCOUNT": "1000000 per minute",
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("FLASK_DEBUG", None)
    return environment


def _prepare_database(environment: dict) -> str:
    code = (
        "from flask_migrate import upgrade\n"
        "from app import create_app\n"
        "from bench import dataset\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    upgrade()\n"
        "    print(dataset.build())\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return output.stdout.strip().splitlines()[-1]


def _gunicorn(target: str, port: int, environment: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        env=environment,
        cwd=ROOT,
    )


def _scenarios(app_port: int, minimal_port: int, email: str) -> list:
    app = f"http://127.0.0.1:{app_port}"
    results = [("minimal Flask route", wrk.run(f"http://127.0.0.1:{minimal_port}/", seconds=SECONDS, connections=16))]
    results.append(("home page (anonymous)", wrk.run(f"{app}/", seconds=SECONDS, connections=16)))
    cookie, token = _login_form(app)
    from bench.dataset import BENCH_PASSWORD

    body = f"csrf_token={token}&email={email}&password={BENCH_PASSWORD.replace(' ', '+')}"
    results.append(
        (
            "login (argon2id t=2, 19 MiB)",
            wrk.run(
                f"{app}/login",
                seconds=SECONDS,
                connections=4,
                method="POST",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            ),
        )
    )
    return results


def _login_form(app: str):
    response = requests.get(f"{app}/login", timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in response.cookies)
    return cookie, token


def _report(results):
    baseline = results[0][1]
    print()
    print(f"Benchmark: gunicorn, {WORKERS} workers, production settings; wrk on loopback, {SECONDS} s per scenario")
    print(f"{'scenario':<32} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'vs minimal':>11}")
    for name, result in results:
        print(
            f"{name:<32} {result.requests_per_second:>10.1f} {result.p50_ms:>9.2f} {result.p99_ms:>9.2f} "
            f"{result.errors:>7d} {result.ratio_to(baseline):>10.1%}"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, path: str):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}{path}", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


if __name__ == "__main__":
    main()
