import base64
import copy
import gzip
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft201909Validator
from pyld.jsonld import JsonLdError

from app.certificates.signing import openbadges as ob
from app.certificates.signing.keys import KeyRing, SigningKey
from tests.certificates.badges import ISSUER_DID, STATUS_LIST_URL, make_facts, resolver, verification_method

SCHEMA_PATH = Path(__file__).with_name("schema") / "achievementcredential.json"


@pytest.fixture
def ring(tmp_path):
    return KeyRing.load_or_create(tmp_path / "keys")


@pytest.fixture
def signed(ring):
    return ob.sign(ob.build_credential(make_facts()), ring.active, verification_method(ring))


@pytest.fixture(scope="module")
def schema_validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def _schema_errors(validator, document):
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


# The 1EdTech schema


def test_signed_credential_validates_against_the_1edtech_schema(schema_validator, signed):
    assert _schema_errors(schema_validator, json.loads(json.dumps(signed))) == []


def test_credential_without_hours_or_end_date_validates_too(schema_validator, ring):
    credential = ob.build_credential(make_facts(hours=None, valid_until=None, holder_identity="45781236"))
    signed = ob.sign(credential, ring.active, verification_method(ring))

    assert _schema_errors(schema_validator, signed) == []
    assert "validUntil" not in signed


def test_schema_check_really_checks_date_formats(schema_validator, signed):
    """Without rfc3339-validator, jsonschema would silently accept any string as a date-time."""
    signed["validFrom"] = "2026-11-27T10:00:00"  # no time zone

    assert any("validFrom" in error for error in _schema_errors(schema_validator, signed))


def test_schema_wants_the_proof_as_an_array(schema_validator, signed):
    single = {**signed, "proof": signed["proof"][0]}

    assert any(error.startswith("proof") for error in _schema_errors(schema_validator, single))


# What the credential says


def test_credential_carries_the_open_badges_shape(signed):
    subject = signed["credentialSubject"]

    assert signed["@context"] == [ob.VC_V2_CONTEXT, ob.OB_V3_CONTEXT]
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["issuer"]["id"] == ISSUER_DID
    assert subject["achievement"]["achievementType"] == "Certificate"
    assert subject["achievement"]["inLanguage"] == "es"
    assert signed["validFrom"].endswith("Z")
    assert signed["credentialStatus"] == {
        "id": f"{STATUS_LIST_URL}#3",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "3",
        "statusListCredential": STATUS_LIST_URL,
    }
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"][0]["proofValue"].startswith("z")


def test_holder_identity_appears_only_hashed(signed):
    identity = signed["credentialSubject"]["identifier"][0]

    assert "maria.quispe@example.pe" not in json.dumps(signed)
    assert identity == {
        "type": "IdentityObject",
        "identityHash": "sha256$" + hashlib.sha256(b"maria.quispe@example.pe5f0c2a9e1b7d4c3a").hexdigest(),
        "identityType": "emailAddress",
        "hashed": True,
        "salt": "5f0c2a9e1b7d4c3a",
    }


def test_identity_hash_ignores_case_and_surrounding_spaces():
    assert ob.hash_identity(" Maria.Quispe@Example.PE ", "s") == ob.hash_identity("maria.quispe@example.pe", "s")


def test_document_number_is_a_national_identity_number():
    credential = ob.build_credential(make_facts(holder_identity="45781236"))
    assert credential["credentialSubject"]["identifier"][0]["identityType"] == "nationalIdentityNumber"


def test_control_characters_are_stripped_but_line_breaks_in_descriptions_kept():
    credential = ob.build_credential(
        make_facts(
            holder_name="María\x08 Quispe\u202e\x00",
            achievement_description="Primera línea\r\nSegunda\x0c línea\x7f",
            criteria_narrative="Aprobar\x1b[31m",
        )
    )
    achievement = credential["credentialSubject"]["achievement"]

    assert credential["credentialSubject"]["name"] == "María Quispe"
    assert achievement["description"] == "Primera línea\nSegunda línea"
    assert achievement["criteria"]["narrative"] == "Aprobar[31m"


