"""`make bench`: the app under gunicorn with production settings against a minimal Flask app, same load, same run.

The academy is served as `make run` serves it (the Procfile: gunicorn with app/serving.py and, beside
it, the task worker that signs and draws certificates), so the work a submission causes is paid on the
same two cores. Every request carries a browser's headers (bench.wrk.BROWSER_HEADERS), so pages are
compressed as a browser makes the server compress them. Prints requests per second, p50 and p99 for
each scenario and the ratio to the minimal app, the web workers' and the task worker's memory, and how
long after its issue the task worker had finished each certificate the submissions earned.
"""

import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bench import wrk
from bench.sessions import USER_AGENT

ROOT = Path(__file__).resolve().parents[1]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = 5
ROUND_SECONDS = max(1, SECONDS // ROUNDS)
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))


def main():
    with tempfile.TemporaryDirectory(prefix="academy-bench-") as tmp:
        environment = _production_environment(Path(tmp))
        email = _prepare_database(environment, Path(tmp))
        app_port, minimal_port, reference_port = _free_port(), _free_port(), _free_port()
        servers = [
            # The academy as it is served (make run, the Procfile): gunicorn and the task worker beside it.
            _gunicorn("app:create_app()", app_port, environment, "--config", "python:app.serving"),
            _task_worker(environment),
            _gunicorn("bench.minimal_app:app", minimal_port, environment),
            _gunicorn("bench.reference_app:app", reference_port, environment),
        ]
        try:
            _wait_until_up(app_port, "/healthz")
            _wait_until_up(minimal_port, "/")
            _wait_until_up(reference_port, "/accounts/1")
            _wait_to_settle(servers[1].pid)
            results, backlog = _scenarios(app_port, minimal_port, reference_port, email, Path(tmp))
            memory = Memory(_resident_mb(_children(servers[0].pid)), _resident_mb([servers[1].pid]))
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                server.wait(timeout=30)
    _report(results, memory)
    print(backlog)
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
        "HUEY_SQLITE_PATH": str(tmp / "tasks.db"),
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


