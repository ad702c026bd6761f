"""`flask users …`: bootstrap and maintenance of accounts from the command line."""

import secrets

import click
from flask.cli import AppGroup

from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


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
