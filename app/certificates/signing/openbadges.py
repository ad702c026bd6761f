"""Open Badges 3.0 credentials signed with eddsa-rdfc-2022, their did:web document and Bitstring Status Lists.

Public API:
    BadgeFacts, build_credential(facts) -> dict, hash_identity(identity, salt) -> str
    sign(document, key, verification_method, created=None) -> dict
    verify(document, resolve_public_key) -> Verification(valid, reason, verification_method)
    did_document(issuer_did, keys) -> dict, jwks(keys) -> dict
    encode_status_list(set_indices, length=131072) -> str, status_is_set(encoded, index) -> bool
    status_list_credential(list_url, issuer_did, issuer_name, set_indices, valid_from, *, length=131072) -> dict

Beyond the brief: ``BadgeFacts.holder_identity_type`` (the 1EdTech schema requires ``identityType``;
by default an identity with "@" is an ``emailAddress``, anything else a ``nationalIdentityNumber``) and
``hash_identity`` (so whoever checks an e-mail or DNI against a credential hashes it the same way).

Open Badges has no term for a duration, so ``hours`` goes into its nearest defined terms,
``creditsAvailable`` on the achievement and ``creditsEarned`` on the subject.

JSON-LD contexts come only from local copies (see contexts/README.md); any other context URL fails.
"""

import copy
import functools
import gzip
import hashlib
import math
import re
import threading
import zlib
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import index as as_index
from pathlib import Path
from urllib.parse import urlsplit

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.certificates.signing.keys import SigningKey

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1_CONTEXT = "https://w3id.org/security/multikey/v1"
CRYPTOSUITE = "eddsa-rdfc-2022"
STATUS_LIST_MIN_LENGTH = 131072  # 16 KiB of bits: the minimum that hides which credential is checked

# Bounds for documents we are asked to verify: a credential has about 15 objects and arrays, 5 levels deep.
# Canonicalising costs grow quickly with blank nodes; 500 objects stay under half a second.
MAX_NODES = 500
MAX_DEPTH = 32
# A gzip bomb in an encodedList stops here (128 times the minimum list).
MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024



@functools.cache
def _loader():
    """pyld is imported on first use: a worker that only serves pages never pays its ~9 MB."""
    from pyld import BUNDLED_CONTEXTS, FrozenDocumentLoader

    return FrozenDocumentLoader(
        {
            VC_V2_CONTEXT: BUNDLED_CONTEXTS[VC_V2_CONTEXT],
            OB_V3_CONTEXT: Path(__file__).parent / "contexts" / "context-3.0.3.json",
        }
    )

# Characters whose N-Quads escaping differs between pyld and RDFC-1.0 (all C0/C1 controls except tab and
# line feed), lone surrogates (not UTF-8), and bidirectional overrides that could disguise a name.
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class BadgeFacts:
    credential_id: str
    issuer_did: str
    issuer_name: str
    issuer_url: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    criteria_narrative: str
    achievement_type: str
    hours: float | None
    holder_name: str
    holder_identity: str
    identity_salt: str
    language: str
    valid_from: datetime
    valid_until: datetime | None
    status_list_url: str
    status_index: int
    holder_identity_type: str | None = None


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str
    verification_method: str | None = None


def build_credential(facts: BadgeFacts) -> dict:
    """An unsigned OpenBadgeCredential; every text is cleaned and every identifier checked to be absolute."""
    for url in (facts.credential_id, facts.issuer_url, facts.achievement_id, facts.status_list_url):
        _require_absolute(url)
    _require_absolute(facts.issuer_did)
    if facts.language not in ("es", "en"):
        raise ValueError(f"language must be 'es' or 'en', not {facts.language!r}")
    status_index = as_index(facts.status_index)
    if status_index < 0:
        raise ValueError("status_index must not be negative")
    identity = _line(facts.holder_identity)
    achievement = {
        "id": facts.achievement_id,
        "type": ["Achievement"],
        "achievementType": _line(facts.achievement_type),
        "name": _line(facts.achievement_name),
        "description": _text(facts.achievement_description),
        "criteria": {"narrative": _text(facts.criteria_narrative)},
        "inLanguage": facts.language,
    }
    subject = {
        "type": ["AchievementSubject"],
        "name": _line(facts.holder_name),
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": hash_identity(identity, facts.identity_salt),
                "identityType": facts.holder_identity_type or _identity_type(identity),
                "hashed": True,
                "salt": _line(facts.identity_salt),
            }
        ],
        "achievement": achievement,
    }
    if facts.hours is not None:
        achievement["creditsAvailable"] = subject["creditsEarned"] = _number(facts.hours)
    credential = {
        "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "issuer": {
            "id": facts.issuer_did,
            "type": ["Profile"],
            "name": _line(facts.issuer_name),
            "url": facts.issuer_url,
        },
        "validFrom": _timestamp(facts.valid_from),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{facts.status_list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": facts.status_list_url,
        },
    }
    if facts.valid_until is not None:
        credential["validUntil"] = _timestamp(facts.valid_until)
    return credential


