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
        email = _prepare_database(environment, Path(tmp))
        app_port, minimal_port = _free_port(), _free_port()
        servers = [
            _gunicorn("app:create_app()", app_port, environment),
            _gunicorn("bench.minimal_app:app", minimal_port, environment),
        ]
        try:
            _wait_until_up(app_port, "/healthz")
            _wait_until_up(minimal_port, "/")
            results = _scenarios(app_port, minimal_port, email, Path(tmp))
            memory = _worker_memory_mb(servers[0].pid)
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                server.wait(timeout=30)
    _report(results, memory)
    _report_sync()
    _report_pdf()


def _production_environment(tmp: Path) -> dict:
    environment = {
        **os.environ,
        "SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "DATABASE_URL": _database_url(tmp),
        "BASE_URL": "http://127.0.0.1",
        "FLASK_MAIL_OUTBOX_DIR": str(tmp / "mail"),
        "FLASK_CERTIFICATE_KEY_DIR": str(tmp / "keys"),
        # The verification scenario measures throughput, which the per-address limit would cap at once.
        "FLASK_RATELIMIT_VERIFY": "1000000 per minute",
        # Login is measured for the cost of the password hash, so the per-IP and per-account limits,
        # which would otherwise answer 429 within a second, are lifted for this run only.
        "FLASK_RATELIMIT_LOGIN_PER_IP": "1000000 per minute",
        "FLASK_RATELIMIT_LOGIN_PER_ACCOUNT": "1000000 per minute",
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("FLASK_DEBUG", None)
    return environment


_DATABASE_URL: list[str] = []


def _database_url(tmp: Path) -> str:
    """The embedded SQLite file by default; BENCH_DATABASE_URL (PostgreSQL) is emptied and used instead."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        _DATABASE_URL[:] = [f"sqlite:///{tmp}/bench.db"]
        return _DATABASE_URL[0]
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return url


def _prepare_database(environment: dict, out: Path) -> str:
    subprocess.run([sys.executable, "-m", "bench.prepare", str(out)], env=environment, cwd=ROOT, check=True)
    return (out / "email.txt").read_text().strip()


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


def _scenarios(app_port: int, minimal_port: int, email: str, files: Path) -> list:
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
    lessons, submissions = files / "lesson_requests.tsv", files / "submit_requests.tsv"
    peak = wrk.run(f"{app}/", seconds=SECONDS, connections=16, requests_file=lessons)
    results.append(("lesson page (signed in)", peak))
    results.append(("lesson page at 50% of peak", _half_load(app, peak, lessons)))
    peak = wrk.run(f"{app}/", seconds=SECONDS, connections=8, requests_file=submissions)
    results.append(("assessment submission", peak))
    results.append(("submission at 50% of peak", _half_load(app, peak, _fresh_half(submissions))))
    # Passing submissions issue certificates whose PDFs are drawn in the background: let that work
    # finish, so it is counted against the submissions that caused it and not against verification.
    _wait_for_background_drawing()
    results.append(
        (
            "verify/<serial> JSON (public)",
            wrk.run(f"{app}/", seconds=SECONDS, connections=16, requests_file=files / "verify_requests.tsv"),
        )
    )
    return results


def _wait_for_background_drawing(timeout: float = 120.0) -> None:
    from sqlalchemy import create_engine, text

    url = os.environ.get("BENCH_DATABASE_URL") or _DATABASE_URL[0]
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    waiting = (
        "SELECT count(*) FROM certificates c WHERE NOT EXISTS "
        "(SELECT 1 FROM certificate_documents d WHERE d.certificate_id = c.id)"
    )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(text(waiting)).scalar() == 0:
                    return
            time.sleep(0.5)
        print("warning: certificate PDFs were still being drawn when verification was measured")
    finally:
        engine.dispose()


def _half_load(app: str, peak, requests_file: Path):
    """Paced connections: each waits so that together they send about half the measured peak."""
    connections = 8
    delay = max(1.0, connections * 1000.0 / (peak.requests_per_second / 2))
    return wrk.run(f"{app}/", seconds=SECONDS, connections=connections, requests_file=requests_file, delay_ms=delay)


def _fresh_half(submissions: Path) -> Path:
    """Submissions not sent in the peak run, so the paced run scores real attempts rather than replays."""
    lines = submissions.read_text().splitlines()
    fresh = submissions.with_name("submit_requests_half.tsv")
    fresh.write_text("\n".join(lines[len(lines) // 2 :]) + "\n")
    return fresh


def _worker_memory_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    sizes = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def _report_sync():
    from bench.sync import measure_sync

    seconds, lessons = measure_sync()
    print(f"flask courses sync: {lessons} lessons in 6 generated courses loaded in {seconds:.2f} s (target < 5 s)")


def _report_pdf():
    from bench import pdf

    print(pdf.report(pdf.run()))


def _login_form(app: str):
    response = requests.get(f"{app}/login", timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in response.cookies)
    return cookie, token


def _report(results, memory):
    baseline = results[0][1]
    print()
    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite (embedded default)"
    print(
        f"Benchmark: gunicorn, {WORKERS} workers, production settings, {database}; wrk on loopback, "
        f"{SECONDS} s per scenario"
    )
    print(f"{'scenario':<32} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'vs minimal':>11}")
    for name, result in results:
        print(
            f"{name:<32} {result.requests_per_second:>10.1f} {result.p50_ms:>9.2f} {result.p99_ms:>9.2f} "
            f"{result.errors:>7d} {result.ratio_to(baseline):>10.1%}"
        )
    print("worker resident memory after the run: " + ", ".join(f"{mb:.0f} MB" for mb in memory) + " (target < 150 MB)")


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
