import pytest

from app.core.audit import AuditEvent
from app.extensions import db
from app.organisations import reference, roles, services
from app.organisations.models import Organisation
from tests import factories


def test_reference_data_has_the_sip_25_regional_governments_and_lima_metropolitana():
    organisations = (
        db.session.execute(
            db.select(Organisation).where(Organisation.kind.in_([roles.NATIONAL, roles.REGIONAL_GOVERNMENT]))
        )
        .scalars()
        .all()
    )
    by_code = {o.code: o for o in organisations}
    assert by_code["SIP"].kind == roles.NATIONAL
    gores = [o for o in organisations if o.code.startswith("GORE-")]
    assert len(gores) == 25
    assert {o.inei_code for o in gores} == {f"{n:02d}" for n in range(1, 26)}
    assert all(o.parent_id == by_code["SIP"].id for o in gores)
    callao = by_code["GORE-07"]
    assert (callao.short_name, callao.reniec_code, callao.iso_code) == ("Callao", "24", "PE-CAL")
    assert by_code["GORE-16"].capital == "Iquitos"
    assert by_code["MML"].inei_code == "1501"
    assert by_code["MML"].iso_code == "PE-LMA"


def test_loading_reference_data_twice_changes_nothing(app):
    before = db.session.execute(db.select(db.func.count(Organisation.id))).scalar()
    assert services.load_reference_data() == 0
    assert db.session.execute(db.select(db.func.count(Organisation.id))).scalar() == before
    assert len(reference.REGIONS) == 25


def test_granting_a_role_is_audited_and_not_duplicated(app, world):
    admin, user = world.users["sip_admin"], factories.make_user()
    with app.test_request_context():
        services.grant_role(actor=admin, user=user, organisation=world.entity, role=roles.TRAINER)
        with pytest.raises(services.OrganisationError):
            services.grant_role(actor=admin, user=user, organisation=world.entity, role=roles.TRAINER)
    event = db.session.execute(
        db.select(AuditEvent).where(
            AuditEvent.action == "membership.role_granted", AuditEvent.target_id == str(user.id)
        )
    ).scalar_one()
    assert event.details == {"role": "trainer"}
    assert event.organisation_id == world.entity.id


def test_a_role_that_does_not_fit_the_organisation_is_refused(app, world):
    with app.test_request_context(), pytest.raises(services.OrganisationError):
        services.grant_role(
            actor=world.users["sip_admin"], user=factories.make_user(), organisation=world.company, role=roles.GOVERNOR
        )


def test_changing_a_role_ends_the_old_one_and_keeps_history(app, world):
    learner = world.users["learner"]
    with app.test_request_context():
        services.change_role(
            actor=world.users["integrity_officer"], membership=world.learner_membership, role=roles.TRAINER
        )
    assert learner.active_roles == {roles.TRAINER}
    assert world.learner_membership.status == "ended"


def test_an_ended_role_can_be_granted_again(app, world):
    with app.test_request_context():
        services.end_membership(actor=world.users["sip_admin"], membership=world.learner_membership)
        services.grant_role(
            actor=world.users["sip_admin"], user=world.users["learner"], organisation=world.entity, role=roles.LEARNER
        )
    assert world.learner_membership.status == "active"


def test_an_admin_cannot_remove_their_own_admin_role(app, world):
    admin = world.users["sip_admin"]
    with app.test_request_context(), pytest.raises(services.OrganisationError):
        services.end_membership(actor=admin, membership=admin.memberships[0])


def test_entities_must_hang_under_a_regional_government_and_codes_are_unique(app, world):
    admin = world.users["sip_admin"]
    with app.test_request_context():
        with pytest.raises(services.OrganisationError):
            services.create_organisation(actor=admin, code="X-1", kind=roles.ENTITY, name="Huérfana", parent=None)
        created = services.create_organisation(
            actor=admin, code="gore-06-diresa", kind=roles.ENTITY, name="DIRESA Cajamarca", parent=world.gore
        )
        assert created.code == "GORE-06-DIRESA"
        with pytest.raises(services.OrganisationError):
            services.create_organisation(
                actor=admin, code="GORE-06-DIRESA", kind=roles.ENTITY, name="Otra", parent=world.gore
            )


def test_a_company_must_have_a_ruc_enforced_by_the_database(world):
    from sqlalchemy.exc import IntegrityError

    db.session.add(Organisation(code="NO-RUC", kind=roles.COMPANY, name="Sin RUC"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
