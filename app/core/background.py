"""The background runner: one process beside the web workers that does deferred work found in the database.

Work is looked up, not handed over in memory, so whatever a stopped runner left pending is done on its
next pass, and web workers need not reach it. The runner lowers its own CPU priority (SCHED_IDLE, else
nice 19): on a machine the workers keep busy it waits, instead of slowing pages down, and catches up
when they are idle. Nothing it does is urgent: a download that needs the work done does it on the spot.

Started by the gunicorn settings in app/serving.py, or by hand with `flask background run`.
"""

import logging
import os
import signal
import threading
from collections.abc import Callable

from app.extensions import db

log = logging.getLogger("academy.background")
_work: list[Callable[[], int]] = []


def background_work(function: Callable[[], int]) -> Callable[[], int]:
    """Register *function*: it does one batch of pending work and returns how many items it did (0: none)."""
    _work.append(function)
    return function


def run_in_app_context(app, function: Callable, *args) -> None:
    """Run *function* on a thread of this process in an app context of its own, its session closed after."""
    with app.app_context():
        try:
            function(*args)
        finally:
            db.session.remove()


def run_once() -> int:
    """One pass over every kind of pending work; how many items were done. Needs an app context."""
    done = 0
    for function in _work:
        try:
            done += function()
        except Exception:
            db.session.rollback()
            log.exception("background work %s failed", function.__qualname__)
        finally:
            db.session.remove()
    return done


def run_forever(app, *, pause: float = 1.0, stop: threading.Event | None = None) -> None:
    """Pass after pass until *stop* is set or SIGTERM arrives; waits *pause* seconds after a pass with nothing to do."""
    stop = stop or _stop_on_sigterm()
    lower_priority()
    log.info("background runner started (process %s)", os.getpid())
    with app.app_context():
        while not stop.is_set():
            if run_once() == 0:
                stop.wait(pause)


def lower_priority() -> None:
    """Run only when the CPU has nothing else to do (Linux), or at least after everything else."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        try:
            os.nice(19)
        except OSError:
            log.warning("the background runner could not lower its CPU priority")


def _stop_on_sigterm() -> threading.Event:
    """Finish the item in hand, then stop: a stop never interrupts a write (it would roll back anyway)."""
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
    return stop
