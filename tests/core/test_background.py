"""The background runner: passes over registered work, survives a failing kind, yields the CPU, stops cleanly."""

import os
import subprocess
import sys
import threading

import pytest

from app.core import background


@pytest.fixture
def only(monkeypatch):
    """Replace the registered work with the functions given, for one test."""

    def install(*functions):
        monkeypatch.setattr(background, "_work", list(functions))

    return install


def test_a_pass_adds_up_what_every_kind_of_work_did(app, only):
    only(lambda: 2, lambda: 0, lambda: 1)
    with app.app_context():
        assert background.run_once() == 3


def test_one_kind_of_work_failing_does_not_stop_the_others(app, only, caplog):
    def broken():
        raise RuntimeError("disk full")

    only(broken, lambda: 1)
    with app.app_context():
        assert background.run_once() == 1
    assert "background work" in caplog.text and "disk full" in caplog.text


def test_certificates_still_to_sign_are_registered_work():
    from app.certificates import finishing

    assert finishing.finish_pending in background._work


def test_the_runner_waits_after_an_empty_pass_and_stops_when_told(app, only, monkeypatch):
    passes, stop = [], threading.Event()

    def count_and_stop_after_three():
        passes.append(1)
        if len(passes) == 3:
            stop.set()
        return 0

    only(count_and_stop_after_three)
    monkeypatch.setattr(background, "lower_priority", lambda: None)
    waits = []
    real_wait = stop.wait
    monkeypatch.setattr(stop, "wait", lambda seconds: waits.append(seconds) or real_wait(0))
    background.run_forever(app, pause=0.5, stop=stop)
    assert len(passes) == 3 and waits == [0.5, 0.5, 0.5]


def test_the_runner_does_not_wait_while_there_is_work_left(app, only, monkeypatch):
    stop, queue = threading.Event(), [1, 1, 0]

    def work():
        done = queue.pop(0)
        if not queue:
            stop.set()
        return done

    only(work)
    monkeypatch.setattr(background, "lower_priority", lambda: None)
    waits = []
    monkeypatch.setattr(stop, "wait", lambda seconds: waits.append(seconds))
    background.run_forever(app, pause=0.5, stop=stop)
    # Two busy passes back to back; only the empty one is followed by a pause.
    assert waits == [0.5]


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_runner_runs_only_when_the_cpu_has_nothing_else_to_do():
    probe = (
        "import os; from app.core.background import lower_priority; lower_priority(); "
        "print(os.sched_getscheduler(0) == os.SCHED_IDLE)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "True"


def test_flask_background_run_once_reports_what_it_did(runner, only):
    only(lambda: 4)
    result = runner.invoke(args=["background", "run", "--once"])
    assert result.exit_code == 0 and "4 items done" in result.output
