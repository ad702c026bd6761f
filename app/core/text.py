"""Cleaning of what people type: names, titles, answers, e-mail addresses."""

import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

# Bidirectional overrides can make a name display as something else; they are never needed here.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def clean_line(value: str | None) -> str:
    """One line of text: NFC-normalised, control and bidi-override characters removed, spaces collapsed."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    kept = [
        " " if ch in "\t\r\n" else ch
        for ch in value
        if ch in "\t\r\n" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    ]
    return " ".join("".join(kept).split())


class InvalidEmail(ValueError):
    """Not an e-mail address; the message is shown to the person who typed it."""


def normalise_email(raw: str) -> str:
    """Lower-cased, syntax-checked address; raises InvalidEmail with a translated message."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(_("Enter an e-mail address like nombre@ejemplo.pe.")) from exc
    return result.normalized.lower()