def test_whole_hours_are_written_as_an_integer():
    assert ob.build_credential(make_facts(hours=20.0))["credentialSubject"]["creditsEarned"] == 20
    assert ob.build_credential(make_facts(hours=1.5))["credentialSubject"]["achievement"]["creditsAvailable"] == 1.5
    assert "creditsEarned" not in ob.build_credential(make_facts(hours=None))["credentialSubject"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"valid_from": datetime(2026, 1, 1)},
        {"credential_id": "ABCD-EFGH-2345"},
        {"achievement_id": "/courses/x"},
        {"language": "fr"},
        {"status_index": -1},
        {"hours": float("nan")},
    ],
    ids=["naive-date", "bare-serial", "relative-achievement", "language", "negative-index", "nan-hours"],
)
def test_building_refuses_facts_that_would_make_a_bad_credential(overrides):
    with pytest.raises(ValueError):
        ob.build_credential(make_facts(**overrides))


# Signing and our own verification


def test_our_verify_accepts_a_fresh_credential(ring, signed):
    result = ob.verify(signed, resolver(ring))

    assert result == ob.Verification(True, "ok", verification_method(ring))


def test_signing_does_not_change_its_input(ring):
    credential = ob.build_credential(make_facts())
    before = copy.deepcopy(credential)

    ob.sign(credential, ring.active, verification_method(ring))

    assert credential == before


def test_the_kept_context_resolver_gives_the_canonical_form_a_fresh_one_gives():
    credential = ob.build_credential(make_facts())
    fresh = ob._canonical(credential)
    assert ob._canonical(credential, ours=True) == fresh
    assert ob._canonical(credential, ours=True) == fresh  # and again, from what it kept


def test_verifying_a_document_from_outside_keeps_none_of_its_inline_contexts(ring, signed):
    ob.sign(ob.build_credential(make_facts()), ring.active, verification_method(ring))  # the kept resolver exists
    kept = ob._context_resolver()
    before = set(kept.per_op_cache)
    stranger = copy.deepcopy(signed)
    stranger["@context"] = [*stranger["@context"], {"anInlineTerm": "https://example.org/terms#anInlineTerm"}]

    ob.verify(stranger, resolver(ring))

    assert set(kept.per_op_cache) == before


def test_signing_refuses_a_key_of_another_issuer(ring):
    with pytest.raises(ValueError, match="issuer"):
        ob.sign(ob.build_credential(make_facts()), ring.active, f"did:web:elsewhere.example#{ring.active.kid}")


def test_signing_never_loads_an_unknown_context(ring):
    credential = ob.build_credential(make_facts())
    credential["@context"].append("https://example.org/extra-context.json")

    with pytest.raises(JsonLdError):
        ob.sign(credential, ring.active, verification_method(ring))


def _change_name(signed, ring):
    signed["credentialSubject"]["name"] = "Maria Quispe Huamán"


def _flip_proof_bit(signed, ring):
    proof = signed["proof"][0]
    signature = bytearray(base58.b58decode(proof["proofValue"][1:]))
    signature[10] ^= 0x01
    proof["proofValue"] = "z" + base58.b58encode(bytes(signature)).decode()


def _graft_proof(signed, ring):
    other = ob.sign(
        ob.build_credential(make_facts(credential_id="http://127.0.0.1:5000/verify/ZZZZ-ZZZZ-2345")),
        ring.active,
        verification_method(ring),
    )
    signed["proof"] = other["proof"]


def _unknown_kid(signed, ring):
    signed["proof"][0]["verificationMethod"] = f"{ISSUER_DID}#key-20200101-000000-abcdef"


def _other_issuer(signed, ring):
    signed["issuer"]["id"] = "did:web:impostor.example"


