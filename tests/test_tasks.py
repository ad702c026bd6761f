"""The task queue (app/tasks.py): the same tasks on an SQLite file, on Redis, or in memory for the tests."""

import pytest
import redis
from flask import current_app
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from app import tasks
from app.tasks import huey, run_queued_tasks

ran = []


@tasks.task()
def remember_the_app(word: str) -> None:
    """A task that records that it ran, and in an application's context."""
    ran.append((word, current_app.name))


@pytest.fixture
def queue(app):
    """The queue configured as *config* says; the suite's own again afterwards."""

    def configure(**config):
        saved = {key: app.config.get(key) for key in config}
        app.config.update(config)
        try:
            tasks.configure(app)
        finally:
            app.config.update(saved)
        huey.flush()
        return huey.storage

    ran.clear()
    yield configure
    huey.flush()
    tasks.configure(app)


def test_without_redis_tasks_wait_in_an_sqlite_file(queue, tmp_path):
    storage = queue(HUEY_STORAGE="", REDIS_URL="", HUEY_SQLITE_PATH=str(tmp_path / "tasks.db"))
    assert isinstance(storage, SqliteStorage) and (tmp_path / "tasks.db").exists()
    remember_the_app("sqlite")
    assert huey.pending_count() == 1
    assert run_queued_tasks() == 1
    assert ran == [("sqlite", "app")]


def _redis_is_reachable(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.mark.skipif(not _redis_is_reachable(REDIS_URL), reason="needs the machine's Redis")
def test_with_redis_url_the_same_tasks_go_through_redis(queue):
    storage = queue(HUEY_STORAGE="", REDIS_URL=REDIS_URL)
    assert isinstance(storage, RedisStorage)
    remember_the_app("redis")
    assert huey.pending_count() == 1
    assert run_queued_tasks() == 1
    assert ran == [("redis", "app")]


def test_the_tests_keep_tasks_in_memory_until_they_run_them(queue):
    assert isinstance(queue(HUEY_STORAGE="memory"), MemoryStorage)
    remember_the_app("memory")
    assert ran == []
    assert run_queued_tasks() == 1 and run_queued_tasks() == 0
    assert ran == [("memory", "app")]


def test_a_task_run_outside_any_request_gets_the_configured_apps_context(queue):
    queue(HUEY_STORAGE="memory")
    remember_the_app.call_local("worker")
    assert ran == [("worker", "app")]
