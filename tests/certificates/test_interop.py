"""What the app issues and publishes, checked by others: the 1EdTech schema and Digital Bazaar's verifier.

The credentials come from a real completion, and the DID document and status list from the app's own
public URLs, so this covers the whole path a wallet takes (tests/certificates/test_node_verifier.py
covers the library on its own)."""

import json
from pathlib import Path

import jsonschema
import pytest

from app.certificates import services
from app.extensions import db
from tests import factories
from tests.certificates.node_verifier import run_node_verifier

SCHEMA = Path(__file__).with_name("schema") / "achievementcredential.json"


@pytest.fixture
def published(client):
    """The issuer's documents as a wallet fetches them, keyed by the URL (or DID) it resolves."""

    def fetch(*credentials):
        did = client.get("/.well-known/did.json").json
        documents = {did["id"]: did}
        for credential in credentials:
            url = credential["credentialStatus"]["statusListCredential"]
            documents[url] = client.get(url.replace("http://localhost", "")).json
        return documents

    return fetch


def test_an_issued_credential_validates_against_the_1edtech_schema(issue_certificate):
    credential = json.loads(issue_certificate(factories.make_user(display_name="Ñusta Ccori")).credential)
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    assert sorted(error.message for error in validator.iter_errors(credential)) == []


def test_the_independent_verifier_accepts_ours_rejects_a_tampered_copy_and_sees_a_revocation(
    app, published, issue_certificate
):
    fresh = json.loads(issue_certificate(factories.make_user(display_name="Ana María Condori")).credential)
    tampered = json.loads(json.dumps(fresh, ensure_ascii=False).replace("Ana María Condori", "Ana Maria Condori"))
    assert tampered != fresh
    revoked_certificate = issue_certificate()
    with app.test_request_context():
        services.revoke(revoked_certificate, factories.make_user(), "Emitida por error")
    db.session.commit()
    revoked = json.loads(revoked_certificate.credential)

    results = run_node_verifier(published(fresh, revoked), {"fresh": fresh, "tampered": tampered, "revoked": revoked})

    assert results["fresh"]["verified"] is True and results["fresh"]["revoked"] is False, results["fresh"]
    assert results["tampered"]["verified"] is False
    assert results["revoked"]["revoked"] is True, results["revoked"]


def test_a_credential_signed_before_a_key_rotation_still_verifies(app, published, issue_certificate):
    from app.certificates.signing import issuer

    before = json.loads(issue_certificate().credential)
    with app.app_context():
        issuer.keyring().rotate()
    after = json.loads(issue_certificate().credential)
    assert _method(before) != _method(after)
    results = run_node_verifier(published(before, after), {"before": before, "after": after})
    assert results["before"]["verified"] is True, results["before"]
    assert results["after"]["verified"] is True, results["after"]


def _method(credential) -> str:
    proof = credential["proof"]
    return (proof[0] if isinstance(proof, list) else proof)["verificationMethod"]
