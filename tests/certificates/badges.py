"""Facts for test credentials and a resolver for a key ring, shared by the Open Badges tests."""

import dataclasses
from datetime import UTC, datetime, timedelta

from app.certificates.signing.keys import KeyRing
from app.certificates.signing.openbadges import BadgeFacts

BASE = "http://127.0.0.1:5000"
ISSUER_DID = "did:web:127.0.0.1%3A5000"
STATUS_LIST_URL = f"{BASE}/certificates/status/0"


def make_facts(**overrides) -> BadgeFacts:
    """A certificate issued a minute ago (a verifier refuses a validFrom in the future), valid for a year."""
    now = datetime.now(UTC)
    facts = BadgeFacts(
        credential_id=f"{BASE}/verify/ABCD-EFGH-2345",
        issuer_did=ISSUER_DID,
        issuer_name="Academia de Integridad",
        issuer_url=BASE,
        achievement_id=f"{BASE}/courses/integridad-publica",
        achievement_name="Certificado: Integridad pública",
        achievement_description="Conflictos de intereses, regalos y declaraciones juradas.\nCurso virtual.",
        criteria_narrative="Completar las lecciones y aprobar la evaluación final con 14 o más.",
        achievement_type="Certificate",
        hours=20.0,
        holder_name="María Quispe Huamán",
        holder_identity="maria.quispe@example.pe",
        identity_salt="5f0c2a9e1b7d4c3a",
        language="es",
        valid_from=now - timedelta(minutes=1),
        valid_until=now + timedelta(days=730),
        status_list_url=STATUS_LIST_URL,
        status_index=3,
    )
    return dataclasses.replace(facts, **overrides)


def verification_method(ring: KeyRing, kid: str | None = None) -> str:
    return f"{ISSUER_DID}#{kid or ring.active.kid}"


def resolver(ring: KeyRing):
    """What the app does: only our DID, and any key of the ring, retired ones included."""

    def resolve(method: str) -> bytes | None:
        did, _, kid = method.partition("#")
        key = ring.get(kid) if did == ISSUER_DID else None
        return key.public_bytes if key else None

    return resolve
