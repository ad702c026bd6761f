"""The task queue: Huey, on an SQLite file under instance/ by default and on Redis when REDIS_URL is set.

Each domain declares its work in its own tasks.py with @task or @periodic_task; the same code runs
whichever storage is configured. Tasks run inside an application context and must be idempotent:
the database is the source of truth, so a periodic task can enqueue again whatever is still undone.

The worker process: `huey_consumer app.worker.huey` (see the Procfile).
"""

import functools
import os
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from app.extensions import db

__all__ = ["configure", "crontab", "huey", "periodic_task", "run_queued_tasks", "task"]

# Made unconfigured at import, because domains declare their tasks at import; configure() gives it the
# application's storage. Results are not kept: tasks record what they did in the database.
huey = Huey("academy", results=False, utc=True, storage_class=MemoryStorage)
_app: Flask | None = None


def configure(app: Flask) -> None:
    """Use the storage *app* is configured for; tasks run outside a request get *app*'s context."""
    global _app
    _app = app
    huey.storage = _storage(app)


def task(**options) -> Callable:
    """Declare a task: calling it enqueues it; the worker runs it inside the application's context."""

    def decorate(function):
        return huey.task(**options)(_in_app_context(function))

    return decorate


def periodic_task(schedule, **options) -> Callable:
    """Declare work the worker runs on *schedule* (a huey.crontab), inside the application's context."""

    def decorate(function):
        return huey.periodic_task(schedule, **options)(_in_app_context(function))

    return decorate


def run_queued_tasks() -> int:
    """Run every task waiting in the queue, in this process, as the worker would; how many ran.

    For tests and one-off commands: the worker is the usual way tasks run.
    """
    ran = 0
    while (queued := huey.dequeue()) is not None:
        huey.execute(queued)
        ran += 1
    return ran


def _storage(app: Flask):
    kind = app.config.get("HUEY_STORAGE") or ("redis" if app.config.get("REDIS_URL") else "sqlite")
    if kind == "memory":
        return MemoryStorage(huey.name)
    if kind == "redis":
        return RedisStorage(huey.name, url=app.config["REDIS_URL"])
    path = app.config.get("HUEY_SQLITE_PATH") or os.path.join(app.instance_path, "tasks.db")
    return SqliteStorage(huey.name, filename=path)


def _in_app_context(function: Callable) -> Callable:
    @functools.wraps(function)
    def in_app_context(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with (_app or current_app).app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return in_app_context
