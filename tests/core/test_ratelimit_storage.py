"""Rate-limit counters kept in memory without a thread per hit, still counting and still expiring."""

import threading

import pytest
from limits import RateLimitItemPerSecond, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from app.core import ratelimit_storage
from app.core.ratelimit_storage import SweptMemoryStorage
from app.extensions import limiter


@pytest.fixture
def storage():
    return storage_from_string("memory-swept://")


def test_the_app_counts_its_limits_in_the_swept_storage_by_default(app):
    with app.app_context():
        assert isinstance(limiter.limiter.storage, SweptMemoryStorage)


def test_a_hit_starts_no_thread(storage, monkeypatch):
    started = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread) or real_start(thread))
    limiter_ = FixedWindowRateLimiter(storage)
    for _ in range(50):
        limiter_.hit(parse("1000 per minute"), "verify", "203.0.113.9")
    assert started == []


def test_a_fixed_window_still_refuses_past_its_limit_and_is_per_address(storage):
    limiter_ = FixedWindowRateLimiter(storage)
    three_a_minute = parse("3 per minute")
    assert [limiter_.hit(three_a_minute, "verify", "203.0.113.9") for _ in range(4)] == [True, True, True, False]
    assert limiter_.hit(three_a_minute, "verify", "198.51.100.7")


def test_a_window_that_has_passed_counts_from_zero_again_without_waiting_for_a_sweep(storage, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("time.time", lambda: clock[0])
    limiter_ = FixedWindowRateLimiter(storage)
    one_a_second = RateLimitItemPerSecond(1)
    assert limiter_.hit(one_a_second, "login", "203.0.113.9")
    assert not limiter_.hit(one_a_second, "login", "203.0.113.9")
    clock[0] += 1.5
    assert limiter_.hit(one_a_second, "login", "203.0.113.9")


def test_a_moving_window_still_refuses_past_its_limit(storage):
    limiter_ = MovingWindowRateLimiter(storage)
    two_a_minute = parse("2 per minute")
    assert [limiter_.hit(two_a_minute, "reset", "203.0.113.9") for _ in range(3)] == [True, True, False]


def test_expired_counters_are_swept_out_of_memory_once_a_sweep_is_due(storage, monkeypatch):
    clock = [1_000_000.0]
    monotonic = [500.0]
    monkeypatch.setattr("time.time", lambda: clock[0])
    monkeypatch.setattr(ratelimit_storage.time, "monotonic", lambda: monotonic[0])
    storage._next_sweep = monotonic[0] + ratelimit_storage.SWEEP_SECONDS
    limiter_ = FixedWindowRateLimiter(storage)
    for address in range(100):
        limiter_.hit(RateLimitItemPerSecond(5), "verify", f"203.0.113.{address}")
    assert len(storage.storage) == 100
    clock[0] += 2
    monotonic[0] += ratelimit_storage.SWEEP_SECONDS
    limiter_.hit(RateLimitItemPerSecond(5), "verify", "198.51.100.7")
    assert len(storage.storage) == 1 and "198.51.100.7" in next(iter(storage.storage))