def hash_identity(identity: str, salt: str) -> str:
    """OB ``identityHash`` of an e-mail or document number: trimmed and lower-cased, then salted."""
    normalised = _line(identity).lower()
    return "sha256$" + hashlib.sha256((normalised + _line(salt)).encode("utf-8")).hexdigest()


def sign(document: dict, key: SigningKey, verification_method: str, created: datetime | None = None) -> dict:
    """A copy of *document* with an eddsa-rdfc-2022 proof, held in an array as the 1EdTech schema wants."""
    if "proof" in document:
        raise ValueError("the document already carries a proof")
    if _controller(verification_method) != _issuer_id(document):
        raise ValueError(f"{verification_method} does not belong to the document's issuer")
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created or datetime.now(UTC)),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.private_key.sign(_signing_input(document, proof, ours=True))
    signed = copy.deepcopy(document)
    signed["proof"] = [{**proof, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}]
    return signed


def verify(document, resolve_public_key: Callable[[str], bytes | None]) -> Verification:
    """Check the one eddsa-rdfc-2022 proof on *document*; never raises whatever JSON it is given.

    Only the proof is checked: dates and revocation are the caller's to judge. Content the signature
    cannot cover (a property no context defines, a relative identifier) counts as a bad signature, since
    pyld would otherwise leave it out of the signed data without a word. *resolve_public_key* receives
    the untrusted verification method string and answers with 32 raw bytes or None.
    """
    if not isinstance(document, dict) or not _within_bounds(document):
        return Verification(False, "malformed")
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2_CONTEXT:
        return Verification(False, "malformed")
    proofs = document.get("proof")
    if proofs is None:
        return Verification(False, "no-proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    if len(proofs) != 1 or not isinstance(proofs[0], dict):
        return Verification(False, "malformed")
    proof = proofs[0]
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or "#" not in method:
        return Verification(False, "malformed")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return Verification(False, "wrong-cryptosuite", method)
    if proof.get("proofPurpose") != "assertionMethod" or not isinstance(proof.get("proofValue"), str):
        return Verification(False, "malformed", method)
    if _controller(method) != _issuer_id(document):
        return Verification(False, "issuer-mismatch", method)
    try:
        public_key = Ed25519PublicKey.from_public_bytes(resolve_public_key(method))
    except (TypeError, ValueError):  # None, or not 32 bytes
        return Verification(False, "unknown-key", method)
    signature = _decode_multibase(proof["proofValue"])
    if signature is None or len(signature) != 64:
        return Verification(False, "malformed", method)
    unsigned = {name: value for name, value in document.items() if name != "proof"}
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    try:
        signed_data = _signing_input(unsigned, config)
    except _Unsignable:
        return Verification(False, "bad-signature", method)
    except Exception:  # pyld raises many kinds of error on hostile JSON-LD; all mean "cannot be read"
        return Verification(False, "malformed", method)
    try:
        public_key.verify(signature, signed_data)
    except InvalidSignature:
        return Verification(False, "bad-signature", method)
    return Verification(True, "ok", method)


def did_document(issuer_did: str, keys: Iterable[SigningKey]) -> dict:
    """The did:web document: every key, retired ones included, may assert credentials."""
    methods = [
        {
            "id": f"{issuer_did}#{key.kid}",
            "type": "Multikey",
            "controller": issuer_did,
            "publicKeyMultibase": key.public_multibase,
        }
        for key in keys
    ]
    return {
        "@context": [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT],
        "id": issuer_did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def jwks(keys: Iterable[SigningKey]) -> dict:
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "kid": key.kid,
                "x": _b64url(key.public_bytes),
                "alg": "EdDSA",
                "use": "sig",
            }
            for key in keys
        ]
    }


def encode_status_list(set_indices: Iterable[int], length: int = STATUS_LIST_MIN_LENGTH) -> str:
    """``u`` + base64url(gzip(bits)); bit 0 is the most significant bit of the first byte."""
    if length < STATUS_LIST_MIN_LENGTH or length % 8:
        raise ValueError(f"a status list holds a multiple of 8 bits, at least {STATUS_LIST_MIN_LENGTH}")
    bits = bytearray(length // 8)
    for position in set_indices:
        position = as_index(position)
        if not 0 <= position < length:
            raise ValueError(f"status index {position} is outside a list of {length}")
        bits[position // 8] |= 0x80 >> (position % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def status_is_set(encoded: str, index: int) -> bool:
    """Read one bit of an ``encodedList``; a list that cannot be decoded, or a bad index, is a ValueError."""
    bits = _decode_status_list(encoded)
    index = as_index(index)
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} is outside a list of {len(bits) * 8}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    list_url: str,
    issuer_did: str,
    issuer_name: str,
    set_indices: Iterable[int],
    valid_from: datetime,
    *,
    length: int = STATUS_LIST_MIN_LENGTH,
) -> dict:
    """An unsigned BitstringStatusListCredential for revocation; sign it with ``sign``."""
    _require_absolute(list_url)
    return {
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_did, "name": _line(issuer_name)},
        "validFrom": _timestamp(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            # A plain string: @digitalbazaar/vc-bitstring-status-list rejects a one-item array here.
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(set_indices, length),
        },
    }


