"""The holder's page and downloads, public verification (HTML, JSON, uploads), keys and status lists."""

import html
import io
import json
import re
from urllib.parse import urlsplit

import pytest
from dateutil.relativedelta import relativedelta

from app.certificates import addresses, serials, services
from app.certificates.signing import openbadges
from app.certificates.signing.keys import KeyRing
from app.extensions import db
from tests import factories
from tests.certificates.test_serials import LEGACY_SERIALS
from tests.csrf import csrf_token


@pytest.fixture
def holder_and_certificate(issue_certificate):
    user = factories.make_user(display_name="Rosa Quispe Mamani", email="rosa@example.pe")
    return user, issue_certificate(user)


def _upload(client, data, name="certificado.pdf"):
    return client.post(
        "/verify",
        data={"document": (io.BytesIO(data), name), "csrf_token": csrf_token(client)},
        content_type="multipart/form-data",
    )


# --- My certificates and downloads -----------------------------------------------------------------


def test_my_certificates_lists_the_certificate_with_its_downloads_and_links(client, login_as, holder_and_certificate):
    user, certificate = holder_and_certificate
    page = login_as(client, user).get("/certificates").get_data(as_text=True)
    assert serials.display(certificate.serial) in page
    assert f"/certificates/{certificate.serial}/certificate-es.pdf" in page
    assert f"/certificates/{certificate.serial}/certificate-en.pdf" in page
    assert f"/certificates/{certificate.serial}/credential.json" in page
    assert f"http://localhost/verify/{serials.display(certificate.serial)}" in page
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page


def test_a_certificate_named_like_its_course_shows_that_name_once(client, login_as, holder_and_certificate):
    user, certificate = holder_and_certificate
    login_as(client, user)
    mine = client.get("/certificates").get_data(as_text=True)
    public = client.get(f"/verify/{serials.display(certificate.serial)}").get_data(as_text=True)
    for page in (mine, public):
        assert page.count("Ciudadano por la Integridad") == 1
    assert "<h2>Ciudadano por la Integridad</h2>" in mine
    assert "<dt>Duración</dt>" in public and "<dt>Curso</dt>" not in public


def test_a_certificate_earned_in_a_course_with_a_name_of_its_own_shows_both(client, login_as, issue_certificate):
    user = factories.make_user()
    certificate = issue_certificate(user, slug="integrity-induction")
    login_as(client, user)
    mine = client.get("/certificates").get_data(as_text=True)
    public = client.get(f"/verify/{serials.display(certificate.serial)}").get_data(as_text=True)
    for page in (mine, public):
        assert "Constancia de Inducción en Integridad Pública" in page and "Módulo de Inducción en Integridad" in page
    assert "<dt>Curso</dt>" in public


def test_my_certificates_needs_a_sign_in(client):
    response = client.get("/certificates")
    assert response.status_code == 302 and "/login" in response.location


