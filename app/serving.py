"""gunicorn settings for serving the academy: gunicorn --config python:app.serving 'app:create_app()'.

`make run` (through the Procfile) and `make bench` serve with them. Background work is not gunicorn's
business: the task worker (`huey_consumer app.worker.huey`) is a process of its own beside it.
"""

import gc


def post_worker_init(worker) -> None:
    """Leave the loaded application out of the garbage collector's full passes.

    The modules, routes, templates and metadata loaded at start-up live as long as the worker, yet
    every full collection walked all of them again: tens of milliseconds, landing on whichever
    request happened to be running.
    """
    gc.collect()
    gc.freeze()
