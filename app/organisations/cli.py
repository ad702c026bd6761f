"""`flask organisations …`: reference data."""

import click
from flask.cli import AppGroup

from app.extensions import db

organisations_cli = AppGroup("organisations", help="Organisations and reference data.")


@organisations_cli.command("load-reference")
def load_reference():
    """Create or update the SIP, the 25 regional governments and Lima Metropolitana (idempotent)."""
    from app.organisations.services import load_reference_data

    created = load_reference_data()
    db.session.commit()
    click.echo(f"Reference organisations loaded ({created} new).")
