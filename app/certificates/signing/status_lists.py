"""The Bitstring Status Lists that carry revocation to wallets, signed by the issuer."""

import hashlib
import threading

from flask import current_app

from app.certificates import addresses, queries
from app.certificates.models import STATUS_LIST_LENGTH
from app.certificates.signing import issuer, openbadges
from app.core.models import utcnow

_lock = threading.Lock()
# (list number, fingerprint of the set bits, key id) -> signed credential. Signing costs milliseconds and
# wallets poll the list, so a list is re-signed only when a revocation changes it.
_signed: dict[tuple, dict] = {}


def status_list_credential(list_number: int) -> dict | None:
    if not queries.status_list_exists(list_number):
        return None
    indices = queries.revoked_indices(list_number)
    key = issuer.keyring().active
    cache_key = (
        current_app.config["BASE_URL"],
        list_number,
        hashlib.sha256(",".join(map(str, indices)).encode()).hexdigest(),
        key.kid,
    )
    with _lock:
        cached = _signed.get(cache_key)
    if cached is not None:
        return cached
    document = openbadges.status_list_credential(
        addresses.status_list_url(list_number),
        issuer.issuer_did(),
        issuer.ISSUER_NAME,
        indices,
        utcnow(),
    )
    signed = openbadges.sign(document, key, issuer.verification_method(key))
    with _lock:
        # Only the newest state of each list is worth keeping.
        for stale in [k for k in _signed if k[1] == list_number]:
            del _signed[stale]
        _signed[cache_key] = signed
    return signed


def is_set(document: dict, index: int) -> bool:
    return openbadges.status_is_set(document["credentialSubject"]["encodedList"], index)


__all__ = ["STATUS_LIST_LENGTH", "is_set", "status_list_credential"]
