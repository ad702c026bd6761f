"""`flask demo show`: the last thing `make run` prints — the address to open, the demo accounts and the
demo certificates, whichever run of `make run` made them. It knows two domains, so it lives beside the factory."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("show")
@with_appcontext
def show():
    """Print the address to open, the demo accounts and the demo certificates' verification links."""
    from app.accounts.cli import demo_table
    from app.accounts.demo import saved_credentials
    from app.certificates import addresses
    from app.certificates.demo import demo_certificates

    rule = "=" * 78
    click.echo(rule)
    click.echo(f" Academia de Integridad: open {current_app.config['BASE_URL']}/   (Ctrl+C stops it)")
    credentials = saved_credentials()
    if credentials:
        click.echo(" DEMO ACCOUNTS — made-up data, for trying the platform on this machine only")
        click.echo(demo_table(credentials))
    for certificate in demo_certificates():
        click.echo(f" Demo certificate ({certificate.holder_name}):")
        click.echo(f"   {addresses.verification_url(certificate.serial)}")
    click.echo(rule)