def _task_worker(environment: dict) -> subprocess.Popen:
    """The Procfile's worker, exactly as `make run` starts it (with this interpreter's virtualenv)."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))
    venv_bin = str(Path(sys.executable).parent) + "/"
    command = [word.replace(".venv/bin/", venv_bin) for word in shlex.split(line.split(":", 1)[1])]
    return subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _gunicorn(target: str, port: int, environment: dict, *settings: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *settings,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # Three servers run side by side; gunicorn's control socket is one path per user by default.
            "--no-control-socket",
            target,
        ],
        env=environment,
        cwd=ROOT,
    )


@dataclass
class Row:
    """One scenario's figures: its rounds against the minimal route's (no ratios: a paced run)."""

    name: str
    result: wrk.Result
    ratios: list[float]

    @property
    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.ratios else None


class Baseline:
    """The minimal route, measured just before and just after every round of the scenario it is compared with.

    This machine shares its host, and its speed drifts by a fifth or more within seconds: the minimal
    route alone measured anywhere from 2,000 to 4,400 req/s in one minute. So a scenario runs in
    ROUNDS short rounds, each between two runs of the minimal route, and its ratio is the median of
    the rounds' ratios, each against the minimal route as fast as the machine was around that round.
    """

    def __init__(self, url: str):
        self.url = url
        self.runs: list[wrk.Result] = []

    def measure(self) -> float:
        result = wrk.run(self.url, seconds=ROUND_SECONDS, connections=16)
        self.runs.append(result)
        return result.requests_per_second

    def around(self, name: str, scenario, *, warm_up: bool = True) -> Row:
        """*scenario(round_number)* runs one round of ROUND_SECONDS and returns its wrk.Result.

        With *warm_up*, one round runs untimed first, so a server's first requests (templates compiled,
        catalogues and course structures loaded) are not charged to the scenario's first round.
        Submissions are never warmed: each attempt is submitted once.
        """
        if warm_up:
            scenario(0)
        before = self.measure()
        rounds, ratios = [], []
        for number in range(ROUNDS):
            result = scenario(number)
            after = self.measure()
            rounds.append(result)
            ratios.append(result.requests_per_second / ((before + after) / 2))
            before = after
        return Row(name, wrk.combine(rounds), ratios)

    def summary(self) -> Row:
        runs = sorted(self.runs, key=lambda run: run.requests_per_second)
        middle = runs[len(runs) // 2]
        return Row(f"minimal Flask route ({len(runs)} runs)", middle, [1.0])


def _scenarios(app_port: int, minimal_port: int, reference_port: int, email: str, files: Path) -> list[Row]:
    app = f"http://127.0.0.1:{app_port}"
    baseline = Baseline(f"http://127.0.0.1:{minimal_port}/")

    def rounds_of(url, connections=16, requests_file=None, **options):
        def one_round(number):
            chosen = requests_file(number) if callable(requests_file) else requests_file
            return wrk.run(url, seconds=ROUND_SECONDS, connections=connections, requests_file=chosen, **options)

        return one_round

    rows = [
        baseline.around(
            YARDSTICK,
            rounds_of(f"http://127.0.0.1:{reference_port}/", requests_file=_reference_requests(files)),
        ),
        baseline.around("home page (anonymous)", rounds_of(f"{app}/")),
    ]
    cookie, token = _login_form(app)
    from bench.dataset import BENCH_PASSWORD

    body = f"csrf_token={token}&email={email}&password={BENCH_PASSWORD.replace(' ', '+')}"
    rows.append(
        baseline.around(
            "login (argon2id t=2, 19 MiB)",
            rounds_of(
                f"{app}/login",
                connections=4,
                method="POST",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            ),
            # The cost measured is the password hash's, the same on the first sign-in as on the last.
            warm_up=False,
        )
    )
    lessons, submissions = files / "lesson_requests.tsv", files / "submit_requests.tsv"
    for requests_file in (lessons, submissions, files / "verify_requests.tsv"):
        _check_first_request_answers(app, requests_file)
    peak = baseline.around("lesson page (signed in)", rounds_of(f"{app}/", requests_file=lessons))
    rows += [peak, Row("lesson page at 50% of peak", _half_load(app, peak.result, lessons), [])]
    # Every round submits attempts no round has submitted before: a replayed submission only redirects.
    # The paced run lasts as long as all five rounds at half their rate: a third of the attempts is its share.
    lines = submissions.read_text().splitlines()
    at_peak = len(lines) * 2 // 3
    portions = _portions(lines[:at_peak], ROUNDS, submissions.parent / "submit_peak") + _portions(
        lines[at_peak:], 1, submissions.parent / "submit_paced"
    )
    peak = baseline.around(
        "assessment submission",
        rounds_of(f"{app}/", connections=8, requests_file=lambda number: portions[number]),
        warm_up=False,
    )
    rows += [peak, Row("submission at 50% of peak", _half_load(app, peak.result, portions[ROUNDS]), [])]
    _warn_if_replayed(rows[-2:], at_peak // ROUNDS, len(lines) - at_peak)
    # Passing submissions issue certificates that the task worker signs and draws: let that work finish,
    # so it is counted against the submissions that caused it and not against verification.
    backlog = _wait_for_background_work(len((files / "verify_requests.tsv").read_text().splitlines()))
    rows.append(
        baseline.around(
            "verify/<serial> JSON (public)", rounds_of(f"{app}/", requests_file=files / "verify_requests.tsv")
        )
    )
    return [baseline.summary(), *rows], backlog


YARDSTICK = "yardstick: 1 PK lookup, 10 KB"
# The floors against the minimal route of the same run (issue 16).
TARGETS = {"lesson page (signed in)": 0.15, "assessment submission": 0.08, "verify/<serial> JSON (public)": 0.25}
FINISHED_WITHIN_SECONDS = 10.0


def _check_first_request_answers(app: str, requests_file: Path) -> None:
    """wrk counts a redirect as a success, so a session the app no longer accepts would time the sign-in
    redirect instead of the page: GET the first request's page, with its cookie if any, and expect the page."""
    _method, path, cookie, _body = requests_file.read_text().splitlines()[0].split("\t")
    response = requests.get(
        f"{app}{path}",
        headers={"Cookie": cookie, "User-Agent": USER_AGENT},
        allow_redirects=False,
        timeout=10,
    )
    if response.status_code != 200:
        raise SystemExit(f"{requests_file.name}: GET {path} answered {response.status_code}, not the page itself")


def _reference_requests(files: Path) -> Path:
    """The yardstick page for 500 different accounts, as the lesson scenario asks for 500 different lessons."""
    path = files / "reference_requests.tsv"
    path.write_text("".join(f"GET\t/accounts/{number}\t\t\n" for number in range(1, 501)))
    return path


@dataclass
class Backlog:
    """The certificates the submission runs earned, and how long after its issue the worker finished each."""

    delays: list[float]
    unfinished: int

    def __str__(self):
        if not self.delays and not self.unfinished:
            return "task worker: the submission runs earned no certificate"
        text = (
            f"task worker: {len(self.delays)} certificates earned by the submissions, each signed and drawn "
            f"{statistics.median(self.delays):.1f} s (median) and at most {max(self.delays):.1f} s after its issue "
            f"(target < {FINISHED_WITHIN_SECONDS:.0f} s)"
        )
        if self.unfinished:
            text += f"; {self.unfinished} still unfinished when the wait ended"
        return text


def _wait_for_background_work(prepared: int, timeout: float = 180.0) -> Backlog:
    """*prepared*: the certificates bench.prepare issued before the load, all finished already."""
    from sqlalchemy import create_engine, text

    url = os.environ.get("BENCH_DATABASE_URL") or _DATABASE_URL[0]
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    unfinished = (
        "SELECT count(*) FROM certificates c WHERE c.credential = '' OR NOT EXISTS "
        "(SELECT 1 FROM certificate_documents d WHERE d.certificate_id = c.id)"
    )
    finished = (
        "SELECT c.issued_at, min(d.rendered_at) FROM certificates c JOIN certificate_documents d "
        "ON d.certificate_id = c.id GROUP BY c.id, c.issued_at ORDER BY c.id"
    )
    started = time.monotonic()
    try:
        left = None
        while time.monotonic() - started < timeout:
            with engine.connect() as connection:
                left = connection.execute(text(unfinished)).scalar()
            if left == 0:
                break
            time.sleep(0.2)
        with engine.connect() as connection:
            rows = connection.execute(text(finished)).all()[prepared:]
        return Backlog([(_moment(done) - _moment(issued)).total_seconds() for issued, done in rows], left or 0)
    finally:
        engine.dispose()


