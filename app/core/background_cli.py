"""`flask background run`: the background runner (app.core.background) in the foreground of a terminal."""

import click
from flask import current_app
from flask.cli import AppGroup

background_cli = AppGroup("background", help="Deferred work: signing and drawing new certificates.")


@background_cli.command("run")
@click.option("--pause", default=1.0, show_default=True, help="Seconds to wait after a pass that found nothing.")
@click.option("--once", is_flag=True, help="Do one pass over what is pending, then stop.")
def run(pause, once):
    """Do pending background work until stopped (SIGTERM or Ctrl+C)."""
    from app.core import background

    app = current_app._get_current_object()
    if once:
        click.echo(f"{background.run_once()} items done")
        return
    background.run_forever(app, pause=pause)
