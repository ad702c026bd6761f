"""Academia de Integridad: the Flask application factory."""

from flask import Flask

from app import config as default_config
from app.core.setup import (
    configure_database,
    configure_extensions,
    configure_logging,
    load_configuration,
    register_blueprints,
    register_cli,
    register_request_hooks,
)


class AcademyFlask(Flask):
    """Flask, with what ensure_sync decides kept per function.

    Flask asks whether each hook, view and error handler is a coroutine function every time it calls
    one, about ten times a request, and the answer never changes for a given function.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_callables = {}

    def ensure_sync(self, func):
        try:
            return self._sync_callables[func]
        except KeyError:
            wrapped = self._sync_callables[func] = super().ensure_sync(func)
            return wrapped
        except TypeError:  # an unhashable callable: decided each time, as Flask does
            return super().ensure_sync(func)


def create_app(config=None):
    """Build the application; *config* (a mapping) overrides every other source, as tests do."""
    app = AcademyFlask(__name__, instance_relative_config=True)
    load_configuration(app, default_config, config)
    configure_logging(app)
    configure_database(app)
    configure_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_cli(app)
    return app
