"""Issuing, re-issuing, revoking and the stored PDFs."""

import json

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from app.certificates import pdf, serials, services
from app.certificates.models import Certificate, CertificateDocument, IssuedFile
from app.certificates.signing import openbadges, status_lists
from app.core.audit import AuditEvent
from app.core.models import utcnow
from app.extensions import db
from app.tasks import run_queued_tasks
from tests import factories


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_completing_a_course_issues_one_certificate_with_its_pdf_and_signed_credential(app, issue_certificate):
    user = factories.make_user(display_name="María José Ñahui O'Brien")
    certificate = issue_certificate(user)
    assert certificate.holder_name == "María José Ñahui O'Brien"
    assert certificate.type == "citizen" and certificate.holder_key == f"user:{user.id}"
    assert serials.normalise(certificate.serial) == certificate.serial
    [document] = certificate.documents
    assert document.language == "es" and document.pdf.startswith(b"%PDF-")
    assert db.session.get(IssuedFile, document.sha256).certificate_id == certificate.id
    credential = json.loads(certificate.credential)
    assert credential["credentialSubject"]["name"] == user.display_name
    # Citizen for Integrity earns the certificate of the same name: said once, not "X: X".
    assert credential["credentialSubject"]["achievement"]["name"] == "Ciudadano por la Integridad"
    with app.app_context():
        from app.certificates.signing import credentials

        assert credentials.check(credential).valid


def test_the_pdf_carries_the_same_signed_credential(app, issue_certificate):
    certificate = issue_certificate()
    embedded = pdf.read_attachment(certificate.documents[0].pdf, "credential.json", 65536)
    assert json.loads(embedded) == json.loads(certificate.credential)


def test_a_completion_signal_sent_twice_still_gives_one_certificate(app, issue_certificate):
    certificate = issue_certificate()
    with app.test_request_context():
        again = services.issue_for_enrolment(certificate.enrolment)
    assert again.id == certificate.id
    assert _count(Certificate) == 1


def test_validity_comes_from_the_course_package(app, issue_certificate):
    certificate = issue_certificate(slug="integrity-induction")
    assert certificate.type == "induction"
    assert certificate.valid_until == certificate.valid_from + relativedelta(months=24)
    sample = issue_certificate()
    assert sample.valid_until is None


def test_the_holders_language_is_used_for_the_first_pdf_and_the_other_is_drawn_once_on_demand(app, issue_certificate):
    certificate = issue_certificate(factories.make_user(locale="en"))
    assert [d.language for d in certificate.documents] == ["en"]
    with app.test_request_context():
        spanish = services.document(certificate, "es")
        again = services.document(certificate, "es")
    assert spanish.id == again.id
    assert _count(CertificateDocument) == 2


def test_revoking_needs_a_reason_records_it_and_sets_the_status_list_bit(app, issue_certificate):
    certificate = issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        with pytest.raises(services.CertificateError):
            services.revoke(certificate, admin, "   ")
        services.revoke(certificate, admin, "Obtenido con datos falsos")
        with pytest.raises(services.CertificateError):
            services.revoke(certificate, admin, "otra vez")
        document = status_lists.status_list_credential(certificate.status_list)
    assert certificate.status(utcnow()) == "revoked"
    assert status_lists.is_set(document, certificate.status_index)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.revoked")).one()
    assert event.details["reason"] == "Obtenido con datos falsos"


def test_a_name_correction_issues_a_new_certificate_and_the_old_one_points_to_it(app, issue_certificate):
    certificate = issue_certificate(factories.make_user(display_name="Jose Perez"))
    admin = factories.make_user()
    with app.test_request_context():
        replacement = services.correct_name(certificate, admin, "José Pérez")
        with pytest.raises(services.CertificateError):
            services.correct_name(certificate, admin, "José Pérez Ruiz")
        document = status_lists.status_list_credential(certificate.status_list)
    db.session.commit()
    run_queued_tasks()
    assert replacement.serial != certificate.serial
    assert replacement.generation == 2 and replacement.holder_name == "José Pérez"
    assert replacement.valid_from == certificate.valid_from
    assert certificate.superseded_by_id == replacement.id
    assert certificate.status(utcnow()) == "superseded" and replacement.status(utcnow()) == "valid"
    assert json.loads(replacement.credential)["credentialSubject"]["name"] == "José Pérez"
    # Wallets holding the old credential learn it no longer stands.
    assert status_lists.is_set(document, certificate.status_index)
    assert not status_lists.is_set(document, replacement.status_index)


def test_expiry_is_a_status(app, issue_certificate):
    certificate = issue_certificate(slug="integrity-induction")
    assert certificate.status(certificate.valid_until - relativedelta(days=1)) == "valid"
    assert certificate.status(certificate.valid_until) == "expired"


