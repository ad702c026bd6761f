"""Rate limits: the `limits` library behind one decorator, counting in memory or in Redis (REDIS_URL).

A view declares its limits with @rate_limited; nothing else is limited, and no request pays for limits
it does not have. Over a limit, the request ends in a 429 whose page says to wait, with Retry-After;
the error handler (core.errors) records the breach in the audit log.
"""

import functools
import math
import time
from collections.abc import Callable

from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

_EXTENSION = "academy.rate_limits"


class RateLimits:
    """The counters of one application; the storage comes from RATELIMIT_STORAGE_URI, else REDIS_URL,
    else the worker's memory."""

    def init_app(self, app: Flask) -> None:
        uri = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
        app.extensions[_EXTENSION] = MovingWindowRateLimiter(storage_from_string(uri))

    def reset(self, app: Flask | None = None) -> None:
        """Forget every count (tests start each from zero)."""
        (app or current_app).extensions[_EXTENSION].storage.reset()


class RateLimitExceeded(TooManyRequests):
    """A 429 that remembers which limit was passed, for the audit log."""

    def __init__(self, *, scope: str, retry_after: int, audit_action: str | None):
        super().__init__(retry_after=retry_after)
        self.scope = scope
        self.audit_action = audit_action


def client_address() -> str:
    """The client's address as the app sees it (after ProxyFix, when configured)."""
    return request.remote_addr or "unknown"


def rate_limited(
    config_key: str,
    *,
    key: Callable[[], str] = client_address,
    scope: str | None = None,
    methods: tuple[str, ...] = ("POST",),
    audit_action: str | None = None,
):
    """Allow the view at most the limit set in config[*config_key]* ("30 per 10 minutes") per *key()*.

    Requests with other methods pass uncounted (a page shows its form freely; sending it is counted).
    *audit_action* names the audit event a breach records (the breach itself is always refused).
    """
    scope = scope or config_key

    def decorate(view):
        @functools.wraps(view)
        def limited(*args, **kwargs):
            if request.method in methods and current_app.config.get("RATELIMIT_ENABLED", True):
                _hit(config_key, scope, key(), audit_action)
            return view(*args, **kwargs)

        return limited

    return decorate


def _hit(config_key: str, scope: str, identity: str, audit_action: str | None) -> None:
    limiter: MovingWindowRateLimiter = current_app.extensions[_EXTENSION]
    item = _parsed(current_app.config[config_key])
    if limiter.hit(item, scope, identity):
        return
    reset_at = limiter.get_window_stats(item, scope, identity).reset_time
    retry_after = max(1, math.ceil(reset_at - time.time()))
    raise RateLimitExceeded(scope=scope, retry_after=retry_after, audit_action=audit_action)


@functools.cache
def _parsed(text: str):
    return parse(text)
