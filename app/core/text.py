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
    """The one written form of an address: how an account's address is stored and looked up, and what
    every per-account limit counts by. Raises InvalidEmail with a translated message.

    Different spellings of one mailbox must meet here, or each would be a fresh start against a limit
    (or a second account): compatibility forms such as fullwidth letters become plain ones (NFKC), the
    domain's root dot ("example.pe.") is dropped, and the whole address is lower-cased.
    """
    candidate = unicodedata.normalize("NFKC", raw or "").strip()
    if candidate.endswith(".") and "@" in candidate:
        candidate = candidate[:-1]
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(_("Enter an e-mail address like nombre@ejemplo.pe.")) from exc
    return result.normalized.lower()


def email_identity(raw: str) -> str:
    """What a typed address counts as for per-account limits and the security log: its normalised form,
    or, when it is not an address (and so reaches no account), the text itself made comparable."""
    try:
        return normalise_email(raw)
    except InvalidEmail:
        return unicodedata.normalize("NFKC", raw or "").strip().lower()[:254]
