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


@users_cli.command("rotate-totp-key")
@click.option("--drop-old", is_flag=True, help="Then remove the old keys from the key file.")
def rotate_totp_key(drop_old):
    """Encrypt every TOTP secret again under a new key, in one transaction.

    With the key file (instance/totp-keys) the command writes the new key first in it; running app
    processes read the file at each use, so nothing needs restarting. With TOTP_ENCRYPTION_KEYS, first
    prepend a new key to the variable and restart the app with it, then run this command.
    """
    from app.accounts import mfa, totp_keys

    from_environment = totp_keys.keys_from_environment()
    if from_environment and len(totp_keys.current_keys()) < 2:
        raise click.ClickException(
            "TOTP_ENCRYPTION_KEYS holds a single key. Prepend a new one (comma-separated, newest first), "
            "restart the app with it, then run this command again. Make a key with: python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    if not from_environment:
        totp_keys.add_key()
    try:
        count = mfa.reencrypt_totp_secrets()
    except totp_keys.TotpKeyError as exc:
        db.session.rollback()
        raise click.ClickException(f"no secret was changed: {exc}") from exc
    db.session.commit()
    click.echo(f"TOTP secrets re-encrypted under the newest key: {count}")
    if not drop_old:
        return
    if from_environment:
        click.echo("Now remove the old keys from TOTP_ENCRYPTION_KEYS and restart the app.")
        return
    # A request that read the keys just before the new one was written may have stored a secret under
    # an old key since; a second pass catches it before those keys are forgotten.
    mfa.reencrypt_totp_secrets()
    db.session.commit()
    dropped = totp_keys.drop_old_keys()
    click.echo(f"Old keys removed from {totp_keys.key_file()}: {dropped}")


@demo_cli.command("seed")
@click.option("--if-new", is_flag=True, help="Do nothing when the database already has accounts.")
@click.option("--quiet", is_flag=True, help="Keep the passwords for `flask demo show` instead of printing them.")
def seed(if_new, quiet):
    """Create one demo account per role; print their passwords and keep them for `flask demo show`."""
    from app.accounts import demo

    if if_new and demo.database_has_accounts():
        click.echo("Database already has accounts; demo set not created.")
        return
    credentials = demo.create_demo_set()
    db.session.commit()
    path = demo.save_credentials(credentials)
    click.echo(f"Demo set created: {len(credentials)} accounts, their passwords kept in {path}")
    if not quiet:
        click.echo(demo_table(credentials))


def demo_table(credentials: list[tuple[str, str, str]]) -> str:
    """The demo accounts as one table: what to type at the sign-in page."""
    lines = [f" {'ROLE':<18} {'E-MAIL':<42} PASSWORD"]
    lines += [f" {role:<18} {email:<42} {password}" for role, email, password in credentials]
    lines.append(" Staff roles (sip_admin, integrity_officer, advisor) set up a second factor with an")
    lines.append(" authenticator app at first sign-in.")
    return "\n".join(lines)
