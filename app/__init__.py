"""Academia de Integridad: the Flask application factory."""

from flask import Flask

from app import config as default_config
from app import factory


def create_app(config=None):
    """Build the application; *config* (a mapping) overrides every other source, as tests do."""
    app = Flask(__name__, instance_relative_config=True)
    factory.load_configuration(app, default_config, config)
    factory.configure_logging(app)
    factory.configure_extensions(app)
    factory.register_blueprints(app)
    factory.register_request_hooks(app)
    factory.register_template_globals(app)
    factory.register_cli(app)
    factory.register_tasks(app)
    return app
