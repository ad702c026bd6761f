"""Rate-limit counters in the worker's memory, without the thread that limits' own memory storage runs.

limits' `memory://` storage purges expired counters from a `threading.Timer` that fires 10 ms after a
hit and is started again by the next hit once it has fired. Under load that is a new thread every
10 ms or so in each web worker, and every one of them takes the GIL from the request being served:
the rate-limited public verification page lost about a fifth of its throughput to it, and its slowest
requests waited for those hand-overs.

The counters never needed the thread for being right: a fixed-window counter is checked against its
own expiry when it is read, and a moving window only counts the entries inside it. The purge only
keeps memory bounded, so here it runs inline, at most once per `SWEEP_SECONDS`, in the request that
finds it due. Selected with `RATELIMIT_STORAGE_URI = "memory-swept://"` (the default when no Redis is
configured); a deployment with several servers uses Redis instead, where none of this applies.
"""

import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["memory-swept"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # The parent starts one timer at construction; nothing here needs it.
        self.timer.cancel()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    # The parent's private hook, overridden by its mangled name: every counting method calls it.
    # tests/core/test_ratelimit_storage.py fails if a new release of limits stops doing so.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.timer.cancel()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
