"""How the academy is served: gunicorn's settings (app/serving.py) and the Procfile's two processes."""

import shlex
import subprocess
import sys
from pathlib import Path

from app import serving

ROOT = Path(__file__).parents[1]


def _procfile() -> dict[str, list[str]]:
    lines = ROOT.joinpath("Procfile").read_text().splitlines()
    return {name: shlex.split(command) for name, command in (line.split(":", 1) for line in lines if line.strip())}


def test_the_procfile_runs_the_web_server_and_the_task_worker_and_nothing_else():
    processes = _procfile()
    assert set(processes) == {"web", "worker"}
    assert processes["web"][0].endswith("gunicorn") and "python:app.serving" in processes["web"]
    assert processes["worker"][0].endswith("huey_consumer") and processes["worker"][1] == "app.worker.huey"


def test_honcho_accepts_the_procfile():
    honcho = Path(sys.executable).with_name("honcho")
    result = subprocess.run([honcho, "check"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_worker_entry_point_builds_the_app_loads_the_tasks_and_configures_the_queue():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app.worker import huey; from app.certificates import tasks; "
            "print(type(huey.storage).__name__, 'app.certificates.tasks' in sys.modules, tasks.finish_certificate.huey is huey)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "test-worker", "HUEY_STORAGE": "memory", "DATABASE_URL": "sqlite://"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["MemoryStorage", "True", "True"]


def test_each_worker_leaves_what_it_loaded_at_start_up_out_of_full_collections(monkeypatch):
    calls = []
    monkeypatch.setattr(serving.gc, "collect", lambda *args: calls.append("collect"))
    monkeypatch.setattr(serving.gc, "freeze", lambda: calls.append("freeze"))
    serving.post_worker_init(worker=None)
    assert calls == ["collect", "freeze"]


def test_the_bare_apps_of_the_benchmark_get_the_same_worker_hook_from_gunicorn_conf():
    settings = {}
    exec(ROOT.joinpath("gunicorn.conf.py").read_text(), settings)  # noqa: S102 - our own file
    assert settings["post_worker_init"] is serving.post_worker_init
