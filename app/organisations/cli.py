"""`flask organisations …` and `flask demo …`."""

import click
from flask.cli import AppGroup

from app.extensions import db

organisations_cli = AppGroup("organisations", help="Organisations and reference data.")
demo_cli = AppGroup("demo", help="The demonstration data set.")


@organisations_cli.command("load-reference")
def load_reference():
    """Create or update the SIP, the 25 regional governments and Lima Metropolitana (idempotent)."""
    from app.organisations.services import load_reference_data

    created = load_reference_data()
    db.session.commit()
    click.echo(f"Reference organisations loaded ({created} new).")


@demo_cli.command("seed")
@click.option("--if-new", is_flag=True, help="Do nothing when the database already has accounts.")
def seed(if_new):
    """Create one demo account per role and print their passwords (shown only this once)."""
    from app.organisations import demo

    if if_new and demo.database_has_accounts():
        click.echo("Database already has accounts; demo set not created.")
        return
    credentials = demo.create_demo_set()
    db.session.commit()
    click.echo("")
    click.echo("=" * 72)
    click.echo(" DEMO ACCOUNTS — for trying the platform only; these passwords are shown once")
    click.echo("=" * 72)
    for role, email, password in credentials:
        click.echo(f" {role:<18} {email:<42} {password}")
    click.echo(" Staff roles (sip_admin, integrity_officer, advisor) will set up a second factor")
    click.echo(" with an authenticator app at first sign-in.")
    click.echo("=" * 72)
