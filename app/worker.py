"""The task worker's entry point: `huey_consumer app.worker.huey` (see the Procfile).

Building the application configures the queue's storage from the same settings as the web processes
and loads every domain's tasks.
"""

from app import create_app
from app.tasks import huey

application = create_app()

__all__ = ["application", "huey"]
