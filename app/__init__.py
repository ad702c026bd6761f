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


def create_app(config=None):
    """Build the application; *config* (a mapping) overrides every other source, as tests do."""
    app = Flask(__name__, instance_relative_config=True)
    load_configuration(app, default_config, config)
    configure_logging(app)
    configure_database(app)
    configure_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_cli(app)
    return app
