from dataclasses import asdict

from dateutil.relativedelta import relativedelta

from app.certificates import queries, serials, services
from app.certificates.verification import public_record
from app.extensions import db
from tests import factories


def test_the_public_facts_read_of_a_serial_give_the_same_record_as_the_certificate(app, issue_certificate):
    expired = issue_certificate(slug="integrity-induction")
    expired.valid_from = expired.valid_from - relativedelta(months=30)
    expired.valid_until = expired.valid_from + relativedelta(months=24)
    valid, revoked, old = issue_certificate(), issue_certificate(), issue_certificate()
    admin = factories.make_user()
    with app.test_request_context():
        services.revoke(revoked, admin, "Emitido por error")
        replacement = services.correct_name(old, admin, "Nombre Corregido")
    db.session.commit()
    for certificate in (expired, valid, revoked, old, replacement):
        for language in ("es", "en"):
            with app.test_request_context(headers={"Accept-Language": language}):
                facts = queries.public_facts(serials.display(certificate.serial).lower())
                assert public_record(facts, language) == public_record(certificate, language)
    with app.test_request_context():
        assert queries.public_facts(old.serial).superseded_by_serial == replacement.serial


def test_the_public_facts_hold_nothing_a_stranger_may_not_see(app, issue_certificate):
    certificate = issue_certificate()
    with app.test_request_context():
        facts = asdict(queries.public_facts(certificate.serial))
    assert not {"credential", "identity_salt", "user_id", "holder_key", "key_id", "enrolment_id"} & facts.keys()
    assert certificate.user.email not in str(facts)


def test_an_unknown_or_malformed_serial_has_no_public_facts(app):
    with app.test_request_context():
        assert queries.public_facts(serials.new_serial()) is None
        assert queries.public_facts("<script>") is None
        assert queries.public_facts("A" * 10_000) is None