def _moment(value):
    """A timestamp as the database returns it: aware from PostgreSQL, an ISO string or naive UTC from SQLite."""
    from datetime import UTC, datetime

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _half_load(app: str, peak, requests_file: Path):
    """Paced connections: each waits so that together they send about half the measured peak."""
    connections = 8
    delay = max(1.0, connections * 1000.0 / (peak.requests_per_second / 2))
    return wrk.run(f"{app}/", seconds=SECONDS, connections=connections, requests_file=requests_file, delay_ms=delay)


def _portions(lines: list[str], count: int, stem: Path) -> list[Path]:
    """*lines* split into *count* request files (stem_0.tsv, stem_1.tsv…) with no attempt in common."""
    size = len(lines) // count
    portions = []
    for number in range(count):
        portion = stem.with_name(f"{stem.name}_{number}.tsv")
        portion.write_text("\n".join(lines[number * size : (number + 1) * size]) + "\n")
        portions.append(portion)
    return portions


def _warn_if_replayed(rows: list[Row], per_round: int, paced: int) -> None:
    """wrk starts its file again when it reaches the end, and a replayed submission only redirects: say so
    if the submissions ran out (more learners: BENCH_LEARNERS), rather than time replays as submissions."""
    peak, half_load = rows
    if peak.result.requests > per_round * ROUNDS or half_load.result.requests > paced:
        print(
            f"warning: the submission runs sent more requests than there are prepared attempts "
            f"({peak.result.requests} at peak for {per_round * ROUNDS}, {half_load.result.requests} paced for "
            f"{paced}); raise BENCH_LEARNERS"
        )


@dataclass
class Memory:
    """Resident memory in MB of the gunicorn workers and of the task worker beside them."""

    workers: list[float]
    task_worker: list[float]

    def __str__(self):
        text = "web worker resident memory after the run: " + ", ".join(f"{mb:.0f} MB" for mb in self.workers)
        text += " (target < 150 MB)"
        if self.task_worker:
            text += "; task worker: " + ", ".join(f"{mb:.0f} MB" for mb in self.task_worker)
        return text


def _children(master_pid: int) -> list[str]:
    return Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()


def _resident_mb(pids) -> list[float]:
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
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


def _report(rows: list[Row], memory):
    print()
    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite (embedded default)"
    print(
        f"Benchmark: gunicorn, {WORKERS} workers, production settings, {database}; wrk on loopback with a "
        f"browser's headers; each scenario in {ROUNDS} rounds of {ROUND_SECONDS} s, every round between two "
        f"{ROUND_SECONDS} s runs of the minimal route, after one untimed round (none for sign-in and submission)"
    )
    print(f"{'scenario':<32} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'vs minimal':>11} {'rounds':>13}")
    for row in rows:
        result = row.result
        ratio = f"{row.ratio:>10.1%}" if row.ratio is not None else f"{'(paced)':>10}"
        spread = f"{min(row.ratios):.0%}-{max(row.ratios):.0%}" if len(row.ratios) > 1 else ""
        print(
            f"{row.name:<32} {result.requests_per_second:>10.1f} {result.p50_ms:>9.2f} {result.p99_ms:>9.2f} "
            f"{result.errors:>7d} {ratio} {spread:>13}"
        )
    print(
        "req/s: the mean of the rounds; p50: the median round's; p99: the worst round's; vs minimal: the median "
        "of the rounds' ratios, each against the minimal route around it (rounds: their lowest and highest)."
    )
    yardstick = next(row for row in rows if row.name == YARDSTICK).ratio
    print(
        f"The yardstick (a bare Flask page: one primary-key lookup, a 10 KB template) reaches {yardstick:.1%} of the "
        "minimal route here."
    )
    against = []
    for name, floor in TARGETS.items():
        row = next(row for row in rows if row.name == name)
        verdict = "met" if row.ratio >= floor else "MISSED"
        against.append(f"{name.split(' (')[0]} {row.ratio:.1%} (floor {floor:.0%}, {verdict})")
    print("Against the minimal route: " + "; ".join(against) + ".")
    print(memory)


def _wait_to_settle(pid: int, timeout: float = 60.0) -> None:
    """The task worker boots (imports the app, queues what is unfinished) beside the web workers: measuring
    during that second or two would charge its start-up to whichever scenario runs first."""
    deadline = time.monotonic() + timeout
    used = None
    while time.monotonic() < deadline:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        now = int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        if now == used:
            return
        used = now
        time.sleep(0.5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, path: str):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}{path}", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or busy starting its workers
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


if __name__ == "__main__":
    main()
