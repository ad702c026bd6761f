"""Gunicorn reads this file from the directory it starts in; command-line options still win."""

import gc


def post_worker_init(worker):
    """Leave the loaded application out of the garbage collector's full passes.

    The modules, routes, templates and metadata loaded at start-up live as long as the worker, yet
    every full collection walked all of them again: tens of milliseconds, landing on whichever
    request happened to be running.
    """
    gc.collect()
    gc.freeze()
