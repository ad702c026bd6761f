"""The demo certificates: one for the demo citizen, one for the demo company, issued once."""

import re

from sqlalchemy import func, select

from app.certificates.models import Certificate
from app.extensions import db
from tests import factories


def test_the_demo_gets_a_citizen_and_a_company_certificate_once(app, runner, admin_issued_courses):
    from app.accounts.demo import create_demo_set

    citizen_course = factories.sync_course("citizen-integrity")
    with app.app_context():
        create_demo_set()
        db.session.commit()
    first = runner.invoke(args=["certificates", "demo"])
    assert first.exit_code == 0, first.output
    holders = db.session.scalars(select(Certificate.holder_name).order_by(Certificate.type)).all()
    assert holders == ["Constructora Andina de Ejemplo S.A.C. (DEMO)", "Demo · Ciudadana"]
    # Named by their full address, ready to open: not a bare path.
    assert len(re.findall(r"^Demo certificate for .+: http://localhost/verify/[0-9A-Z-]+$", first.output, re.M)) == 2
    citizens = db.session.scalars(select(Certificate).where(Certificate.type == "citizen")).all()
    assert [certificate.course_id for certificate in citizens] == [citizen_course.id]
    again = runner.invoke(args=["certificates", "demo"])
    assert again.exit_code == 0 and "/verify/" not in again.output
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2
    shown = runner.invoke(args=["demo", "show"])
    assert len(re.findall(r"^   http://localhost/verify/[0-9A-Z-]+$", shown.output, re.M)) == 2


def test_without_a_demo_set_nothing_is_issued(runner):
    result = runner.invoke(args=["certificates", "demo"])
    assert result.exit_code == 0 and result.output == ""
