"""The task worker's entry point: `huey_consumer app.worker.huey` (see the Procfile).

Building the application configures the queue's storage from the same settings as the web processes
and loads every domain's tasks.
"""

import logging

from app import create_app
from app.tasks import huey

application = create_app()
# huey_consumer gives its logger a handler of its own; through the root one too, every line came twice.
logging.getLogger("huey").propagate = False

__all__ = ["application", "huey"]
