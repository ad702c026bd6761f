"""`flask translate …`: the Babel catalogue workflow in one place."""

import subprocess
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

PROJECT_ROOT = Path(__file__).resolve().parents[2]
translate_cli = AppGroup("translate", help="Extract, update and compile the message catalogues.")
TRANSLATIONS = PROJECT_ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"


@translate_cli.command("extract")
def extract():
    """Write translations/messages.pot from the code and templates."""
    extract_catalogue(TEMPLATE)


@translate_cli.command("update")
def update():
    """Extract, merge the new strings into every catalogue, and fill the English one."""
    extract_catalogue(TEMPLATE)
    _pybabel("update", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")
    fill_source_language(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po")


@translate_cli.command("compile")
def compile_catalogues():
    """Compile the .po catalogues into the .mo files the app reads (not committed)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@translate_cli.command("init")
@click.argument("language")
def init(language):
    """Start a catalogue for LANGUAGE."""
    _pybabel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", language)


def extract_catalogue(output: Path):
    """Run pybabel extract with the project's babel.cfg; _l marks import-time strings."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--add-location=file",
        "--sort-by-file",
        "--omit-header",
        "--ignore-dirs",
        ".* _* node_modules instance translations",
        "-o",
        str(output),
        ".",
        cwd=PROJECT_ROOT,
    )


def fill_source_language(path: Path):
    """Messages are written in English, so the English catalogue is the identity translation."""
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    for message in catalogue:
        if not message.id:
            continue
        if message.pluralizable:
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalogue, sort_by_file=True)


def _pybabel(*arguments, cwd=None):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", *arguments], check=True, cwd=cwd)  # noqa: S603
