"""gunicorn settings for serving the academy: gunicorn --config python:app.serving 'app:create_app()'.

`make run` and `make bench` serve with them. Beside the web workers, the master starts the background
runner (`flask background run`, app.core.background) and tells the workers it exists, so they leave
deferred work (signing and drawing new certificates) to that one low-priority process instead of a
thread that would compete with their pages for the GIL. If the runner stops, the master starts it
again. With CELERY_BROKER_URL set, Celery workers do that work and no runner is started.
"""

import gc
import logging
import os
import subprocess
import sys
import threading

log = logging.getLogger("gunicorn.error")
RESTART_PAUSE = 5.0
_celery_does_background_work = bool(os.environ.get("CELERY_BROKER_URL"))

# gunicorn sets these in the master's environment, which the workers inherit.
raw_env = [] if _celery_does_background_work else ["FLASK_BACKGROUND_RUNNER=1"]


class Runner:
    """The background runner's process, kept running until the server stops."""

    def __init__(self, command: list[str]):
        self.command = command
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        # Held while starting or stopping, so a restart never races the server's own stop.
        self.lock = threading.Lock()
        self.watcher: threading.Thread | None = None

    def start(self) -> None:
        self.process = self._spawn()
        self.watcher = threading.Thread(target=self._watch, name="background-runner-watch", daemon=True)
        self.watcher.start()

    def stop(self, timeout: float = 30.0) -> None:
        with self.lock:
            self.stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(self.command)  # noqa: S603 - our own interpreter and module, no input

    def _watch(self) -> None:
        while not self.stopping.is_set():
            code = self.process.wait()
            if self.stopping.is_set() or self.stopping.wait(RESTART_PAUSE):
                return
            with self.lock:
                if self.stopping.is_set():
                    return
                log.warning("the background runner stopped (exit code %s); starting it again", code)
                self.process = self._spawn()


_runner: Runner | None = None


def runner_command() -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "app", "background", "run"]


def when_ready(server) -> None:
    global _runner
    if _celery_does_background_work:
        return
    _runner = Runner(runner_command())
    _runner.start()
    server.log.info("background runner started (process %s)", _runner.process.pid)


def post_worker_init(worker) -> None:
    """Leave the loaded application out of the garbage collector's full passes.

    The modules, routes, templates and metadata loaded at start-up live as long as the worker, yet
    every full collection walked all of them again: tens of milliseconds, landing on whichever
    request happened to be running.
    """
    gc.collect()
    gc.freeze()


def on_exit(server) -> None:
    if _runner is not None:
        _runner.stop()
