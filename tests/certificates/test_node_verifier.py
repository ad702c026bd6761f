"""Digital Bazaar's JavaScript verifier, offline, checks what our Python library signs.

All credentials go through one Node run (start-up costs about half a second); each test reads its line.
"""

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from pyld import BUNDLED_CONTEXTS

from app.certificates.signing import openbadges as ob
from app.certificates.signing.keys import KeyRing
from tests.certificates import node_verifier
from tests.certificates.badges import BASE, ISSUER_DID, STATUS_LIST_URL, make_facts, verification_method

FORGED_LIST_URL = f"{BASE}/certificates/status/1"


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """(credentials by name, documents a wallet would fetch), from a key ring rotated once."""
    ring = KeyRing.load_or_create(tmp_path_factory.mktemp("node") / "keys")

    def issue(index, **overrides):
        facts = make_facts(status_index=index, credential_id=f"{BASE}/verify/CERT-{index:04d}", **overrides)
        return ob.sign(ob.build_credential(facts), ring.active, verification_method(ring))

    by_retired_key = issue(6)
    ring.rotate()
    fresh = issue(1)
    tampered = copy.deepcopy(fresh)
    tampered["credentialSubject"]["name"] = "Maria Quispe Huamán"
    credentials = {
        "fresh": fresh,
        "tampered": tampered,
        "revoked": issue(2),
        "by-retired-key": by_retired_key,
        "multi-line-and-fractional-hours": issue(
            3,
            achievement_description="Primera línea\n\tSegunda línea\r\nTercera\x0b línea",
            hours=1.5,
            holder_name="Ñusta Ccori Mamani",
            language="en",
        ),
        "no-hours-no-end-date": issue(4, hours=None, valid_until=None, holder_identity="45781236"),
        "listed-in-a-forged-status-list": issue(5, status_list_url=FORGED_LIST_URL),
    }
    credentials["naming-an-unknown-context"] = copy.deepcopy(fresh)
    credentials["naming-an-unknown-context"]["@context"].append("https://contexts.example/extra.json")
    issued_before = datetime.now(UTC) - timedelta(minutes=1)
    status_list = ob.status_list_credential(STATUS_LIST_URL, ISSUER_DID, "Academia", [2, 7], issued_before)
    forged_list = ob.sign(
        ob.status_list_credential(FORGED_LIST_URL, ISSUER_DID, "Academia", [], issued_before),
        ring.active,
        verification_method(ring),
    )
    forged_list["credentialSubject"]["encodedList"] = ob.encode_status_list([5, 6])
    documents = {
        ISSUER_DID: ob.did_document(ISSUER_DID, ring.keys),
        STATUS_LIST_URL: ob.sign(status_list, ring.active, verification_method(ring)),
        FORGED_LIST_URL: forged_list,
    }
    return credentials, documents


@pytest.fixture(scope="module")
def results(issued):
    return node_verifier.run_node_verifier(*reversed(issued))


def test_independent_verifier_accepts_a_fresh_credential(results):
    assert results["fresh"] == {"verified": True, "revoked": False, "error": ""}


def test_independent_verifier_rejects_a_tampered_copy(results):
    assert results["tampered"]["verified"] is False
    assert "Invalid signature" in results["tampered"]["error"]


def test_independent_verifier_sees_a_set_status_bit_as_revoked(results):
    assert results["revoked"] == {"verified": True, "revoked": True, "error": ""}


def test_independent_verifier_sees_a_clear_status_bit_as_not_revoked(results):
    assert results["fresh"]["revoked"] is False


def test_credential_signed_by_a_retired_key_verifies_with_both_keys_published(issued, results):
    credentials, documents = issued
    retired = credentials["by-retired-key"]["proof"][0]["verificationMethod"]
    active = credentials["fresh"]["proof"][0]["verificationMethod"]

    assert retired != active
    assert documents[ISSUER_DID]["assertionMethod"] == [retired, active]
    assert results["by-retired-key"] == {"verified": True, "revoked": False, "error": ""}


def test_line_breaks_accents_and_fractional_hours_canonicalise_alike_in_both_languages(results):
    assert results["multi-line-and-fractional-hours"]["verified"] is True, results["multi-line-and-fractional-hours"]
    assert results["no-hours-no-end-date"]["verified"] is True, results["no-hours-no-end-date"]


def test_status_list_with_a_broken_signature_is_not_trusted(results):
    result = results["listed-in-a-forged-status-list"]

    assert result["verified"] is False
    assert result["revoked"] is None
    assert "BitstringStatusListCredential" in result["error"]


def test_independent_verifier_never_fetches_an_unknown_context(results):
    result = results["naming-an-unknown-context"]

    assert result["verified"] is False
    assert "https://contexts.example/extra.json" in result["error"]


def test_python_and_node_use_the_same_contexts():
    vc_v2 = json.loads(BUNDLED_CONTEXTS[ob.VC_V2_CONTEXT].read_text())
    open_badges = json.loads((node_verifier.ROOT / "app/certificates/signing/contexts/context-3.0.3.json").read_text())

    assert node_verifier.node_context(ob.VC_V2_CONTEXT) == vc_v2
    assert node_verifier.node_context(ob.OB_V3_CONTEXT) == open_badges


def test_missing_node_modules_fail_with_instructions(monkeypatch, tmp_path):
    monkeypatch.setattr(node_verifier, "NODE_MODULES", tmp_path)

    with pytest.raises(node_verifier.NodeVerifierMissing, match="npm ci"):
        node_verifier.run_node_verifier({}, {})
