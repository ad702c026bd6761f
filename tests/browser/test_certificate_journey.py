"""A learner earns the sample course's certificate, downloads and shares it; a SIP admin revokes it.

Certificate pages are asserted in the words of the Spanish catalogue (the `es` fixture), so the test follows the
translation instead of guessing it; tests/core/test_translations.py is what insists the words exist.
"""

import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from flask_babel import force_locale, format_date
from flask_babel import gettext as babel_gettext
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app.accounts.models import User
from app.catalog import content
from app.catalog import services as catalog_services
from app.certificates import serials
from app.certificates.models import Certificate
from app.certificates.signing import credentials, openbadges
from app.extensions import db
from app.organisations import roles
from tests import factories
from tests.browser.walker import fill_form, right_answers

pytestmark = pytest.mark.browser

LEARNER_EMAIL = "constancia.browser@example.pe"
LEARNER_NAME = "Rosa Ñahui Condori"
ADMIN_EMAIL = "revoca.browser@example.pe"
REASON = "Se emitió por error: la evaluación se rindió con la cuenta de otra persona."
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture
def new_page(browser, live_server):
    """Another person's browser: a fresh context, closed when the test ends."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server, locale="es-PE", bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def es(live_app):
    """What a Spanish page says for a message of the catalogue (dates too, through *dates*)."""

    def translate(message, *, dates=(), **values):
        with live_app.test_request_context(), force_locale("es"):
            values.update({name: format_date(moment, format="long") for name, moment in dict(dates).items()})
            return babel_gettext(message, **values)

    return translate


def test_certificate_is_earned_downloaded_verified_and_revoked(
    page, new_page, live_server, live_db, check_accessibility, es
):
    admin_secret = live_db(_prepare_learner_and_admin)

    _learner_passes_the_final_assessment(page, live_db, check_accessibility)
    certificate = live_db(_the_certificate)
    shown_serial = serials.display(certificate["serial"])

    link = _my_certificates_lists_it(page, check_accessibility, es, certificate)
    credential, spanish_pdf = _downloads_the_pdfs_and_the_credential(page, certificate)
    status_url = credential["credentialStatus"]["statusListCredential"]
    index = int(credential["credentialStatus"]["statusListIndex"])
    assert status_url == f"{live_server}/certificates/status/{certificate['status_list']}"
    assert index == certificate["status_index"]
    assert _status_bit(page, live_db, status_url, index) is False

    visitor = new_page()
    _visitor_sees_it_valid(visitor, check_accessibility, es, link, shown_serial)
    _visitor_types_the_serial_carelessly(visitor, check_accessibility, es, shown_serial)
    _visitor_uploads_the_pdf(visitor, check_accessibility, es, spanish_pdf)

    admin = new_page()
    _admin_revokes_it(admin, check_accessibility, es, admin_secret, shown_serial)

    revoked_at = live_db(_the_certificate)["revoked_at"]
    visitor.goto(link)
    _shows_revoked(visitor, check_accessibility, es, revoked_at)
    answer = visitor.request.get(f"/verify/{certificate['serial']}?format=json")
    assert answer.status == 200
    assert answer.json()["status"] == "revoked"
    assert answer.json()["revocation_reason"] == REASON
    assert _status_bit(visitor, live_db, status_url, index) is True
    _learner_sees_it_revoked(page, check_accessibility, es, certificate)


def _prepare_learner_and_admin():
    """The sample course with every lesson and activity done, so only the final is left to pass in the browser."""
    catalog_services.sync_package(content.load_package(factories.COURSES / "using-the-academy"))
    db.session.commit()
    learner = factories.make_user(email=LEARNER_EMAIL, display_name=LEARNER_NAME, locale="es")
    factories.complete_everything_but_the_assessment(factories.make_enrolment(learner))
    admin = factories.make_user(email=ADMIN_EMAIL, display_name="Revisora de Constancias", second_factor=True)
    factories.make_membership(admin, factories.get_organisation("SIP"), roles.SIP_ADMIN)
    return factories.totp_secret(admin)


def _the_certificate():
    certificate = db.session.execute(
        select(Certificate).join(Certificate.user).where(User.email == LEARNER_EMAIL)
    ).scalar_one()
    return {
        "serial": certificate.serial,
        "status_list": certificate.status_list,
        "status_index": certificate.status_index,
        "identity_salt": certificate.identity_salt,
        "revoked_at": certificate.revoked_at,
    }


def _sign_in(page, check_accessibility, email, secret=None):
    page.goto("/login")
    check_accessibility(page)
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(factories.DEFAULT_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    if secret:
        check_accessibility(page)
        page.get_by_label("Código").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Continuar").click()


def _learner_passes_the_final_assessment(page, live_db, check_accessibility):
    _sign_in(page, check_accessibility, LEARNER_EMAIL)
    page.get_by_role("navigation").get_by_role("link", name="Mi aprendizaje").click()
    check_accessibility(page)
    page.get_by_role("link", name="Continuar").first.click()  # everything else is done: on to the final
    assert page.url.endswith("/assessment")
    check_accessibility(page)
    page.get_by_role("button", name="Empezar la evaluación").click()
    check_accessibility(page)
    fill_form(page, live_db(lambda: right_answers(LEARNER_EMAIL, 1)))
    page.get_by_role("button", name="Enviar mis respuestas").click()
    assert "Aprobó" in page.locator(".notice").first.inner_text()
    assert "Completaste el curso" in page.locator("main").inner_text()
    check_accessibility(page)


def _my_certificates_lists_it(page, check_accessibility, es, certificate):
    """The certificate, its status, serial, downloads in both languages, the link to share and LinkedIn."""
    page.get_by_role("navigation", name=es("Main menu")).get_by_role("link", name=es("My certificates")).click()
    assert page.get_by_role("heading", level=1).inner_text() == es("My certificates")
    check_accessibility(page)
    card = _card(page, certificate["serial"])
    assert card.get_by_role("heading", level=2).inner_text() == es("Citizen for Integrity")
    assert LEARNER_NAME in card.inner_text()
    assert card.locator(".tag").inner_text() == es("Valid")
    assert card.locator("code").inner_text() == serials.display(certificate["serial"])
    assert card.get_by_role("link", name=f"{es('Download PDF')} (español)").is_visible()
    assert card.get_by_role("link", name="PDF in English").is_visible()
    assert card.get_by_role("link", name=es("Download the credential (Open Badges)")).is_visible()
    linkedin = urlsplit(card.get_by_role("link", name=es("Add to LinkedIn profile"), exact=False).get_attribute("href"))
    assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/profile/add")
    assert parse_qs(linkedin.query)["certId"] == [serials.display(certificate["serial"])]
    link = card.get_by_label(es("Verification link")).input_value()
    assert link.endswith("/verify/" + serials.display(certificate["serial"]))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    card.get_by_role("button", name=es("Copy link")).click()
    expect(card.get_by_role("status")).to_have_text(es("Link copied"))
    assert page.evaluate("navigator.clipboard.readText()") == link
    return link


def _card(page, serial):
    return page.locator("li.certificate", has_text=serials.display(serial))


def _downloads_the_pdfs_and_the_credential(page, certificate):
    card = _card(page, certificate["serial"])
    pdfs = {}
    for language, name in (("es", "(español)"), ("en", "PDF in English")):
        with page.expect_download() as download:
            card.get_by_role("link", name=name).click()
        # Not compared whole: a browser may replace a check symbol (*~$=) that the disk cannot take.
        assert re.fullmatch(rf"certificate-[A-Z0-9_]{{27}}-{language}\.pdf", download.value.suggested_filename)
        data = pdfs[language] = download.value.path().read_bytes()
        assert data.startswith(b"%PDF-")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert LEARNER_NAME in text, (language, text)
        assert serials.display(certificate["serial"]) in text
    with page.expect_download() as download:
        card.get_by_role("link", name="Open Badges", exact=False).click()
    raw = download.value.path().read_text(encoding="utf-8")
    assert LEARNER_EMAIL not in raw
    credential = json.loads(raw)
    subject = credential["credentialSubject"]
    assert subject["name"] == LEARNER_NAME
    identity = subject["identifier"][0]
    assert identity["hashed"] is True
    assert identity["identityHash"] == openbadges.hash_identity(LEARNER_EMAIL, certificate["identity_salt"])
    assert credential["id"].endswith("/verify/" + serials.display(certificate["serial"]))
    return credential, pdfs["es"]


def _visitor_sees_it_valid(visitor, check_accessibility, es, link, shown_serial):
    visitor.goto(link)
    assert visitor.get_by_role("heading", level=1).inner_text() == es("Certificate check")
    panel = visitor.locator("section.verification")
    assert panel.locator(".tag").inner_text() == es("Valid")
    assert panel.locator(".holder-name").inner_text() == LEARNER_NAME
    assert panel.locator("code").inner_text() == shown_serial
    assert LEARNER_EMAIL not in visitor.content()
    assert EMAIL_PATTERN.findall(visitor.locator("body").inner_text()) == []
    check_accessibility(visitor)


def _visitor_types_the_serial_carelessly(visitor, check_accessibility, es, shown_serial):
    visitor.goto("/verify")
    check_accessibility(visitor)
    visitor.get_by_label(es("Certificate serial")).fill(shown_serial.lower().replace("-", " "))
    visitor.get_by_role("button", name=es("Check"), exact=True).click()
    panel = visitor.locator("section.verification")
    assert panel.locator(".tag").inner_text() == es("Valid")
    assert panel.locator(".holder-name").inner_text() == LEARNER_NAME
    assert panel.locator("code").inner_text() == shown_serial
    check_accessibility(visitor)


def _visitor_uploads_the_pdf(visitor, check_accessibility, es, pdf):
    """The file the learner downloaded, checked by whoever received it."""
    visitor.goto("/verify")
    visitor.get_by_label(es("Certificate file")).set_input_files(
        {"name": "constancia.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    visitor.get_by_role("button", name=es("Check the file")).click()
    assert (
        es("This file is a genuine certificate issued by the Academy.") in visitor.locator(".notice").first.inner_text()
    )
    assert visitor.locator("section.verification .holder-name").inner_text() == LEARNER_NAME
    check_accessibility(visitor)


def _admin_revokes_it(admin, check_accessibility, es, secret, shown_serial):
    _sign_in(admin, check_accessibility, ADMIN_EMAIL, secret)
    check_accessibility(admin)
    admin.get_by_role("main").get_by_role("link", name=es("Certificates"), exact=True).click()
    check_accessibility(admin)
    admin.get_by_label(es("Name or serial")).fill("Ñahui")
    admin.get_by_role("button", name=es("Filter")).click()
    check_accessibility(admin)
    admin.get_by_role("link", name=shown_serial).click()
    check_accessibility(admin)

    admin.get_by_role("button", name=es("Revoke this certificate")).click()  # no reason: refused, and said why
    assert es("Give the reason for revoking.") in admin.locator(".error-summary").inner_text()
    check_accessibility(admin)

    admin.get_by_label(es("Reason for revoking")).fill(REASON)
    admin.get_by_role("button", name=es("Revoke this certificate")).click()
    notice = es("The certificate is revoked. Its verification page and the status list say so now.")
    assert notice in admin.locator(".notice-success").inner_text()
    assert admin.locator("section.verification .tag").inner_text() == es("Revoked")
    assert admin.get_by_role("button", name=es("Revoke this certificate")).count() == 0
    check_accessibility(admin)


def _shows_revoked(visitor, check_accessibility, es, revoked_at):
    panel = visitor.locator("section.verification")
    assert panel.locator(".tag").inner_text() == es("Revoked")
    expected = es("Revoked on %(date)s. Reason: %(reason)s", dates={"date": revoked_at}, reason=REASON)
    assert panel.locator(".notice-error").inner_text() == expected
    assert panel.locator(".holder-name").inner_text() == LEARNER_NAME
    check_accessibility(visitor)


def _learner_sees_it_revoked(page, check_accessibility, es, certificate):
    """No downloads and no link to share any more: the reason instead."""
    page.reload()
    card = _card(page, certificate["serial"])
    assert card.locator(".tag").inner_text() == es("Revoked")
    assert REASON in card.locator(".notice-error").inner_text()
    assert card.get_by_role("link", name=es("Download PDF"), exact=False).count() == 0
    assert card.get_by_label(es("Verification link")).count() == 0
    check_accessibility(page)


def _status_bit(page, live_db, url, index):
    """Read the certificate's bit as a wallet would, after checking the list's own signature."""
    answer = page.request.get(url)
    assert answer.status == 200
    document = answer.json()
    assert live_db(lambda: credentials.check(document).valid)
    return openbadges.status_is_set(document["credentialSubject"]["encodedList"], index)
