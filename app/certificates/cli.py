"""`flask certificates keys|rotate-key|regenerate`: the issuer's keys and bulk PDF work from the command line."""

import click
from flask.cli import AppGroup

from app.extensions import db

certificates_cli = AppGroup("certificates", help="Signing keys and certificate PDFs.")


@certificates_cli.command("keys")
def list_keys():
    """List the signing keys; the active one signs new certificates, the others still verify old ones."""
    from app.certificates.signing import issuer

    ring = issuer.keyring()
    for key in ring.keys:
        marker = "active " if key.kid == ring.active.kid else "retired"
        click.echo(f"{marker}  {issuer.verification_method(key)}  created {key.created_at:%Y-%m-%d}")


@certificates_cli.command("rotate-key")
def rotate_key():
    """Create a new active signing key. Old keys stay published, so every certificate still verifies.

    Running app processes notice the new key at their next signature; nothing needs restarting."""
    from app.certificates.signing import issuer

    key = issuer.keyring().rotate()
    click.echo(f"new active key: {issuer.verification_method(key)}")


@certificates_cli.command("regenerate")
@click.argument("certificate_type", type=click.Choice(["induction", "trainer", "governor", "citizen", "business"]))
def regenerate(certificate_type):
    """Redraw the stored PDFs of one type with the current template, here and now."""
    from app.certificates import jobs
    from app.certificates.models import RegenerationJob

    job = RegenerationJob(type=certificate_type)
    db.session.add(job)
    db.session.commit()
    jobs.run(job.id)
    job = db.session.get(RegenerationJob, job.id)
    click.echo(f"{job.status}: {job.done} of {job.total} certificates")
    if job.status != "finished":
        raise click.ClickException(job.error or "failed")


@certificates_cli.command("demo")
def demo():
    """Issue the demo certificates (a citizen's and a company's) for the demo accounts, if missing."""
    from flask import current_app

    from app.certificates import addresses, finishing
    from app.certificates.demo import create_demo_certificates

    with current_app.test_request_context():
        issued = create_demo_certificates()
        db.session.commit()
    # Signed and drawn here rather than left to the worker, so they can be downloaded at once.
    for certificate in issued:
        finishing.finish(certificate.id)
        click.echo(f"Demo certificate for {certificate.holder_name}: {addresses.verification_url(certificate.serial)}")