def test_the_holder_downloads_the_stored_pdf_without_it_being_redrawn(
    client, login_as, holder_and_certificate, monkeypatch
):
    user, certificate = holder_and_certificate
    from app.certificates import pdf

    def refuse(_sheet):
        raise AssertionError("a stored PDF was drawn again")

    monkeypatch.setattr(pdf, "render", refuse)
    response = login_as(client, user).get(f"/certificates/{certificate.serial}/certificate-es.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == certificate.documents[0].pdf
    assert "attachment" in response.headers["Content-Disposition"]


def test_the_other_language_is_drawn_the_first_time_and_kept(client, login_as, holder_and_certificate):
    user, certificate = holder_and_certificate
    login_as(client, user)
    first = client.get(f"/certificates/{certificate.serial}/certificate-en.pdf")
    second = client.get(f"/certificates/{certificate.serial}/certificate-en.pdf")
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert sorted(d.language for d in certificate.documents) == ["en", "es"]


def test_the_holder_downloads_the_credential_as_json(client, login_as, holder_and_certificate):
    user, certificate = holder_and_certificate
    response = login_as(client, user).get(f"/certificates/{certificate.serial}/credential.json")
    assert response.status_code == 200
    assert response.json["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


@pytest.mark.parametrize("path", ["certificate-es.pdf", "certificate-en.pdf", "credential.json"])
def test_another_users_pdf_or_credential_answers_404(client, login_as, holder_and_certificate, path):
    _, certificate = holder_and_certificate
    login_as(client, factories.make_user())
    assert client.get(f"/certificates/{certificate.serial}/{path}").status_code == 404
    assert client.get(f"/certificates/{serials.new_serial()}/{path}").status_code == 404


def test_a_language_we_do_not_offer_answers_404(client, login_as, holder_and_certificate):
    user, certificate = holder_and_certificate
    assert login_as(client, user).get(f"/certificates/{certificate.serial}/certificate-fr.pdf").status_code == 404


def test_a_company_representative_sees_and_downloads_the_company_certificate(
    app, client, login_as, world, admin_issued_courses
):
    with app.test_request_context():
        certificate = services.issue_by_admin(
            world.users["sip_admin"], admin_issued_courses["business-integrity"], organisation=world.company
        )
    db.session.commit()
    login_as(client, world.users["business_rep"])
    assert serials.display(certificate.serial) in client.get("/certificates").get_data(as_text=True)
    assert client.get(f"/certificates/{certificate.serial}/certificate-es.pdf").status_code == 200
    login_as(client, world.users["learner"])
    assert client.get(f"/certificates/{certificate.serial}/certificate-es.pdf").status_code == 404


def test_downloads_are_rate_limited_per_user(app, client, login_as, holder_and_certificate):
    user, certificate = holder_and_certificate
    login_as(client, user)
    limit = int(app.config["RATELIMIT_CERTIFICATE_DOWNLOAD"].split()[0])
    codes = [client.get(f"/certificates/{certificate.serial}/credential.json").status_code for _ in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429


# --- Public verification ---------------------------------------------------------------------------


def test_the_verification_page_shows_a_valid_certificate_without_email_or_document(client, holder_and_certificate):
    _user, certificate = holder_and_certificate
    response = client.get(f"/verify/{serials.display(certificate.serial)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rosa Quispe Mamani" in page and "Ciudadano por la Integridad" in page
    assert "rosa@example.pe" not in page and certificate.identity_salt not in page


def test_the_verification_page_gives_the_courses_time_in_the_readers_words(client, holder_and_certificate):
    _user, certificate = holder_and_certificate
    certificate.hours = 0.5
    db.session.commit()
    page = client.get(f"/verify/{serials.display(certificate.serial)}").get_data(as_text=True)
    assert "<dd>30 minutos</dd>" in html.unescape(page) and "0.5" not in page
    page = client.get(f"/verify/{serials.display(certificate.serial)}", headers={"Accept-Language": "en"})
    assert "<dd>30 minutes</dd>" in page.get_data(as_text=True)


def test_the_verification_json_states_status_holder_course_dates_and_issuer(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    response = client.get(f"/verify/{certificate.serial}?format=json")
    body = response.json
    assert response.status_code == 200
    assert body["status"] == "valid" and body["holder"] == "Rosa Quispe Mamani"
    assert body["issued_on"] and body["valid_until"] is None and "Integridad Pública" in body["issuer"]
    assert set(body) >= {"serial", "course", "certificate", "hours"}
    assert "rosa@example.pe" not in response.get_data(as_text=True)


def test_json_is_also_chosen_by_the_accept_header(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    response = client.get(f"/verify/{certificate.serial}", headers={"Accept": "application/json"})
    assert response.json["status"] == "valid"


def test_a_typed_serial_with_slips_still_finds_the_certificate(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    typed = serials.display(certificate.serial).lower().replace("-", " ")
    redirect = client.get("/verify", query_string={"serial": typed})
    # The address people copy and share is the tidy one.
    assert redirect.location.endswith(f"/verify/{serials.display(certificate.serial)}")
    response = client.get("/verify", query_string={"serial": typed}, follow_redirects=True)
    assert response.status_code == 200 and "Rosa Quispe Mamani" in response.get_data(as_text=True)


def test_expired_revoked_and_superseded_certificates_say_so(app, client, issue_certificate):
    expired = issue_certificate(slug="integrity-induction")
    expired.valid_from = expired.valid_from - relativedelta(months=30)
    expired.valid_until = expired.valid_from + relativedelta(months=24)
    revoked, old = issue_certificate(), issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        services.revoke(revoked, admin, "Emitido por error")
        replacement = services.correct_name(old, admin, "Nombre Corregido")
    db.session.commit()
    assert client.get(f"/verify/{expired.serial}?format=json").json["status"] == "expired"
    body = client.get(f"/verify/{revoked.serial}?format=json").json
    assert body["status"] == "revoked" and body["revocation_reason"] == "Emitido por error" and body["revoked_on"]
    page = client.get(f"/verify/{revoked.serial}").get_data(as_text=True)
    assert "Emitido por error" in page
    body = client.get(f"/verify/{old.serial}?format=json").json
    assert body["status"] == "superseded" and body["superseded_by"] == serials.display(replacement.serial)
    assert body["superseded_by_url"] in client.get(f"/verify/{old.serial}").get_data(as_text=True)


FORGED = [
    serials.new_serial(),
    "0" * 27,
    "ZZZZ",
    "A" * 10_000,
    "%27%20OR%201%3D1--",
    "<script>alert(1)</script>",
    "АВСD-EFGH-JKMN-PQRS-TVWX-YZ01-234",
    "..%2F..%2Fetc%2Fpasswd",
]


def test_forged_guessed_or_malformed_serials_all_get_the_same_not_found(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    serial = certificate.serial
    near_misses = [
        serial[:-1],
        serial[:-2] + ("0" if serial[-2] != "0" else "1") + serial[-1],
        serial.swapcase().replace(serial[0].swapcase(), serial[0], 0),
        serial + "A",
    ]
    bodies = set()
    for forged in [*FORGED, *near_misses[:2], near_misses[3]]:
        response = client.get(f"/verify/{forged}?format=json")
        assert response.status_code == 404, forged
        bodies.add(response.get_data())
        html = client.get(f"/verify/{forged}")
        assert html.status_code == 404 and "Traceback" not in html.get_data(as_text=True)
    assert len(bodies) == 1
    assert json.loads(bodies.pop()) == {"status": "unknown", "status_label": "No encontrada"}


def test_verification_is_rate_limited_per_address(app, client, holder_and_certificate):
    _, certificate = holder_and_certificate
    limit = int(app.config["RATELIMIT_VERIFY"].split()[0])
    codes = [client.get(f"/verify/{certificate.serial}?format=json").status_code for _ in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429


# --- Uploads ---------------------------------------------------------------------------------------


def test_an_uploaded_original_pdf_is_genuine(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    response = _upload(client, certificate.documents[0].pdf)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Rosa Quispe Mamani" in page
    assert "No válido" not in page


def test_a_pdf_with_an_edited_name_is_caught(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    original = certificate.documents[0].pdf
    # Edit the document outside the credential: its title in the metadata carries the name.
    edited = original.replace(b"Rosa", b"Rasa", 1)
    assert edited != original
    response = _upload(client, edited)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # One verdict, the red one: nothing green beside it, and the genuine record a link away.
    assert page.count("notice-error") == 1 and "No válido" in page
    assert "tag-success" not in page and "notice-success" not in page and "verification-valid" not in page
    assert f'href="http://localhost/verify/{serials.display(certificate.serial)}"' in page


def test_an_uploaded_credential_with_one_changed_character_is_caught(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    genuine = _upload(client, certificate.credential.encode(), "credential.json")
    assert genuine.status_code == 200
    tampered = certificate.credential.replace("Rosa", "Rosy", 1).encode()
    response = _upload(client, tampered, "credential.json")
    assert response.status_code == 422
    assert "alterad" in response.get_data(as_text=True)


def test_a_credential_signed_by_an_unknown_key_is_caught(app, client, tmp_path, holder_and_certificate):
    _, certificate = holder_and_certificate
    stranger = KeyRing.load_or_create(tmp_path / "stranger").active
    document = json.loads(certificate.credential)
    document.pop("proof")
    with app.app_context():
        from app.certificates.signing import issuer

        forged = openbadges.sign(document, stranger, f"{issuer.issuer_did()}#{stranger.kid}")
    response = _upload(client, json.dumps(forged).encode(), "credential.json")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, this is text", b"\x89PNG\r\n\x1a\n" + b"0" * 100, b"%PDF-1.4\n%%EOF", b"{not json", b"[1, 2]"],
)
def test_files_that_are_not_certificates_are_not_valid_and_never_a_500(client, data):
    response = _upload(client, data)
    assert response.status_code == 422
    assert "No válido" in response.get_data(as_text=True)


def test_a_50_mb_upload_is_refused_with_a_clear_message(client):
    # A raw body: the test client would spool a dict upload this size to a temporary file it never closes.
    boundary = "academy-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_token(client)}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-"
        + b"0" * (50 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post("/verify", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "demasiado grande" in response.get_data(as_text=True)


def test_the_verify_page_without_input_offers_both_ways(client):
    page = client.get("/verify").get_data(as_text=True)
    assert 'name="serial"' in page and 'type="file"' in page


# --- Published keys and status lists ---------------------------------------------------------------


def test_the_did_document_and_jwks_publish_every_key(client, app):
    did = client.get("/.well-known/did.json").json
    assert did["id"] == "did:web:localhost"
    assert did["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")
    jwks = client.get("/.well-known/jwks.json").json
    assert jwks["keys"][0]["kty"] == "OKP" and jwks["keys"][0]["crv"] == "Ed25519"


def test_the_status_list_is_a_signed_credential_and_unknown_lists_answer_404(app, client, holder_and_certificate):
    _, certificate = holder_and_certificate
    document = client.get(f"/certificates/status/{certificate.status_list}").json
    assert "BitstringStatusListCredential" in document["type"]
    with app.app_context():
        from app.certificates.signing import credentials

        assert credentials.check(document).valid
    assert not openbadges.status_is_set(document["credentialSubject"]["encodedList"], certificate.status_index)
    assert client.get("/certificates/status/99").status_code == 404


@pytest.mark.parametrize("legacy", LEGACY_SERIALS)
def test_certificates_issued_with_a_legacy_serial_still_verify_download_and_name_their_files(
    client, login_as, holder_and_certificate, legacy
):
    user, certificate = holder_and_certificate
    certificate.serial = legacy
    db.session.commit()
    shown = serials.display(legacy)
    assert client.get(f"/verify/{shown}?format=json").json["status"] == "valid"
    assert client.get(f"/verify/{legacy}?format=json").json["serial"] == shown
    page = client.get(f"/verify/{shown}").get_data(as_text=True)
    assert "verification-valid" in page and "Rosa Quispe Mamani" in page
    followed = client.get("/verify", query_string={"serial": shown.lower()}, follow_redirects=True)
    assert followed.status_code == 200 and "Rosa Quispe Mamani" in followed.get_data(as_text=True)
    login_as(client, user)
    mine = client.get("/certificates").get_data(as_text=True)
    download = client.get(f"/certificates/{legacy}/credential.json")
    assert download.status_code == 200 and shown in mine
    assert re.search(r'filename="credential-[A-Z0-9_]{27}\.json"', download.headers["Content-Disposition"])


# A messaging app's link detection, as WhatsApp's and Android's Linkify behave: a link runs while its
# characters may appear in a URL, and the punctuation that usually ends a sentence is left out of it.
_URL_RUN = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()+,;=%]+")
_DROPPED_AT_THE_END = ".,;:!?*~=$)"


def _links_in(message):
    return [found.group().rstrip(_DROPPED_AT_THE_END) for found in _URL_RUN.finditer(message)]


def _open(client, link):
    parts = urlsplit(link)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


@pytest.mark.parametrize(
    "message",
    [
        "Mi constancia: {url}",
        "Puede verificar mi constancia aquí: {url}.",
        "Verifíquela ({url}), por favor",
        "{url}\nSaludos",
    ],
)
def test_a_new_serials_link_shared_in_a_message_reaches_the_valid_certificate(
    app, client, holder_and_certificate, message
):
    _, certificate = holder_and_certificate
    with app.test_request_context():
        url = addresses.verification_url(certificate.serial)
    assert certificate.serial[-1] in serials.ALPHABET
    [link] = _links_in(message.format(url=url))
    assert link == url
    page = _open(client, link)
    assert page.status_code == 200 and "verification-valid" in page.get_data(as_text=True)


@pytest.mark.parametrize("legacy", [s for s in LEGACY_SERIALS if s[-1] in "*~$="])
def test_a_legacy_serials_link_that_lost_its_last_symbol_in_a_message_still_reaches_the_certificate(
    app, client, holder_and_certificate, legacy
):
    _, certificate = holder_and_certificate
    certificate.serial = legacy
    db.session.commit()
    with app.test_request_context():
        url = addresses.verification_url(legacy)
    [link] = _links_in(f"Mi constancia: {url}")
    assert link != url  # the check symbol was left out of the link
    page = _open(client, link)
    assert page.status_code == 200 and "verification-valid" in page.get_data(as_text=True)


def test_a_slip_that_passes_the_legacy_check_finds_no_certificate(client, holder_and_certificate):
    _, certificate = holder_and_certificate
    serial = certificate.serial
    slip = next(
        mistyped
        for position in range(serials.BODY_LENGTH)
        for symbol in serials.ALPHABET
        if symbol != serial[position]
        and serials.normalise(mistyped := serial[:position] + symbol + serial[position + 1 :]) is not None
    )
    assert client.get(f"/verify/{serials.display(slip)}?format=json").status_code == 404
