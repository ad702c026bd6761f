"""`flask courses validate|sync|export|import`: course packages from the command line."""

import shutil
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

courses_cli = AppGroup("courses", help="Validate, load, export and import course packages.")


@courses_cli.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings (answers learners can guess) as on problems.")
def validate(path, strict):
    """Check PATH (one package, or a folder of packages; default: the courses folder)."""
    from app.catalog import content

    path = path or Path(current_app.config["COURSE_CONTENT_DIR"])
    findings = content.audit_package(path) if (path / "course.yaml").is_file() else content.audit_tree(path)
    for problem in findings.problems:
        click.echo(str(problem), err=True)
    for warning in findings.warnings:
        click.echo(f"{warning.path}:{warning.line}: warning: {warning.message}", err=True)
    warned = f", {len(findings.warnings)} warning(s)" if findings.warnings else ""
    if findings.problems:
        raise click.ClickException(f"{len(findings.problems)} problem(s) found{warned}")
    if strict and findings.warnings:
        raise click.ClickException(f"{len(findings.warnings)} warning(s) found, and --strict fails on warnings")
    click.echo(f"{path}: no problems found{warned}")


@courses_cli.command("sync")
def sync():
    """Load every package of the courses folder; a changed package becomes a new version."""
    from app.catalog import services

    root = Path(current_app.config["COURSE_CONTENT_DIR"])
    try:
        report = services.sync_tree(root)
    except services.SyncRefused as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"nothing loaded: {len(exc.problems)} problem(s) found") from exc
    db.session.commit()
    click.echo(
        f"created: {len(report.created)}, new versions: {len(report.updated)}, unchanged: {len(report.unchanged)}"
    )


@courses_cli.command("export")
@click.argument("slug")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Zip file to write.")
def export(slug, output):
    """Write a zip of the package SLUG."""
    from app.catalog import content

    folder = Path(current_app.config["COURSE_CONTENT_DIR"]) / slug
    if not (folder / "course.yaml").is_file():
        raise click.ClickException(f"no course package named {slug!r}")
    output = output or Path(f"{slug}.zip")
    output.write_bytes(content.export_archive(folder))
    click.echo(f"wrote {output}")


@courses_cli.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_archive(archive):
    """Validate and load a zipped package, refusing unsafe archives; it is added to the courses folder."""
    from app.catalog import content, services

    root = Path(current_app.config["COURSE_CONTENT_DIR"])
    with tempfile.TemporaryDirectory() as scratch:
        try:
            folder = content.extract_archive(archive.read_bytes(), Path(scratch))
        except content.UnsafeArchive as exc:
            raise click.ClickException(f"refused: {exc}") from exc
        problems = content.validate_package(folder)
        for problem in problems:
            click.echo(str(problem), err=True)
        if problems:
            raise click.ClickException(f"refused: {len(problems)} problem(s) found")
        version, outcome = services.sync_package(content.load_package(folder))
        target = root / folder.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(folder, target)
    db.session.commit()
    click.echo(f"{folder.name}: {outcome} (version {version.number})")
