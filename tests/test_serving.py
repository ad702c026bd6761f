"""The gunicorn settings (app/serving.py): a background runner beside the workers, kept alive, stopped with them."""

import importlib
import sys
import time

import pytest

from app import serving


class _Server:
    class log:
        @staticmethod
        def info(*args):
            pass


@pytest.fixture
def fresh_serving(monkeypatch):
    """The settings module as gunicorn loads it, under the environment the test sets."""

    def load(**environment):
        for name in ("CELERY_BROKER_URL",):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(serving)

    yield load
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    importlib.reload(serving)


def test_the_workers_are_told_a_runner_does_the_background_work(fresh_serving):
    settings = fresh_serving()
    assert settings.raw_env == ["FLASK_BACKGROUND_RUNNER=1"]
    assert settings.runner_command()[-4:] == ["--app", "app", "background", "run"]


def test_with_celery_configured_no_runner_is_started_and_workers_hand_work_to_celery(fresh_serving, monkeypatch):
    settings = fresh_serving(CELERY_BROKER_URL="redis://127.0.0.1:6379/1")
    started = []
    monkeypatch.setattr(settings.Runner, "start", lambda self: started.append(self))
    settings.when_ready(_Server())
    assert settings.raw_env == [] and started == []


def test_the_runner_starts_when_the_server_is_ready_and_stops_with_it(fresh_serving, monkeypatch):
    settings = fresh_serving()
    monkeypatch.setattr(settings, "runner_command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    settings.when_ready(_Server())
    process = settings._runner.process
    assert process.poll() is None
    settings.on_exit(_Server())
    assert process.poll() is not None


def test_a_runner_that_stops_is_started_again(monkeypatch):
    monkeypatch.setattr(serving, "RESTART_PAUSE", 0.05)
    runner = serving.Runner([sys.executable, "-c", "pass"])
    runner.start()
    first = runner.process
    deadline = time.monotonic() + 20
    while runner.process is first and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert runner.process is not first
    finally:
        runner.stop()


def test_each_worker_leaves_what_it_loaded_at_start_up_out_of_full_collections(monkeypatch):
    calls = []
    monkeypatch.setattr(serving.gc, "collect", lambda *args: calls.append("collect"))
    monkeypatch.setattr(serving.gc, "freeze", lambda: calls.append("freeze"))
    serving.post_worker_init(worker=None)
    assert calls == ["collect", "freeze"]


def test_the_bare_apps_of_the_benchmark_get_the_same_worker_hook_from_gunicorn_conf():
    from pathlib import Path

    settings = {}
    exec(Path(__file__).parents[1].joinpath("gunicorn.conf.py").read_text(), settings)  # noqa: S102 - our own file
    assert settings["post_worker_init"] is serving.post_worker_init