def test_the_company_certificate_needs_a_valid_ruc_and_names_the_company(app, world, admin_issued_courses):
    admin = world.users["sip_admin"]
    course = admin_issued_courses["business-integrity"]
    with app.test_request_context():
        with pytest.raises(services.CertificateError):
            services.issue_by_admin(admin, course, user=world.users["citizen"])
        certificate = services.issue_by_admin(admin, course, organisation=world.company)
        with pytest.raises(services.CertificateError):
            services.issue_by_admin(admin, course, organisation=world.company)
    db.session.commit()
    run_queued_tasks()
    assert certificate.type == "business"
    assert certificate.holder_name == world.company.name and certificate.holder_ruc == "20131378972"
    assert certificate.holder_key == f"org:{world.company.id}"
    subject = json.loads(certificate.credential)["credentialSubject"]
    # The RUC identifies the company only as a salted hash in the credential.
    assert "20131378972" not in json.dumps(subject["identifier"])
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.issued_by_admin")).one()
    assert event.actor_id == admin.id


@pytest.mark.parametrize("ruc", ["20131378973", "2013137897", "ABCDEFGHIJK"])
def test_a_ruc_with_a_wrong_check_digit_or_shape_is_refused(app, ruc):
    with app.test_request_context(), pytest.raises(services.CertificateError):
        services.validate_ruc(ruc)


def test_the_trainer_certificate_is_issued_by_an_admin_to_a_person(app, world, admin_issued_courses):
    admin = world.users["sip_admin"]
    with app.test_request_context():
        certificate = services.issue_by_admin(
            admin, admin_issued_courses["train-the-trainer"], user=world.users["integrity_officer"]
        )
    assert certificate.type == "trainer" and certificate.user_id == world.users["integrity_officer"].id


def test_a_course_completed_by_the_learner_cannot_be_issued_by_hand(app, world):
    course = factories.sync_course("citizen-integrity")
    with app.test_request_context(), pytest.raises(services.CertificateError):
        services.issue_by_admin(world.users["sip_admin"], course, user=world.users["citizen"])


def test_a_course_that_gives_no_certificate_cannot_be_issued_by_hand(app, world):
    with app.test_request_context(), pytest.raises(services.CertificateError, match="no otorga constancia"):
        services.issue_by_admin(
            world.users["sip_admin"], factories.get_course("using-the-academy"), user=world.users["citizen"]
        )


def test_completing_the_guide_to_the_academy_records_completion_and_issues_no_certificate(app):
    enrolment = factories.make_enrolment(slug="using-the-academy")
    assert enrolment.version.meta["certificate"]["type"] == "none"
    with app.test_request_context():
        factories.complete_course(enrolment)
    assert enrolment.status == "completed" and enrolment.completed_at is not None
    assert _count(Certificate) == 0


def test_a_certificate_of_a_type_issued_by_hand_is_not_issued_on_completion(app, admin_issued_courses):
    enrolment = factories.make_enrolment(slug="train-the-trainer")
    with app.test_request_context():
        assert services.issue_for_enrolment(enrolment) is None


def test_regenerating_redraws_only_outdated_pdfs_and_remembers_every_file(app, issue_certificate, monkeypatch):
    certificate = issue_certificate()
    old = certificate.documents[0]
    old_digest = old.sha256
    with app.test_request_context():
        assert services.regenerate(certificate) == 0
        monkeypatch.setattr(pdf, "TEMPLATE_VERSION", pdf.TEMPLATE_VERSION + 1)
        assert services.regenerate(certificate) == 1
    assert old.template_version == pdf.TEMPLATE_VERSION
    # The old file still verifies as one we issued.
    assert db.session.get(IssuedFile, old_digest) is not None


@pytest.mark.parametrize(
    "name",
    [
        "<b>x</b>",
        "&amp;",
        "<font color=\"[[[getattr(pow, Word('__globals__'))['os'].system('touch /tmp/x')]]]\">",
        "Ana\u202eanA",
        "José" + "\u0301" * 3,
        "N" * 200,
    ],
)
def test_hostile_or_extreme_names_are_issued_as_plain_text(app, issue_certificate, name):
    certificate = issue_certificate(factories.make_user(display_name=name[:120]))
    assert "\u202e" not in certificate.holder_name
    assert certificate.documents[0].pdf.startswith(b"%PDF-")


def test_the_credential_holds_no_email_or_document_number(app, issue_certificate):
    user = factories.make_user(email="secreta@example.pe")
    certificate = issue_certificate(user)
    assert "secreta@example.pe" not in certificate.credential
    subject = json.loads(certificate.credential)["credentialSubject"]
    [identifier] = subject["identifier"]
    assert identifier["identityHash"] == openbadges.hash_identity("secreta@example.pe", certificate.identity_salt)
