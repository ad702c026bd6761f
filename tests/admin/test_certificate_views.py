"""The SIP's certificate screens: find, revoke, correct a name, issue by hand, regenerate; nobody else."""

import pytest
from sqlalchemy import select

from app.certificates import pdf, serials
from app.certificates.models import Certificate, RegenerationJob
from app.core.audit import AuditEvent
from app.extensions import db
from app.tasks import run_queued_tasks
from tests import factories
from tests.csrf import csrf_token


@pytest.fixture
def admin_client(client, world, login_as):
    login_as(client, world.users["sip_admin"])
    return client


@pytest.fixture
def certificate(issue_certificate):
    return issue_certificate(factories.make_user(display_name="Luis Huamán"))


def test_the_list_finds_a_certificate_by_name_or_by_a_sloppily_typed_serial(admin_client, certificate):
    page = admin_client.get("/admin/certificates", query_string={"q": "huamán"}).get_data(as_text=True)
    assert serials.display(certificate.serial) in page
    sloppy = serials.display(certificate.serial).lower()
    page = admin_client.get("/admin/certificates", query_string={"q": sloppy}).get_data(as_text=True)
    assert "Luis Huamán" in page
    page = admin_client.get("/admin/certificates", query_string={"q": "%_'--"}).get_data(as_text=True)
    assert "Luis Huamán" not in page


def test_revoking_from_the_detail_page_is_audited_and_shown_publicly(admin_client, world, certificate):
    response = admin_client.post(
        f"/admin/certificates/{certificate.serial}/revoke",
        data={"reason": "Suplantación", "csrf_token": csrf_token(admin_client)},
    )
    assert response.status_code == 302
    assert certificate.revoked_at is not None and certificate.revoked_by_id == world.users["sip_admin"].id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.revoked")).one()
    assert event.details["serial"] == certificate.serial
    assert admin_client.get(f"/verify/{certificate.serial}?format=json").json["status"] == "revoked"


def test_revoking_without_a_reason_names_the_field_and_changes_nothing(admin_client, certificate):
    response = admin_client.post(
        f"/admin/certificates/{certificate.serial}/revoke", data={"reason": "", "csrf_token": csrf_token(admin_client)}
    )
    assert response.status_code == 422
    assert "Indique el motivo" in response.get_data(as_text=True)
    assert certificate.revoked_at is None


def test_correcting_a_name_reissues_and_redirects_to_the_new_certificate(admin_client, certificate):
    response = admin_client.post(
        f"/admin/certificates/{certificate.serial}/correct-name",
        data={"name": "Luis Huamán Ríos", "csrf_token": csrf_token(admin_client)},
    )
    replacement = db.session.get(Certificate, certificate.superseded_by_id)
    assert response.status_code == 302 and replacement.serial in response.location
    assert replacement.holder_name == "Luis Huamán Ríos"
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.reissued")).one()


def test_a_name_of_more_than_200_characters_is_refused_with_a_message(admin_client, certificate):
    response = admin_client.post(
        f"/admin/certificates/{certificate.serial}/correct-name",
        data={"name": "A" * 201, "csrf_token": csrf_token(admin_client)},
    )
    assert response.status_code == 422 and certificate.superseded_by_id is None


def test_issuing_a_company_certificate_by_hand(admin_client, world, admin_issued_courses):
    course = admin_issued_courses["business-integrity"]
    form = admin_client.get("/admin/certificates/issue").get_data(as_text=True)
    assert world.company.name in form
    response = admin_client.post(
        "/admin/certificates/issue",
        data={
            "course_id": course.id,
            "organisation_id": world.company.id,
            "email": "",
            "csrf_token": csrf_token(admin_client),
        },
    )
    assert response.status_code == 302
    certificate = db.session.scalars(select(Certificate).where(Certificate.organisation_id == world.company.id)).one()
    assert certificate.holder_ruc == world.company.ruc


def test_issuing_to_an_unknown_email_names_the_field(admin_client, admin_issued_courses):
    course = admin_issued_courses["train-the-trainer"]
    response = admin_client.post(
        "/admin/certificates/issue",
        data={
            "course_id": course.id,
            "organisation_id": 0,
            "email": "nadie@example.pe",
            "csrf_token": csrf_token(admin_client),
        },
    )
    assert response.status_code == 422 and "Ninguna cuenta" in response.get_data(as_text=True)


def test_regeneration_runs_as_a_job_on_the_worker_with_visible_progress(admin_client, certificate, monkeypatch):
    response = admin_client.post(
        "/admin/certificates/regenerate", data={"type": "citizen", "csrf_token": csrf_token(admin_client)}
    )
    job = db.session.scalars(select(RegenerationJob)).one()
    assert response.status_code == 302
    assert job.status == "queued" and job.total == 1
    monkeypatch.setattr(pdf, "TEMPLATE_VERSION", pdf.TEMPLATE_VERSION + 1)
    assert run_queued_tasks() == 1
    db.session.refresh(job)
    assert job.status == "finished" and job.done == 1
    assert certificate.documents[0].template_version == pdf.TEMPLATE_VERSION
    page = admin_client.get(f"/admin/certificates/jobs/{job.id}").get_data(as_text=True)
    assert 'value="100"' in page


@pytest.mark.parametrize("role", ["learner", "integrity_officer", "trainer", "governor", "advisor", "business_rep"])
def test_nobody_but_a_sip_admin_may_revoke(client, login_as, world, certificate, role):
    login_as(client, world.users[role])
    response = client.post(
        f"/admin/certificates/{certificate.serial}/revoke", data={"reason": "x", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 403 and certificate.revoked_at is None
