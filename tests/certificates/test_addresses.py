"""The addresses a certificate points to: its verification page and LinkedIn's "add to profile" link."""

from urllib.parse import parse_qs, quote_plus, urlsplit

from app.certificates import addresses, serials
from app.certificates.signing.issuer import ISSUER_NAME


def _linkedin(app, certificate, language):
    with app.test_request_context():
        return urlsplit(addresses.linkedin_add_url(certificate, language)), addresses.verification_url(
            certificate.serial
        )


def test_the_linkedin_link_carries_every_documented_field_of_a_certificate_that_expires(app, issue_certificate):
    certificate = issue_certificate(slug="integrity-induction")
    link, verification = _linkedin(app, certificate, "es")
    assert (link.scheme, link.netloc, link.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qs(link.query, strict_parsing=True) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Constancia de Inducción en Integridad Pública: Módulo de Inducción en Integridad"],
        "organizationName": [ISSUER_NAME],
        "issueYear": [str(certificate.valid_from.year)],
        "issueMonth": [str(certificate.valid_from.month)],
        "expirationYear": [str(certificate.valid_until.year)],
        "expirationMonth": [str(certificate.valid_until.month)],
        "certUrl": [verification],
        "certId": [serials.display(certificate.serial)],
    }


def test_a_certificate_with_no_expiry_sends_no_expiry_and_its_name_once(app, issue_certificate):
    certificate = issue_certificate()
    link, _ = _linkedin(app, certificate, "es")
    fields = parse_qs(link.query, strict_parsing=True)
    assert "expirationYear" not in fields and "expirationMonth" not in fields
    assert fields["name"] == ["Ciudadano por la Integridad"]


def test_the_name_follows_the_language_asked_for(app, issue_certificate):
    certificate = issue_certificate(slug="integrity-induction")
    link, _ = _linkedin(app, certificate, "en")
    assert parse_qs(link.query)["name"] == ["Certificate of Induction in Public Integrity: Integrity Induction Module"]


def test_every_value_is_form_encoded(app, issue_certificate):
    certificate = issue_certificate(slug="integrity-induction")
    link, verification = _linkedin(app, certificate, "es")
    raw = dict(pair.split("=", 1) for pair in link.query.split("&"))
    assert raw["certUrl"] == quote_plus(verification) and raw["certUrl"].startswith(
        "http%3A%2F%2Flocalhost%2Fverify%2F"
    )
    assert raw["organizationName"] == quote_plus(ISSUER_NAME)
    assert (
        raw["name"]
        == "Constancia+de+Inducci%C3%B3n+en+Integridad+P%C3%BAblica%3A+M%C3%B3dulo+de+Inducci%C3%B3n+en+Integridad"
    )
    assert raw["certId"] == serials.display(certificate.serial)  # letters, digits and hyphens need no escaping
    assert link.query.isascii() and " " not in link.query
