"""The Open Badges 3.0 copy of a certificate: built from the row, signed with the active key."""

import json
import secrets

from flask import current_app

from app.catalog.models import localised
from app.certificates import keyring, openbadges, types
from app.certificates.sheets import ISSUER_NAME, course_title, verification_url
from app.core.i18n import force_locale


def status_list_url(list_number: int) -> str:
    return f"{_base()}/certificates/status/{list_number}"


def new_identity_salt() -> str:
    return secrets.token_hex(16)


def signed(certificate, holder_identity: str) -> tuple[str, str]:
    """(The signed credential as stored, the key id) for a flushed row (its id places it in the status list)."""
    return sign(badge_facts(certificate, holder_identity))


def badge_facts(certificate, holder_identity: str) -> openbadges.BadgeFacts:
    """What the credential states, read from the row: plain data that can be signed after the transaction ends."""
    with force_locale(certificate.language):
        return openbadges.BadgeFacts(
            credential_id=verification_url(certificate.serial),
            issuer_did=keyring.issuer_did(),
            issuer_name=ISSUER_NAME,
            issuer_url=_base(),
            achievement_id=f"{_base()}/courses/{certificate.course.slug}",
            achievement_name=f"{types.heading(certificate.type)}: {course_title(certificate, certificate.language)}",
            achievement_description=localised(certificate.version.meta["summary"], certificate.language).strip(),
            criteria_narrative=str(types.CRITERIA[certificate.type]),
            achievement_type=types.ACHIEVEMENT_TYPES[certificate.type],
            hours=certificate.hours,
            holder_name=certificate.holder_name,
            holder_identity=holder_identity,
            identity_salt=certificate.identity_salt,
            language=certificate.language,
            valid_from=certificate.valid_from,
            valid_until=certificate.valid_until,
            status_list_url=status_list_url(certificate.status_list),
            status_index=certificate.status_index,
        )


def sign(facts: openbadges.BadgeFacts) -> tuple[str, str]:
    """(The signed credential as stored, the key id), signed with the active key; nothing is written."""
    key = keyring.keyring().active
    document = openbadges.sign(openbadges.build_credential(facts), key, keyring.verification_method(key))
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")), key.kid


def check(document) -> openbadges.Verification:
    return openbadges.verify(document, keyring.public_key_for)


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")