def _other_cryptosuite(signed, ring):
    signed["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"


def _no_proof(signed, ring):
    del signed["proof"]


def _undefined_property(signed, ring):
    signed["credentialSubject"]["grade"] = "20/20"  # no context defines it: pyld would drop it silently


def _undefined_type(signed, ring):
    signed["type"].append("HonoursCredential")


def _later_end_date(signed, ring):
    signed["validUntil"] = "2099-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_change_name, "bad-signature"),
        (_flip_proof_bit, "bad-signature"),
        (_graft_proof, "bad-signature"),
        (_undefined_property, "bad-signature"),
        (_undefined_type, "bad-signature"),
        (_later_end_date, "bad-signature"),
        (_unknown_kid, "unknown-key"),
        (_other_issuer, "issuer-mismatch"),
        (_other_cryptosuite, "wrong-cryptosuite"),
        (_no_proof, "no-proof"),
    ],
    ids=lambda value: value if isinstance(value, str) else value.__name__.strip("_"),
)
def test_our_verify_rejects_a_tampered_credential(ring, signed, tamper, reason):
    tamper(signed, ring)

    result = ob.verify(signed, resolver(ring))

    assert (result.valid, result.reason) == (False, reason)


def test_credential_signed_by_a_retired_key_still_verifies(ring, signed):
    ring.rotate()

    assert ob.verify(signed, resolver(ring)).valid


def _deep(levels):
    document = inner = {}
    for _ in range(levels):
        inner["x"] = {}
        inner = inner["x"]
    return document


def _hostile_documents():
    key = SigningKey("key-20260101-000000-abcdef", Ed25519PrivateKey.generate(), datetime.now(UTC))
    good = ob.sign(ob.build_credential(make_facts()), key, f"{ISSUER_DID}#{key.kid}")
    proof = good["proof"][0]

    def variant(**changes):
        document = copy.deepcopy(good)
        document.update(changes)
        return document

    cases = {
        "none": None,
        "string": "credential",
        "number": 42,
        "list": [good],
        "empty": {},
        "null-proof": {"proof": None},
        "empty-proof-list": {"proof": []},
        "context-number": {"@context": 7, "proof": proof},
        "proof-string": variant(proof="zABC"),
        "two-proofs": variant(proof=[proof, proof]),
        "method-number": variant(proof=[{**proof, "verificationMethod": 12}]),
        "method-list": variant(proof=[{**proof, "verificationMethod": ["a#b"]}]),
        "method-short-key": variant(proof=[{**proof, "verificationMethod": f"{ISSUER_DID}#short"}]),
        "proof-value-not-base58": variant(proof=[{**proof, "proofValue": "z0OIl"}]),
        "proof-value-base64": variant(proof=[{**proof, "proofValue": "u" + "A" * 86}]),
        "proof-value-huge": variant(proof=[{**proof, "proofValue": "z" + "1" * 5000}]),
        "proof-value-null": variant(proof=[{**proof, "proofValue": None}]),
        "two-issuers": variant(issuer=["did:a", "did:b"]),
        "issuer-id-object": variant(issuer={"id": {"nested": True}}),
        "unknown-context": variant(**{"@context": [ob.VC_V2_CONTEXT, "https://evil.example/ctx.json"]}),
        "vocab-context": variant(**{"@context": [ob.VC_V2_CONTEXT, {"@vocab": "https://evil.example/#"}]}),
        "bad-inline-context": variant(**{"@context": [ob.VC_V2_CONTEXT, {"id": {"@reverse": 5}}]}),
        "null-context": variant(**{"@context": [None]}),
        "deep-nesting": variant(credentialSubject=_deep(10_000)),
        "wide": variant(credentialSubject=[{"name": str(i)} for i in range(5_000)]),
        "blank-node-cycle": variant(credentialSubject={"id": "_:b0", "knows": {"id": "_:b1", "knows": {"id": "_:b0"}}}),
        "lone-surrogate": variant(credentialSubject={"name": "lone surrogate \ud800"}),
        "nan-and-infinity": variant(credentialSubject={"name": float("nan"), "creditsEarned": 1e400}),
        "graph-with-number-id": variant(credentialSubject={"@graph": [{"@id": 5}]}),
        "odd-value-object": variant(validFrom={"@value": ["x"], "@type": 3}),
    }
    return [pytest.param(document, id=name) for name, document in cases.items()]


def _resolver_for_hostile_input(method):
    return b"\x00" * 31 if method.endswith("short") else None


