"""`flask users …` and `flask demo …`: bootstrap and maintenance of accounts from the command line."""

import secrets

import click
from flask.cli import AppGroup

from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="The demonstration data set.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrador SIP", show_default=True, help="Display name.")
def create_admin(email, name):
    """Create a verified SIP administrator and print a one-time password (change it at first sign-in)."""
    from app.accounts import passwords, services
    from app.accounts.models import User
    from app.core.models import utcnow
    from app.organisations import queries, roles
    from app.organisations import services as organisation_services

    email = services.normalise_email(email)
    if services.find_user_by_email(email):
        raise click.ClickException(f"an account with {email} already exists")
    password = secrets.token_urlsafe(12)
    user = User(
        email=email, display_name=name, password_hash=passwords.hash_password(password), email_verified_at=utcnow()
    )
    db.session.add(user)
    db.session.flush()
    organisation_services.grant_role(actor=None, user=user, organisation=queries.get_sip(), role=roles.SIP_ADMIN)
    db.session.commit()
    click.echo(f"SIP administrator {email} created. One-time password: {password}")
    click.echo("Sign in, change the password and set up the second factor.")


@demo_cli.command("seed")
@click.option("--if-new", is_flag=True, help="Do nothing when the database already has accounts.")
def seed(if_new):
    """Create one demo account per role and print their passwords (shown only this once)."""
    from app.accounts import demo

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
