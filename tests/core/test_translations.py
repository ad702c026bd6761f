"""The catalogues are complete: nothing untranslated or fuzzy, and extraction is up to date."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.core.cli import extract_catalogue
from app.factory import PROJECT_ROOT

LANGUAGES = ("es", "en")


def _catalogue(language):
    with (PROJECT_ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module")
def extracted_catalogue(tmp_path_factory):
    output = Path(tmp_path_factory.mktemp("pot")) / "messages.pot"
    extract_catalogue(output)
    with output.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted(extracted_catalogue):
    return {m.id if isinstance(m.id, str) else m.id[0] for m in extracted_catalogue if m.id}


def test_every_template_with_text_is_extracted(extracted_catalogue):
    """The Jinja extractor skips a template it cannot parse without a word; catch that here."""
    located = {path for message in extracted_catalogue for path, _ in message.locations}
    templates = [
        p.relative_to(PROJECT_ROOT) for p in (PROJECT_ROOT / "app").rglob("*.html") if "{% trans" in p.read_text()
    ]
    missing = sorted(str(p) for p in templates if str(p) not in located)
    assert templates
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    problems = []
    for message in _catalogue(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalogue(language, extracted):
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(language) if m.id}
    missing = sorted(extracted - known)
    assert missing == [], "run `flask translate update` and translate the new messages"


def test_committed_template_matches_the_code(extracted):
    with (PROJECT_ROOT / "translations" / "messages.pot").open("rb") as handle:
        committed = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert committed == extracted


def test_spanish_placeholders_match_the_source(language="es"):
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    mismatched = []
    for message in _catalogue(language):
        if not message.id or isinstance(message.id, tuple):
            continue
        if set(pattern.findall(message.id)) != set(pattern.findall(message.string)):
            mismatched.append(message.id)
    assert mismatched == []