@pytest.mark.parametrize("document", _hostile_documents())
def test_hostile_input_never_raises(ring, document):
    for resolve in (resolver(ring), _resolver_for_hostile_input, lambda method: b"\x01" * 32):
        result = ob.verify(document, resolve)
        assert result.valid is False
        assert result.reason in {
            "malformed",
            "no-proof",
            "unknown-key",
            "bad-signature",
            "wrong-cryptosuite",
            "issuer-mismatch",
        }


def test_a_graph_full_of_blank_nodes_is_refused_before_canonicalising_it(ring, signed, monkeypatch):
    many = ob.MAX_NODES + 1
    signed["credentialSubject"]["identifier"] = [dict(signed["credentialSubject"]["identifier"][0]) for _ in range(many)]
    # pyld has no work limit: the size check must refuse such a graph before it reaches pyld at all.
    monkeypatch.setattr(ob, "_canonical", lambda document: pytest.fail("a hostile graph reached pyld"))

    result = ob.verify(signed, resolver(ring))

    assert result.valid is False


# DID document and JWKS


def test_did_document_lists_every_key_as_an_assertion_method(ring):
    old = ring.active
    new = ring.rotate()

    document = ob.did_document(ISSUER_DID, ring.keys)

    assert document["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    assert document["id"] == ISSUER_DID
    assert document["verificationMethod"] == [
        {
            "id": f"{ISSUER_DID}#{key.kid}",
            "type": "Multikey",
            "controller": ISSUER_DID,
            "publicKeyMultibase": key.public_multibase,
        }
        for key in (old, new)
    ]
    assert document["assertionMethod"] == [f"{ISSUER_DID}#{old.kid}", f"{ISSUER_DID}#{new.kid}"]


def test_jwks_carries_the_raw_public_keys(ring):
    (jwk,) = ob.jwks(ring.keys)["keys"]

    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["kid"] == ring.active.kid
    assert base64.urlsafe_b64decode(jwk["x"] + "=") == ring.active.public_bytes


# Bitstring Status List


def _bits(encoded):
    return gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))


def test_status_list_bit_zero_is_the_most_significant_bit_of_the_first_byte():
    bits = _bits(ob.encode_status_list([0, 9, 131071]))

    assert len(bits) == 16 * 1024
    assert (bits[0], bits[1], bits[-1]) == (0x80, 0x40, 0x01)
    assert sum(bits) == 0x80 + 0x40 + 0x01


def test_status_list_round_trip():
    revoked = {3, 8, 4095, 100_000}
    encoded = ob.encode_status_list(revoked)

    assert encoded.startswith("u") and "=" not in encoded
    assert [i for i in range(131072) if ob.status_is_set(encoded, i)] == sorted(revoked)


def test_status_list_is_deterministic():
    assert ob.encode_status_list([5]) == ob.encode_status_list([5])


@pytest.mark.parametrize(
    ("indices", "length"), [([], 1024), ([], 131073), ([131072], 131072), ([-1], 131072), ([1.0], 131072)]
)
def test_status_list_refuses_bad_lengths_and_indices(indices, length):
    with pytest.raises((ValueError, TypeError)):
        ob.encode_status_list(indices, length)


@pytest.mark.parametrize("encoded", ["", "zABC", "u!!!", "u" + base64.urlsafe_b64encode(b"not gzip").decode()])
def test_undecodable_status_list_is_a_value_error(encoded):
    with pytest.raises(ValueError):
        ob.status_is_set(encoded, 0)


def test_status_list_gzip_bomb_is_refused():
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(64 * 1024 * 1024))).decode().rstrip("=")

    with pytest.raises(ValueError, match="larger"):
        ob.status_is_set(bomb, 0)


def test_status_list_credential_is_signed_and_verifiable(ring):
    document = ob.status_list_credential(
        STATUS_LIST_URL, ISSUER_DID, "Academia", [3], datetime.now(UTC) - timedelta(minutes=1)
    )
    signed = ob.sign(document, ring.active, verification_method(ring))

    assert signed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert signed["credentialSubject"]["type"] == "BitstringStatusList"
    assert signed["credentialSubject"]["statusPurpose"] == "revocation"
    assert ob.status_is_set(signed["credentialSubject"]["encodedList"], 3)
    assert ob.verify(signed, resolver(ring)).valid