class _Unsignable(Exception):
    """Part of the document would be silently left out of the canonical form, so out of the signature."""


def _signing_input(document: dict, proof_config: dict, *, ours: bool = False) -> bytes:
    """vc-di-eddsa: SHA-256 of the canonical proof configuration, then of the canonical document.

    *ours*: a document this module built, whose contexts are the two bundled ones (see _context_resolver).
    """
    config = {"@context": document.get("@context"), **proof_config}
    return (
        hashlib.sha256(_canonical(config, ours=ours)).digest()
        + hashlib.sha256(_canonical(document, ours=ours)).digest()
    )


def _canonical(document: dict, *, ours: bool = False) -> bytes:
    def refuse(term):
        raise _Unsignable(f"no context defines {term!r}")

    from pyld import jsonld

    processor = jsonld.JsonLdProcessor(on_property_dropped=refuse)
    options = {"documentLoader": _loader()}
    if ours:
        options["contextResolver"] = _context_resolver()
    expanded = processor.expand(document, dict(options))
    _require_absolute_identifiers(expanded)
    nquads = processor.normalize(expanded, {"algorithm": "URDNA2015", "format": "application/n-quads", **options})
    return nquads.encode("utf-8")


_resolvers = threading.local()


def _context_resolver():
    """For documents we build: one pyld context resolver per thread, kept between calls.

    pyld makes a new resolver for every call unless given one, and with it loses the contexts it has
    already processed: a third of each signature went on processing the same two bundled contexts
    again. Those never change, so keeping them is safe. Documents from outside (an uploaded credential)
    keep pyld's default: the resolver's own cache is an unbounded dictionary, and every inline context
    they carried would stay in it. Its caches are plain dictionaries, hence one per thread.
    """
    resolver = getattr(_resolvers, "resolver", None)
    if resolver is None:
        from cachetools import LRUCache
        from pyld.context_resolver import ContextResolver

        resolver = _resolvers.resolver = ContextResolver(LRUCache(maxsize=100), _loader())
    return resolver


def _require_absolute_identifiers(expanded) -> None:
    """pyld drops triples whose subject, type or object is a relative IRI, where RDFC-1.0 tools in safe mode stop."""
    stack = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "@value" in node:
                continue
            for name, value in node.items():
                if name in ("@id", "@type"):
                    for iri in value if isinstance(value, list) else [value]:
                        if not isinstance(iri, str) or not _is_absolute(iri):
                            raise _Unsignable(f"relative identifier {iri!r}")
                        if iri.startswith("_:"):
                            # Named blank nodes are how a hostile graph makes canonicalisation explode.
                            raise ValueError(f"blank node identifier {iri!r}")
                else:
                    stack.append(value)


def _within_bounds(document: dict) -> bool:
    count, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            return False
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def _issuer_id(document: dict):
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _controller(verification_method: str) -> str:
    return verification_method.partition("#")[0]


def _decode_multibase(value: str) -> bytes | None:
    if not value.startswith("z") or len(value) > 200:
        return None
    try:
        return base58.b58decode(value[1:])
    except ValueError:
        return None


def _decode_status_list(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("an encodedList starts with 'u' (multibase base64url)")
    try:
        compressed = urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        bits = inflater.decompress(compressed, MAX_STATUS_LIST_BYTES)
    except (ValueError, zlib.error) as exc:
        raise ValueError(f"the encodedList cannot be decoded: {exc}") from exc
    if inflater.unconsumed_tail:
        raise ValueError("the encodedList is larger than any status list we accept")
    return bits


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes in a credential must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: float) -> int | float:
    """A whole number of hours is written as JavaScript would write it back (20, not 20.0)."""
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError("hours must be a finite, non-negative number")
    return int(value) if value.is_integer() else value


def _identity_type(identity: str) -> str:
    return "emailAddress" if "@" in identity else "nationalIdentityNumber"


def _line(text: str) -> str:
    """One line of text: unsafe characters removed, runs of whitespace (newlines too) made one space."""
    return " ".join(_UNSAFE_CHARACTERS.sub("", str(text)).split())


def _text(text: str) -> str:
    """Several lines of text: unsafe characters removed; tab and line feed stay, since both sides escape them alike."""
    return _UNSAFE_CHARACTERS.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n")).strip()


def _require_absolute(iri: str) -> None:
    if not isinstance(iri, str) or not _is_absolute(iri):
        raise ValueError(f"{iri!r} is not an absolute IRI")


def _is_absolute(iri: str) -> bool:
    if iri.startswith("_:"):
        return True  # blank node, which expansion produces for objects without an id
    parts = urlsplit(iri)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and not any(c.isspace() for c in iri)


def _b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
