"""The Open Badges 3.0 copy of a certificate: built from the row, signed with the active key."""

import json
import secrets

from flask_babel import force_locale

from app.catalog.models import localised
from app.certificates import addresses, queries, types
from app.certificates.signing import issuer, openbadges


def new_identity_salt() -> str:
    return secrets.token_hex(16)


def signed(certificate, holder_identity: str) -> tuple[str, str]:
    """(The signed credential as stored, the key id) for a flushed row (its id places it in the status list)."""
    return sign(badge_facts(certificate, holder_identity))


def badge_facts(certificate, holder_identity: str) -> openbadges.BadgeFacts:
    """What the credential states, read from the row: plain data that can be signed after the transaction ends."""
    with force_locale(certificate.language):
        return openbadges.BadgeFacts(
            credential_id=addresses.verification_url(certificate.serial),
            issuer_did=issuer.issuer_did(),
            issuer_name=issuer.ISSUER_NAME,
            issuer_url=addresses.base_url(),
            achievement_id=f"{addresses.base_url()}/courses/{certificate.course.slug}",
            achievement_name=types.full_name(certificate.type, queries.course_title(certificate, certificate.language)),
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
            status_list_url=addresses.status_list_url(certificate.status_list),
            status_index=certificate.status_index,
        )


def sign(facts: openbadges.BadgeFacts) -> tuple[str, str]:
    """(The signed credential as stored, the key id), signed with the active key; nothing is written."""
    key = issuer.keyring().active
    document = openbadges.sign(openbadges.build_credential(facts), key, issuer.verification_method(key))
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")), key.kid


def check(document) -> openbadges.Verification:
    return openbadges.verify(document, issuer.public_key_for)
