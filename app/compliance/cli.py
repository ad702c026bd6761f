"""`flask compliance roster ORG_CODE FILE [--commit]`: the roster import for HR staff and their scripts."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db

compliance_cli = AppGroup("compliance", help="Rosters, due dates and compliance with the induction.")


@compliance_cli.command("roster")
@click.argument("org_code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commit", is_flag=True, help="Import the roster; without it, only say what would change.")
@click.option(
    "--language", type=click.Choice(["es", "en"]), default="es", show_default=True, help="Language of the messages."
)
def roster(org_code, file, commit, language):
    """Check a roster (CSV or XLSX) for an organisation; exit status 1, one line per error, when it has errors."""
    from app.compliance import imports
    from app.organisations import queries

    organisation = queries.get_by_code(org_code)
    if organisation is None:
        raise click.ClickException(f"no organisation has the code {org_code!r}")
    with force_locale(language):
        plan = imports.plan_import(organisation, file.read_bytes(), file.name)
        for error in plan.errors:
            click.echo(_error_line(error), err=True)
    counts = f"new {len(plan.new)}, changed {len(plan.changed)}, leaving {len(plan.leaving)}, unchanged {len(plan.unchanged)}"
    if plan.errors:
        click.echo(f"{len(plan.errors)} errors; nothing imported ({counts})", err=True)
        raise SystemExit(1)
    if not commit:
        click.echo(f"dry run: {counts}; run again with --commit to import")
        return
    imports.commit_import(organisation, plan)
    db.session.commit()
    click.echo(f"imported: {counts}")


def _error_line(error) -> str:
    if error.row is None:
        return str(error.message)
    if error.column is None:
        return _("Row %(row)s: %(message)s", row=error.row, message=error.message)
    return _("Row %(row)s, column %(column)s: %(message)s", row=error.row, column=error.column, message=error.message)
